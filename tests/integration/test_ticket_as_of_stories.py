"""ticket.get with `as_of` through NATS: a complaint reported, classified, escalated and resolved at
different times of the simulated clock, read back as it stood between the steps."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually, report_body
from tests.postgres import STORES

pytestmark = [pytest.mark.integration, pytest.mark.parametrize("persistence", STORES)]

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


async def test_a_ticket_is_shown_as_it_stood_at_each_moment(desk: Desk, drill_services) -> None:
    await drill_services()
    drill = Drill(desk)
    reported = await desk.command("hbw", "report", report_body("asof-1"))  # at START
    assert reported["ok"], reported
    ticket = reported["ticket_id"]
    await eventually(lambda: drill.events("escalation.ladder_started", ticket))
    await drill.set_clock(START + HOUR)
    classify = {"ticket_id": ticket, "validity": "valid", "severity": "minor", "staff_id": "S02"}
    assert (await desk.command("hbw", "classify", classify))["ok"]
    decided = await drill.decided_at(START + 2 * DAY)  # R6.4: to the department supervisor
    assert ("complaint_escalated", "department_supervisor") in decided
    await drill.set_clock(START + 2 * DAY + HOUR)
    accept = {"ticket_id": ticket, "solution": "协调楼上停工", "staff_id": "S03"}
    assert (await desk.command("hbw", "accept_solution", accept))["ok"]  # R6.9
    resolve = {"ticket_id": ticket, "resolution": "已协调楼上停工", "staff_id": "S03"}
    assert (await desk.command("hbw", "resolve", resolve))["ok"]

    async def settled() -> dict[str, Any] | None:
        # Settled when escalation has taken the resolution in too: the ladder stopped and the
        # follow-up clock started (R11.3); the ladder alone stops at the accepted solution.
        shown = await desk.ticket("hbw", ticket, version=4)
        sla = shown["sla"]
        stopped = sla["ladder"] and sla["ladder"]["state"] == "stopped"
        return shown if stopped and "follow_up" in sla["clocks"] else None

    now = await eventually(settled)

    async def as_of(when: Any, **key: str) -> dict[str, Any]:
        at = when if isinstance(when, str) else when.isoformat()
        return await desk.query("hbw", "ticket.get", (key or {"ticket_id": ticket}) | {"as_of": at})

    steps = [START + 30 * timedelta(minutes=1), START + HOUR, START + DAY,
             START + 2 * DAY + HOUR / 2, START + 3 * DAY]  # fmt: skip
    replies = [await as_of(when) for when in steps]
    by_number = await as_of(START + DAY, ticket_no=reported["ticket_no"])
    before = await as_of(START - timedelta(seconds=1))
    naive = await as_of("2026-11-23T10:00:00")

    assert all(r["ok"] for r in replies), replies
    shown = [r["ticket"] for r in replies]
    assert [t["status"] for t in shown] == [
        "received", "classified", "classified", "classified", "resolved",
    ]  # fmt: skip
    assert [len(t["history"]) for t in shown] == [1, 2, 2, 2, 4]  # with the accepted solution
    assert [t["sla"]["escalation_level"] for t in shown] == [
        "cs_assistant", "cs_assistant", "cs_assistant", "department_supervisor",
        "department_supervisor",
    ]  # fmt: skip
    assert [t["sla"]["ladder"]["state"] for t in shown] == ["running"] * 4 + ["stopped"]
    # the CS assistant's at receipt (R6.3), then the supervisor step's
    assert [len(t["sla"]["notifications"]) for t in shown] == [1, 1, 1, 2, 2]
    assert replies[0]["as_of"] == steps[0].isoformat()
    assert shown[-1] == now  # after the last step: the current state
    assert by_number["ok"] and by_number["ticket"] == shown[2]
    assert before["ok"] is False and before["error"]["code"] == "not_found"
    assert "not yet recorded" in before["error"]["message"]
    assert naive["ok"] is False and naive["error"]["code"] == "invalid"
    assert [f["field"] for f in naive["error"]["fields"]] == ["as_of"]
