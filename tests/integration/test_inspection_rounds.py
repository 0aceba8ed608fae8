"""Inspection rounds through NATS (docs/INSPECTION.md): a month's plan, a round walked, its
findings routed by type into inspection tickets, each with a week to be resolved that only the
manager extends, verified on site, and the day's and the week's summaries."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from shared.kernel.sites import SiteDirectory
from tests.integration.drill import Drill, parse
from tests.integration.support import START, Desk, eventually
from tests.integration.test_desk_words import cli

pytestmark = pytest.mark.integration

STAFF = {
    "S01": {"role": "receptionist"},
    "CS1": {"role": "cs_assistant"},
    "SUP": {"role": "department_supervisor", "department": "cleaning"},
    "M01": {"role": "project_manager"},
    "C07": {"role": "department_staff", "department": "cleaning"},
}
SITES = SiteDirectory.model_validate({"sites": {"hbw": {"name": "Harbour View", "staff": STAFF}}})
WEEK = timedelta(days=7)

PLAN = {
    "staff_id": "M01",
    "month": "2026-11",
    "slots": [
        {"name": "daily-check", "frequency": "daily", "starts": "09:30", "ends": "10:00",
         "area": "全小区", "points": ["大堂", "电梯", "垃圾房"]},
        {"name": "weekly-check", "frequency": "weekly", "weekday": 0, "starts": "14:00",
         "ends": "15:00", "area": "公共区域", "points": ["绿化"]},
    ],
}  # fmt: skip
ROUND = {
    "staff_id": "CS1",
    "round_ref": "hbw-20261123-daily",
    "slot": "daily-check",
    "area": "全小区",
    "started_at": (START - timedelta(minutes=30)).isoformat(),
    "ended_at": START.isoformat(),
    "points": [
        {"point": "大堂", "ok": True},
        {"point": "电梯", "ok": False},
        {"point": "垃圾房", "ok": False},
    ],
    "findings": [
        {"point": "电梯", "type": "facility", "category": "elevator",
         "description": "3号梯楼层按钮损坏"},
        {"point": "垃圾房", "type": "staff", "about_staff": "C07",
         "description": "垃圾未按时清运"},
        {"point": "垃圾房", "type": "violation", "location": "5-101",
         "description": "住户在垃圾房堆放装修垃圾"},
    ],
}  # fmt: skip


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


async def walked(desk: Desk) -> list[dict[str, Any]]:
    planned = await desk.command("hbw", "plan_rounds", PLAN)
    assert planned["ok"], planned
    reply = await desk.command("hbw", "record_round", ROUND)
    assert reply["ok"], reply
    return reply["findings"]


async def staff_finding_week(desk: Desk) -> tuple[Drill, dict[str, Any]]:
    """The round walked and its staff finding's week (finding_resolved) started: the drill and
    the finding."""
    drill = Drill(desk)
    [_, staff, _] = await walked(desk)
    await drill.started(staff["ticket_id"], "finding_resolved")
    return drill, staff


async def test_a_round_routes_its_findings_by_type_each_with_a_week_R13_13_R13_15_R13_16(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    repair, staff, violation = await walked(desk)
    assert (repair["routed_to"], repair["department"]) == ("repair", "engineering")
    assert (staff["routed_to"], staff["department"]) == ("department_supervisor", "cleaning")
    assert violation["routed_to"] == "violation_case"  # the violation case takes over (R14)

    async def ordered() -> list[dict[str, Any]] | None:  # dispatch, as for any repair
        reply = await desk.query("hbw", "ticket.get", {"ticket_id": repair["ticket_id"]})
        return reply["ticket"]["work_orders"] or None if reply["ok"] else None

    [order] = await eventually(ordered)
    assert order["department"] == "engineering"
    for finding in (repair, staff, violation):
        started = await drill.started(finding["ticket_id"], "finding_resolved")
        assert parse(started["deadline"]) == START + WEEK  # R13.16: calendar days
        assert started["role"] == "project_manager"

    # the staff finding: its department's supervisor is told at once (R13.15b)
    await drill.set_clock(START + timedelta(seconds=1))

    async def told() -> list[dict[str, Any]] | None:
        notes = await drill.notices("department_supervisor")
        return [n for n in notes if n["ticket_id"] == staff["ticket_id"]] or None

    [note] = await eventually(told)
    assert (note["reason"], note["department"]) == ("finding_referred", "cleaning")
    acked = await drill.escalation("ack", {"notification_id": note["notification_id"],
                                           "staff_id": "SUP"})  # fmt: skip
    assert acked["ok"], acked
    assert not [n for n in await drill.notices("department_supervisor") if n is not note
                and n["ticket_id"] in (repair["ticket_id"], violation["ticket_id"])]  # fmt: skip

    [recorded] = await drill.events("round.recorded")
    assert [f["ticket_no"] for f in recorded["data"]["findings"]] == [
        f["ticket_no"] for f in (repair, staff, violation)
    ]
    reported = [e["aggregate_id"] for e in await drill.events("ticket.reported")]
    assert reported == [f["ticket_id"] for f in (repair, staff, violation)]

    day = await desk.query("hbw", "round.list", {"day": "2026-11-23"})
    assert day["ok"], day
    assert [r["slot"] for r in day["rounds"]] == ["daily-check"]
    assert day["missed"] == ["2026-11-23/weekly-check"]  # planned, not walked (R13.4)
    assert day["due_at"] == "2026-11-23T18:30:00+08:00"  # the evening e-mail (R12.9)
    week = await desk.query("hbw", "round.list", {"day": "2026-11-25", "week": True})
    assert week["due_at"] == "2026-11-27T00:00:00+08:00"  # before Friday (R1.5)
    assert len(week["findings"]) == 3


async def test_only_the_manager_extends_a_findings_week_and_it_breaches_later_R13_16_C12(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill, staff = await staff_finding_week(desk)
    ticket = staff["ticket_id"]
    later = START + WEEK + timedelta(days=3)
    ask = {"ticket_id": ticket, "until": later.isoformat(), "reason": "外包合同更换中"}

    refused = await drill.escalation("extend", ask | {"staff_id": "SUP"})
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden", refused
    assert "project_manager" in refused["error"]["message"]
    wrong = await drill.escalation("extend", ask | {"staff_id": "M01", "clock": "follow_up"})
    assert wrong["ok"] is False and wrong["error"]["code"] == "invalid", wrong
    assert await drill.events("escalation.clock_extended") == []

    approved = await drill.escalation("extend", ask | {"staff_id": "M01"})
    assert approved["ok"], approved

    async def extended() -> list[dict[str, Any]] | None:
        return await drill.events("escalation.clock_extended", ticket) or None

    [event] = await eventually(extended)
    assert event["actor"] == "M01" and parse(event["data"]["deadline"]) == later
    assert parse(event["data"]["previous_deadline"]) == START + WEEK

    async def shown() -> dict[str, Any] | None:  # the ticket's clocks as reporting shows them
        reply = await drill.desk.query("hbw", "ticket.get", {"ticket_id": ticket})
        clock = reply["ticket"]["sla"]["clocks"].get("finding_resolved", {})
        return clock if clock.get("deadline") and parse(clock["deadline"]) == later else None

    await eventually(shown)
    assert "clock_breached" not in await breaches(drill, ticket, START + WEEK)
    assert "clock_breached" in await breaches(drill, ticket, later)
    again = ask | {"staff_id": "M01", "until": (later + WEEK).isoformat()}
    too_late = await drill.escalation("extend", again)
    assert too_late["ok"] is False and too_late["error"]["code"] == "conflict", too_late


async def breaches(drill: Drill, ticket: str, when: Any) -> set[str]:
    """What escalation decided about one ticket's finding clock once the clock reads `when`."""
    reply = await drill.set_clock(when)
    return {
        d["event"]
        for d in reply["decisions"]
        if d["ticket_id"] == ticket and d["subject"] == "finding_resolved"
    }


