"""Maintenance and outage notices (维修通告) through NATS (docs/OUTAGES.md): an outage announced
with its expected restoration time, a contact in its scope linked to it, and the duty manager
alerted when the time passes with neither a revision nor "restored" (R16.6, R7.10, S1:120)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.drill import Drill, shanghai
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 12, 7, 9, 0)


async def test_an_outage_links_the_contacts_in_its_scope_and_alerts_when_restoration_is_overdue_R16_6(  # noqa: E501
    desk: Desk, drill_services
) -> None:
    await drill_services("intake", "escalation")
    drill = Drill(desk, "hbw")
    # the desk announces a water cut in building 3, back "within two hours" (S1:120)
    announced = await desk.command("hbw", "maintenance_announce", {
        "staff_id": "S01", "client_ref": "water-3", "kind": "water_outage",
        "scope": {"buildings": ["3"]}, "starts_at": CLOCK_STARTS.isoformat(),
        "expected_end": (CLOCK_STARTS + timedelta(hours=2)).isoformat(),
        "text": "3号楼水管爆裂抢修停水, 预计两小时内恢复供水",
    })  # fmt: skip
    assert announced["ok"] and announced["notice_no"] == "HBW-MN-0001", announced

    # a caller from 3-201 reports no water: intake links the ticket to the outage
    await drill.set_clock(CLOCK_STARTS + timedelta(minutes=20))
    body = report_body("no-water", kind="repair", category="plumbing", content="家里没水了")
    reported = await desk.command("hbw", "report", body)
    assert reported["ok"], reported
    [linked] = await eventually(lambda: drill.events("maintenance.contact_linked"))
    assert linked["data"] | {"ticket_id": None} == {
        "ticket_id": None, "ticket_no": reported["ticket_no"], "by": "auto",
    }  # fmt: skip
    assert linked["aggregate_id"] == announced["notice_id"]
    listed = await desk.query("hbw", "maintenance.list", {"active": True})
    assert [(n["notice_no"], n["linked"]) for n in listed["notices"]] == [
        ("HBW-MN-0001", [reported["ticket_no"]])
    ]

    # two hours on, neither revised nor restored: the duty manager is alerted
    decided = await drill.decided_at(CLOCK_STARTS + timedelta(hours=2, minutes=1))
    assert ("maintenance_restoration_overdue", "restoration") in decided

    async def told() -> list[dict]:
        notes = await drill.notices("project_manager")
        return [n for n in notes if n["reason"] == "maintenance_restoration_overdue"]

    [alert] = await eventually(told)
    assert (alert["about"], alert["ticket_no"]) == ("maintenance", "HBW-MN-0001")


async def test_a_call_about_the_announced_cut_gets_no_work_order_but_other_news_does_R7_10_R16_6_R7_1(  # noqa: E501
    desk: Desk, drill_services
) -> None:
    await drill_services("intake", "dispatch", "escalation")
    drill = Drill(desk, "hbw")
    announced = await desk.command("hbw", "maintenance_announce", {
        "staff_id": "S01", "client_ref": "water-3", "kind": "water_outage", "planned": True,
        "scope": {"buildings": ["3"]}, "starts_at": CLOCK_STARTS.isoformat(),
        "expected_end": (CLOCK_STARTS + timedelta(hours=2)).isoformat(),
        "announced_at": (CLOCK_STARTS - timedelta(days=1)).isoformat(),
        "text": "3号楼二次供水水箱清洗, 9:00-11:00停水",
    })  # fmt: skip
    assert announced["ok"], announced

    async def call(ref: str, room: str, content: str) -> dict:
        reporter = {"name": "王小明", "phone": "13800138000", "room": room}
        body = report_body(ref, kind="repair", category="plumbing", content=content)
        reply = await desk.command("hbw", "report", body | {"reporter": reporter})
        assert reply["ok"], reply
        return reply

    # 09:20, building 3: no water, as announced — the notice answers it (told: back by 11:00)
    await drill.set_clock(CLOCK_STARTS + timedelta(minutes=20))
    no_water = await call("no-water", "3-201", "家里停水了, 什么时候来水")
    assert no_water["answered_by_notice"] == "HBW-MN-0001" and no_water["deadline"] is None
    # a burst pipe in building 3, and no water in building 5 (not announced): urgent repairs
    burst = await call("burst", "3-202", "停水了, 楼道水管也爆了一直喷水")
    elsewhere = await call("elsewhere", "5-101", "家里停水了")
    # 11:05, not restored: the time announced was not kept, the call is a repair again
    await drill.set_clock(CLOCK_STARTS + timedelta(hours=2, minutes=5))
    overrun = await call("overrun", "3-301", "还是停水")
    repairs = [burst, elsewhere, overrun]
    assert all(r["answered_by_notice"] is None for r in repairs)

    async def ordered() -> dict[str, str] | None:
        issued = await drill.events("workorder.issued")
        found = {e["data"]["ticket_id"]: e["data"]["urgency"] for e in issued}
        return found if overrun["ticket_id"] in found else None  # read in stream order

    orders = await eventually(ordered)
    assert orders == {r["ticket_id"]: "urgent" for r in repairs}  # none for no_water (R8.1)
    await drill.started(overrun["ticket_id"], "order_issued_household")
    started = await drill.events("escalation.clock_started", no_water["ticket_id"])
    assert started == []  # an inquiry: no order to issue, no clock (G5)
    [reported] = [
        e for e in await drill.events("ticket.reported")
        if e["aggregate_id"] == no_water["ticket_id"]
    ]  # fmt: skip
    assert reported["data"]["kind"] == "inquiry"
    listed = await desk.query("hbw", "maintenance.list", {"active": True})
    [notice] = listed["notices"]
    assert sorted(notice["linked"]) == sorted(
        r["ticket_no"] for r in (no_water, burst, overrun)
    )  # every call about building 3's cut is linked to it

    # 11:20 the water is back: the call the notice answered is resolved with it, and goes to the
    # follow-up call like any resolved ticket (R11.1); the repairs keep their work orders
    await drill.set_clock(CLOCK_STARTS + timedelta(hours=2, minutes=20))
    ended = await desk.command("hbw", "maintenance_end", {
        "staff_id": "S01", "notice_id": "HBW-MN-0001", "outcome": "restored"})  # fmt: skip
    assert ended["ok"], ended

    async def resolved() -> list[dict] | None:
        return await drill.events("ticket.resolved") or None

    [settled] = await eventually(resolved)
    assert settled["aggregate_id"] == no_water["ticket_id"]
    assert settled["data"]["resolution"] == "维修通告 HBW-MN-0001 已恢复"
