"""A technician's day on the phone (docs/CONSOLE.md, 我的派工单 and 派工单 on a phone): the open
orders whatever how many finished ones came before, soonest appointment first; the actual item
and the customer's own scores on the order and its printed slip (R8.2); the ticket's page to
read, not to call the customer back on (R11.3); a rework only once the desk reopened a closed
ticket (R8.9)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from services.console.application import front_desk
from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_of, csrf_of, first_order
from tests.integration.drill import shanghai
from tests.integration.support import Desk, eventually, report_body
from tests.integration.test_console_order_branches import SITES, step

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 11, 23, 8, 30)


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES  # the desk, the engineering supervisor and the technicians


async def an_order(desk: Desk, ref: str, content: str, start: str | None = None) -> dict[str, Any]:
    """A household repair logged at the desk (with its appointment from `start`, 2 hours): its
    work order, once issued."""
    extra = {"appointment": {"start": f"{start}:00+08:00",
                             "end": f"{start[:11]}{int(start[11:13]) + 2:02d}:00:00+08:00"}} \
        if start else {}  # fmt: skip
    body = report_body(ref, staff_id="HB-S01", kind="repair", category="plumbing",
                       content=content, **extra)  # fmt: skip
    reported = await desk.command("hbw", "report", body)
    assert reported["ok"], reported
    return await first_order(desk, reported["ticket_id"])


async def test_a_technicians_day_on_the_phone_R8_2_R8_9_R11_3(
    desk: Desk, drill_services, settings, sim_clock, nats_server, monkeypatch
) -> None:
    # a page of two: a technician with more finished orders than one page still sees today's
    monkeypatch.setattr(front_desk, "PAGE", 2)
    await drill_services()
    async with console_of(settings, sim_clock, SITES, nats_server.url,
                          "HB-ENG", "HB-T01") as (supervisor, technician):  # fmt: skip
        done = await an_order(desk, "done-1", "厨房水龙头滴水")
        gone = await an_order(desk, "gone-1", "阳台地漏堵塞")
        later = await an_order(desk, "later-1", "卫生间灯不亮", "2026-11-23T16")
        soon = await an_order(desk, "soon-1", "热水器接头渗水", "2026-11-23T10")
        for order in (done, gone, later, soon):
            await step(supervisor, order["order_no"], "collect")
            await step(supervisor, order["order_no"], "assign", technician="HB-T01")
        await step(supervisor, gone["order_no"], "cancel", reason="客户已自行疏通")

        number = done["order_no"]
        await step(technician, number, "arrive")
        await step(technician, number, "quote", amount="45", items="不锈钢龙头一只")
        await step(technician, number, "accept_quote")
        page = await step(technician, number, "complete", actual_item="更换龙头",
                          notes="拆旧换新，试水无渗漏", fee="45")  # fmt: skip
        assert re.search(r'id="actual-item">更换龙头<', page)  # R8.2: the actual item
        assert "系统自动派单" in page and "dispatch" not in page.split("处理过程")[1]
        # the customer scores on the phone: nothing chosen for them (R8.2, R8.8)
        sign_off = page.split('id="step-sign_off"')[1].split("</form>")[0]
        assert "selected" not in sign_off and "请客户选择" in sign_off
        csrf = csrf_of(page)
        unchosen = await technician.post(f"/orders/{number}/sign_off", data={
            "csrf": csrf, "quality": "", "attitude": "", "comment": ""})  # fmt: skip
        assert unchosen.status_code == 400
        got = await desk.query("hbw", "workorder.get", {"order_no": number})
        assert got["work_order"]["status"] == "completed"
        await step(technician, number, "sign_off", quality="4", attitude="5", comment="很细心")

        # nobody home, and no reason typed: the history says so in Chinese (contract §10.7)
        page = await step(
            technician,
            later["order_no"],
            "reschedule",
            appointment_start="2026-11-23T17:00",
            appointment_end="2026-11-23T19:00",
        )
        history = page.split("处理过程")[1]
        assert "新预约 2026-11-23 17:00–19:00 (UTC+08:00)：无人在家" in history
        assert "nobody_home" not in page

        # 我的派工单: the two still open, the soonest appointment first; none finished
        mine = (await technician.get("/orders")).text
        listed = re.findall(r'id="order-([^"]+)"', mine)
        assert listed == [soon["order_no"], later["order_no"]], listed
        assert "预约 2026-11-23 10:00–12:00 (UTC+08:00)" in mine
        assert "热水器接头渗水" in mine and "卫生间灯不亮" in mine  # what each job is (R8.2)

        # the printed slip: the item, the fee marked paid, the customer's own scores
        slip = (await technician.get(f"/orders/{number}/slip")).text
        assert re.search(r'id="slip-item">更换龙头<', slip)
        assert "有偿 45.00 元" in slip
        assert "维修质量 4 分（满意） · 服务态度 5 分（非常满意）" in slip and "很细心" in slip
        assert "□ 满意" not in slip

        # the ticket's page is the technician's to read: the follow-up call is the desk's (R11.3)
        ticket = (await technician.get(f"/tickets/{done['ticket_id']}")).text
        assert "已处理待回访" in ticket
        assert 'id="act-' not in ticket and "承诺回复客户" not in ticket
        called = await technician.post(f"/tickets/{done['ticket_id']}/follow_up", data={
            "csrf": csrf_of(ticket), "score": "5"})  # fmt: skip
        assert called.status_code == 403 and "未保存" in called.text
        got = await desk.query("hbw", "ticket.get", {"ticket_id": done["ticket_id"]})
        assert got["ticket"]["status"] == "resolved"

        # the desk calls back and the ticket closes: a rework waits for the desk to reopen it
        followed = await desk.command("hbw", "follow_up", {
            "ticket_id": done["ticket_id"], "staff_id": "HB-S01", "score": 5})  # fmt: skip
        assert followed["ok"], followed

        async def closed() -> str | None:
            page = (await technician.get(f"/orders/{number}")).text
            return page if 'id="rework-reopen"' in page else None

        page = await eventually(closed)
        assert 'id="step-rework"' not in page and "重新处理" in page
        reopen = {"ticket_id": done["ticket_id"], "staff_id": "HB-S01", "reason": "龙头又滴水"}
        reopened = await desk.command("hbw", "reopen", reopen)
        assert reopened["ok"], reopened

        async def reworkable() -> str | None:
            page = (await technician.get(f"/orders/{number}")).text
            return page if 'id="step-rework"' in page else None

        page = await eventually(reworkable)
        assert 'id="rework-reopen"' not in page
