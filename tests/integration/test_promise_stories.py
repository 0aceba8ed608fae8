"""Promises kept (守信履约) through NATS (docs/PROMISES.md): a reply promised from a ticket, its
owner reminded before the due time and the CS supervisor told after it, kept late and counted
late; a missed call called back in time; the desk's open list, the month's report and the
quality pack (R6.15, R10.6, R2.6, R11.5)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.integration.drill import Drill
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

PHONE = "13912345678"
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def test_a_promise_reminded_then_overdue_kept_late_and_a_missed_call_called_back_R6_15_R2_6(
    desk: Desk, drill_services, sim_clock
) -> None:
    await drill_services()
    drill = Drill(desk, "hbw")
    start = sim_clock.now()
    reported = await desk.command("hbw", "report", report_body("pr-1", content="水费账单有疑问"))
    assert reported["ok"], reported
    due = start + timedelta(hours=1)
    made = await desk.command("hbw", "promise_make", {
        "client_ref": "pr-1", "due_at": due.isoformat(), "what": "核实水费后回电",
        "ticket_id": reported["ticket_no"], "staff_id": "S01",
    })  # fmt: skip
    assert made["ok"] and made["due_at"] == due.astimezone(SHANGHAI).isoformat(), made
    refused = await desk.command("hbw", "promise_make", {
        "client_ref": "pr-2", "due_at": start.isoformat(), "what": "x", "staff_id": "S01",
    })  # fmt: skip
    assert (refused["ok"], refused["error"]["code"]) == (False, "invalid")

    async def listed() -> list[dict] | None:
        reply = await desk.query("hbw", "promise.list", {})
        return reply["promises"] or None if reply["ok"] else None

    [open_one] = await eventually(listed)
    assert (open_one["client_ref"], open_one["ticket_no"], open_one["overdue"]) == (
        "pr-1", reported["ticket_no"], False
    )  # fmt: skip
    assert open_one["due_at"].endswith("+08:00")  # the site's zone

    # 15 minutes before: the owner's role is reminded, naming the owner (R6.15)
    decided = await drill.decided_at(due - timedelta(minutes=15))
    assert ("promise_reminder", "reminder") in decided
    [reminder] = await eventually(lambda: _told(drill, "receptionist", "promise_reminder"))
    assert (reminder["about"], reminder["ticket_no"], reminder["staff"]) == (
        "promise",
        "pr-1",
        "S01",
    )
    # past the due time unkept: the CS supervisor is told
    assert ("promise_overdue", "overdue") in await drill.decided_at(due + timedelta(minutes=5))
    [overdue] = await eventually(lambda: _told(drill, "cs_supervisor", "promise_overdue"))
    assert overdue["ticket_no"] == "pr-1"
    kept = await desk.command("hbw", "promise_keep", {
        "promise": "pr-1", "outcome": "已回电说明水费", "staff_id": "S01",
    })  # fmt: skip
    assert (kept["status"], kept["outcome"]) == ("kept", "late"), kept

    # a missed call: called back with an apology within 30 minutes (R2.6)
    missed = await desk.command("hbw", "promise_missed_call", {
        "client_ref": "mc-1", "phone": PHONE, "staff_id": "S01",
    })  # fmt: skip
    assert missed["ok"] and missed["kind"] == "callback", missed
    await drill.set_clock(due + timedelta(minutes=20))
    back = await desk.command("hbw", "promise_keep", {
        "promise": "mc-1", "outcome": "已回电致歉", "staff_id": "S01",
    })  # fmt: skip
    assert back["outcome"] == "on_time", back

    month = start.astimezone(SHANGHAI).strftime("%Y-%m")

    async def counted() -> dict | None:
        reply = await desk.query("hbw", "report.monthly", {"month": month})
        found = reply["report"]["promises"] if reply["ok"] else {}
        return found if found.get("open") == 0 and found.get("made") == 2 else None

    figures = await eventually(counted)
    assert {k: figures[k] for k in ("kept_on_time", "kept_late", "broken")} == {
        "kept_on_time": 1, "kept_late": 1, "broken": 0
    }  # fmt: skip
    assert figures["by_staff"]["S01"]["kept_late"] == 1
    assert figures["by_kind"]["callback"]["kept_on_time"] == 1
    pack = await desk.request("desk.qry.company.report.quality", {"month": month})
    hbw = next(s for s in pack["report"]["sites"] if s["site"] == "hbw")
    assert hbw["promises_on_time"] == 0.5
    assert PHONE not in str(desk.notices)


async def _told(drill: Drill, role: str, reason: str) -> list[dict] | None:
    return [n for n in await drill.notices(role) if n["reason"] == reason] or None