async def test_a_finding_is_verified_on_site_and_its_week_is_met_R13_17(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill, staff = await staff_finding_week(desk)
    ticket = staff["ticket_id"]
    await drill.set_clock(START + timedelta(days=2))
    body = {"ticket_id": ticket, "staff_id": "SUP"}
    resolved = await desk.command("hbw", "resolve", body | {"resolution": "已约谈保洁员并清运"})
    assert resolved["ok"], resolved
    stopped = await drill.stopped(ticket, "finding_resolved")
    assert stopped["outcome"] == "met"
    verified = await desk.command("hbw", "verify", body | {"staff_id": "CS1", "passed": True})
    assert verified["ok"] and verified["status"] == "closed", verified

    day = await desk.query("hbw", "round.list", {"day": "2026-11-23"})
    [line] = [f for f in day["findings"] if f["ticket_no"] == staff["ticket_no"]]
    assert (line["status"], line["verified"]) == ("closed", True)

    async def counted() -> dict[str, Any] | None:  # the month's report (issue 16)
        reply = await desk.query("hbw", "report.monthly", {"month": "2026-11"})
        found = reply["report"]["inspection"] if reply["ok"] else {}
        return found if found.get("closed") == 1 and found.get("resolved_in_a_week") else None

    figures = await eventually(counted)
    assert figures["findings"] == 3 and figures["closure_rate"] == 0.3333
    assert figures["by_kind"] == {"repair": 1, "suggestion": 1, "violation": 1}
    assert (figures["resolved_in_a_week"], figures["on_time_rate"]) == (1, 1.0)


async def test_the_cli_plans_records_and_writes_the_weeks_quality_sheet_R1_5(
    desk: Desk, drill_services, nats_server, tmp_path
) -> None:
    await drill_services()
    plan, walk = tmp_path / "plan.json", tmp_path / "round.json"
    plan.write_text(json.dumps({"slots": PLAN["slots"]}, ensure_ascii=False), encoding="utf-8")
    walk.write_text(json.dumps(ROUND | {"staff_id": None}, ensure_ascii=False), encoding="utf-8")
    url = nats_server.url
    planned = await cli(url, "rounds", "plan", "--site", "hbw", "--staff", "M01",
                        "--month", "2026-11", "--file", str(plan))  # fmt: skip
    assert planned.exit_code == 0 and "2 slots, revision 1" in planned.output, planned.output
    # bad input: refused with the reason, nothing recorded or published (contract §27.1)
    unplanned = await desk.command("hbw", "record_round", ROUND | {"slot": "night-patrol"})
    assert unplanned["ok"] is False and unplanned["error"]["code"] == "invalid", unplanned
    assert "has no slot 'night-patrol'" in unplanned["error"]["message"]
    unexplained = await desk.command("hbw", "record_round", ROUND | {"findings": []})
    assert unexplained["ok"] is False and unexplained["error"]["code"] == "invalid"
    assert "a point not ok has a finding" in json.dumps(unexplained["error"], ensure_ascii=False)
    drill = Drill(desk)
    assert await drill.events("round.recorded") == await drill.events("ticket.reported") == []
    recorded = await cli(url, "rounds", "record", "--site", "hbw", "--staff", "CS1",
                         "--file", str(walk))  # fmt: skip
    assert recorded.exit_code == 0 and "violation → violation_case" in recorded.output
    sheet = tmp_path / "week.xlsx"
    listed = await cli(url, "rounds", "list", "--site", "hbw", "--day", "2026-11-23", "--week",
                       "--xlsx", str(sheet))  # fmt: skip
    assert listed.exit_code == 0 and "2026-11-27T00:00:00+08:00" in listed.output, listed.output
    cells = [c.value for row in load_workbook(sheet).active.iter_rows() for c in row]
    assert "物业品质监督检查表 Quality check sheet" in cells
    bad = await cli(url, "rounds", "list", "--site", "hbw", "--day", "23/11")
    assert bad.exit_code == 2 and "is not a date" in bad.output
