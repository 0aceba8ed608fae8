"""A complaint goes at once (立即) to the CS assistant of the customer's zone (R6.3, R1.3), over
the bus: a complaint reported is a `complaint_received` notification to cs_assistant naming the
ticket's zone, with no clock moved; `notice.list` gives it to her zones; the console's 通知
shows it to her (新投诉待处理) and her acknowledgement is her receipt (签收); the live banner
(`/live`) tells her of her zone's complaint and not of another zone's. A repair tells her
nothing."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from tests.integration.console_support import console_of, csrf_of, heard, told
from tests.integration.support import Desk, eventually, report_body
from tests.integration.test_zone_notices import SITES, notice_rows

pytestmark = pytest.mark.integration

UNITS = {"3-201": "A区", "5-101": "C区"}


@pytest.fixture
def drill_sites():
    return SITES


async def received_as_reported(desk: Desk) -> dict[str, str]:
    """A complaint from a unit of A区, one from C区, a repair from A区: the tickets' numbers."""
    for unit, zone in UNITS.items():
        body = {"staff_id": "HB-CS1", "unit_ref": unit, "room": unit[2:], "zone": zone}
        assert (await desk.command("hbw", "unit_register", body))["ok"]
    numbers = {}
    for ref, room, kind, category in (("ca", "3-201", "complaint", "noise"),
                                      ("cc", "5-101", "complaint", "noise"),
                                      ("ra", "3-201", "repair", "plumbing")):  # fmt: skip
        reporter = {"name": "王小明", "phone": "13800138000", "room": room}
        body = report_body(ref, staff_id="HB-S01", kind=kind, category=category,
                           reporter=reporter)  # fmt: skip
        reply = await desk.command("hbw", "report", body)
        assert reply["ok"], reply
        numbers[ref] = reply["ticket_no"]
    return numbers


async def received(desk: Desk, **query: Any) -> list[tuple[str, str | None]]:
    reply = await desk.query("hbw", "notice.list", {"role": "cs_assistant", **query})
    assert reply["ok"], reply
    return sorted(
        (n["ticket_no"], n.get("zone"))
        for n in reply["notices"]
        if n["reason"] == "complaint_received"
    )


async def test_a_complaint_reported_is_listed_at_once_for_her_zone_R6_3_R1_3(
    desk: Desk, drill_services
) -> None:
    await drill_services("intake", "reporting", "escalation")
    no = await received_as_reported(desk)  # the simulated clock never moves
    both = sorted([(no["ca"], "A区"), (no["cc"], "C区")])
    assert await eventually(lambda: _listed(desk, both))
    assert await received(desk, zones=["A区", "B区"]) == [(no["ca"], "A区")]
    every = (await desk.query("hbw", "notice.list", {}))["notices"]
    assert no["ra"] not in {n["ticket_no"] for n in every}  # a repair: nobody told yet


async def _listed(desk: Desk, expected: list[tuple[str, str]]) -> bool:
    return await received(desk) == expected


async def test_the_console_shows_her_the_new_complaint_and_takes_her_receipt_R6_3_R1_3(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services("intake", "reporting", "escalation")
    no = await received_as_reported(desk)
    assert await eventually(lambda: _listed(desk, sorted([(no["ca"], "A区"), (no["cc"], "C区")])))
    free_port = settings.model_copy(update={"console_port": 0})
    async with console_of(free_port, sim_clock, SITES, nats_server.url, "HB-CS2") as (zoned,):
        mine = await zoned.get("/notices")  # 我的岗位, her zones A区 and B区
        assert mine.status_code == 200
        assert notice_rows(mine.text) == ["A区"]
        row = re.search(r'<tr id="notice-([^"]+)"[^>]*>((?:(?!</tr>).)*)</tr>', mine.text, re.S)
        assert row and no["ca"] in row.group(2) and "新投诉待处理" in row.group(2)
        # what it is about, before she opens it: the room and what the customer said
        assert '<span class="what">3-201 · 楼上装修噪音太大</span>' in row.group(2)
        assert no["cc"] not in mine.text  # C区's is another assistant's

        # acknowledging it is her receipt (签收)
        acked = await zoned.post(f"/notices/{row.group(1)}/ack", data={"csrf": csrf_of(mine.text)})
        assert acked.status_code == 200
        after = (await zoned.get("/notices")).text
        assert re.search(rf'id="notice-{row.group(1)}"(?:(?!</tr>).)*HB-CS2 于', after, re.S)
    open_ones = await desk.query("hbw", "notice.list", {"zones": ["A区"], "open": True})
    assert [n["ticket_no"] for n in open_ones["notices"]] == []


async def complaint_from(desk: Desk, ref: str, room: str) -> str:
    reporter = {"name": "王小明", "phone": "13800138000", "room": room}
    body = report_body(ref, staff_id="HB-S01", kind="complaint", category="noise",
                       reporter=reporter)  # fmt: skip
    reply = await desk.command("hbw", "report", body)
    assert reply["ok"], reply
    return reply["ticket_no"]


async def test_her_live_banner_tells_her_of_her_zone_s_complaint_not_another_s_R6_3_R1_3(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services("intake", "reporting", "escalation")
    for unit, zone in UNITS.items():
        body = {"staff_id": "HB-CS1", "unit_ref": unit, "room": unit[2:], "zone": zone}
        assert (await desk.command("hbw", "unit_register", body))["ok"]
    free_port = settings.model_copy(update={"console_port": 0})
    async with (
        console_of(free_port, sim_clock, SITES, nats_server.url, "HB-CS2",
                   "HB-CS1") as (zoned, whole),
        heard(zoned) as hers,
        heard(whole) as theirs,
    ):  # fmt: skip
        # C区's complaint: the assistant with no zones is told (as before), HB-CS2 (A区, B区) not
        cc = await complaint_from(desk, "cc", "5-101")
        assert await eventually(lambda: _said(theirs, [cc]))
        await asyncio.sleep(1.5)  # her feed heard the same notice: one burst is one message
        assert told(hers) == [] and hers  # her page still reloads: something changed

        # A区's complaint: both are told, the banner saying it in words
        ca = await complaint_from(desk, "ca", "3-201")
        assert await eventually(lambda: _said(hers, [ca]))
        assert await eventually(lambda: _said(theirs, [cc, ca]))
        banner = next(data for kind, data in hers if kind == "notice")
        assert banner["said"] == f"{ca} · 新投诉待处理"


async def _said(events: list[tuple[str, dict[str, Any]]], expected: list[str]) -> bool:
    return told(events) == expected
