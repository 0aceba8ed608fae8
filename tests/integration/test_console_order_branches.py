"""A work order's side branches on its phone page (/orders/<no>, docs/CONSOLE.md; contract §10):
nobody home and a new appointment (R7.17), a leak accepted after the next rain (R8.8), a quote
the customer declines (R8.5), a rework under warranty (R8.9) and a supervisor's cancel (R1.7) —
each offered where the order's status allows it, and a technician is never offered to cancel."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_as, console_of, csrf_of, first_order
from tests.integration.drill import shanghai
from tests.integration.support import Desk, report_body

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 11, 23, 9, 0)
SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "staff": {
        "HB-S01": {"role": "receptionist"},
        "HB-ENG": {"role": "department_supervisor", "department": "engineering"},
        "HB-T01": {"role": "technician"},
        "HB-T02": {"role": "technician"},
    }}}}
)  # fmt: skip


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


async def an_order(desk: Desk, ref: str, content: str) -> str:
    """A household repair logged at the desk: its work order's number, once issued."""
    body = report_body(ref, staff_id="HB-S01", kind="repair", category="plumbing",
                       content=content)  # fmt: skip
    reported = await desk.command("hbw", "report", body)
    return (await first_order(desk, reported["ticket_id"]))["order_no"]


async def step(client: httpx.AsyncClient, number: str, verb: str, **fields: Any) -> str:
    csrf = csrf_of((await client.get(f"/orders/{number}")).text)
    done = await client.post(f"/orders/{number}/{verb}", data={"csrf": csrf, **fields})
    assert done.status_code == 200 and 'id="message"' not in done.text, done.text[:1500]
    return done.text


def status_of(page: str) -> str:
    return re.search(r'id="status">([^<]+)<', page).group(1)  # type: ignore[union-attr]


async def test_a_work_orders_side_branches_are_on_its_page_R7_17_R8_8_R8_5_R8_9(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services()
    staff = ("HB-ENG", "HB-T01")
    async with console_of(settings, sim_clock, SITES, nats_server.url, *staff) as clients:
        supervisor, technician = clients
        # nobody home: the technician agrees a new time, read in the site's zone (R7.17)
        number = await an_order(desk, "home-1", "厨房水龙头滴水")
        await step(supervisor, number, "collect")
        await step(supervisor, number, "assign", technician="HB-T01")
        page = (await technician.get(f"/orders/{number}")).text
        assert 'id="step-reschedule"' in page and 'id="step-cancel"' not in page
        page = await step(technician, number, "reschedule", appointment_start="2026-11-24T10:00",
                          appointment_end="2026-11-24T12:00")  # fmt: skip
        assert status_of(page) == "已派技术员"
        assert "2026-11-24 10:00 (UTC+08:00) – 2026-11-24 12:00 (UTC+08:00)" in page
        assert "改约" in page.split("处理过程")[1]
        # the customer declines the quote: the order ends (R8.5)
        await step(technician, number, "arrive")
        await step(technician, number, "quote", amount="120", items="更换龙头")
        page = await step(technician, number, "decline_quote", reason="客户自行购买")
        assert status_of(page) == "客户拒绝报价"

        # a roof leak waits for the next rain (R8.8), then is signed off and reworked (R8.9)
        number = await an_order(desk, "leak-1", "顶楼屋面渗水，雨天滴到卧室")
        await step(supervisor, number, "collect")
        await step(supervisor, number, "assign", technician="HB-T01")
        await step(technician, number, "arrive")
        page = await step(technician, number, "complete", actual_item="防水", notes="补涂防水层")
        assert status_of(page) == "待验收" and 'id="step-confirm_acceptance"' in page
        page = await step(technician, number, "confirm_acceptance", note="雨后复查无渗漏")
        assert status_of(page) == "已完成"
        page = await step(technician, number, "sign_off", quality="5", attitude="5")
        assert 'id="step-rework"' in page
        page = await step(supervisor, number, "rework", reason="一周后又渗水")
        assert re.search(r'id="order-no">[^<]+-W2<', page) and status_of(page) == "待接单"

        # the supervisor cancels an order no longer wanted; the technician was never offered it
        number = await an_order(desk, "cancel-1", "卫生间地漏堵塞")
        assert 'id="step-cancel"' in (await supervisor.get(f"/orders/{number}")).text
        page = await step(supervisor, number, "cancel", reason="客户已自行疏通")
        assert status_of(page) == "已取消"


async def test_an_order_is_assigned_only_to_someone_on_the_sites_staff_list_R8_4(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services()
    async with console_as(settings, sim_clock, SITES, nats_server.url, "HB-ENG") as supervisor:
        number = await an_order(desk, "assign-1", "阳台地漏堵塞")
        page = await step(supervisor, number, "collect")
        assert '<option value="HB-T01">' in page  # the site's technicians to choose from
        csrf = csrf_of(page)
        typo = await supervisor.post(f"/orders/{number}/assign",
                                     data={"csrf": csrf, "technician": "HB-XX9"})  # fmt: skip
        assert typo.status_code == 400
        assert "工号 HB-XX9 不在本项目员工名单中，请从名单中选择" in typo.text  # dispatch said so
        got = await desk.query("hbw", "workorder.get", {"order_no": number})
        assert got["work_order"]["status"] == "collected" and not got["work_order"]["technician"]
        page = await step(supervisor, number, "assign", technician="HB-T01")
        assert status_of(page) == "已派技术员"


async def test_the_supervisor_sends_another_technician_before_the_first_arrives_R8_4(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services()
    staff = ("HB-ENG", "HB-T01")
    async with console_of(settings, sim_clock, SITES, nats_server.url, *staff) as clients:
        supervisor, technician = clients
        number = await an_order(desk, "ill-1", "厨房水管漏水")
        await step(supervisor, number, "collect")
        page = await step(supervisor, number, "assign", technician="HB-T01")
        assert 'id="step-assign"' in page and "改派技术员" in page  # a supervisor's side step
        assert 'id="step-assign"' not in (await technician.get(f"/orders/{number}")).text
        page = await step(supervisor, number, "assign", technician="HB-T02")
        assert status_of(page) == "已派技术员"
        got = await desk.query("hbw", "workorder.get", {"order_no": number})
        assert got["work_order"]["technician"] == "HB-T02"
