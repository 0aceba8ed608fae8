"""The simulated clock waits for what happened before it moves (docs/contract.md §20.5): a
deadline at T is decided only once every service of the process has published what it recorded
and applied what DESK held, so a change made just before the move is never overtaken by it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.escalation.entrypoint import EscalationService
from shared.kernel.settings import Settings
from tests.integration.conftest import DRILL_SITES
from tests.integration.drill import SECOND, Drill
from tests.integration.support import START, Desk, eventually, ready_to_resolve, report_body

pytestmark = pytest.mark.integration

DAY = timedelta(days=1)


async def test_a_complaint_resolved_just_before_the_clock_moves_does_not_climb(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    for ref in ("c-1", "c-2", "c-3"):  # a few, so a race lost once is seen
        reply = await desk.command("hbw", "report", report_body(ref))
        ticket = reply["ticket_id"]
        await eventually(lambda ticket=ticket: drill.events("escalation.ladder_started", ticket))

        await ready_to_resolve(desk, "hbw", ticket)  # R6.2, R6.9
        resolved = await desk.command(
            "hbw", "resolve", {"ticket_id": ticket, "resolution": "已协调", "staff_id": "S1"}
        )
        assert resolved["ok"], resolved
        # at once, past the first step of the ladder (R6.4: department supervisor after 2 days)
        moved_to = START + (2 * DAY + SECOND) * int(ref[-1])
        decided = await drill.decided_at(moved_to)

        assert ("complaint_escalated", "department_supervisor") not in decided
        assert await drill.events("escalation.complaint_escalated", ticket) == []


async def test_a_repair_reported_just_before_the_clock_moves_has_its_order_issued_in_time(
    desk: Desk, drill_services
) -> None:
    """A reaction is waited for too: intake publishes the report, dispatch issues the order at
    once (R7.6), and only then does escalation decide whether the order came within 5 minutes."""
    await drill_services()
    drill = Drill(desk)
    for n in range(1, 4):
        body = report_body(f"r-{n}", kind="repair", category="plumbing", content="厨房水管漏水")
        reply = await desk.command("hbw", "report", body)
        assert reply["ok"], reply

        decided = await drill.decided_at(START + n * timedelta(minutes=6))

        assert not {d for d in decided if d[1] == "order_issued_household"}, decided


async def test_a_complaint_resolved_while_escalation_was_down_does_not_climb_at_its_restart(
    desk: Desk, drill_services, nats_server, settings: Settings, sim_clock
) -> None:
    """On any clock: escalation decides what fell due while it was down only after it has read
    what DESK recorded meanwhile."""
    running = await drill_services()
    drill = Drill(desk)
    for n in range(1, 4):
        reply = await desk.command("hbw", "report", report_body(f"c-{n}"))
        ticket = reply["ticket_id"]
        await eventually(lambda ticket=ticket: drill.events("escalation.ladder_started", ticket))
        await running["escalation"].stop()
        await ready_to_resolve(desk, "hbw", ticket)  # R6.2, R6.9
        resolved = await desk.command(
            "hbw", "resolve", {"ticket_id": ticket, "resolution": "已协调", "staff_id": "S1"}
        )
        assert resolved["ok"], resolved
        await eventually(lambda ticket=ticket: resolved_on_desk(drill, ticket))
        sim_clock.set(START + (2 * DAY + SECOND) * n)  # past the first step, while it is down

        running["escalation"] = EscalationService(settings, sim_clock, DRILL_SITES)
        await running["escalation"].start(nats_server.url)
        await eventually(lambda ticket=ticket: drill.events("escalation.ladder_changed", ticket))
        await drill.set_clock(START + (2 * DAY + SECOND) * n)  # and whatever it decided is out

        assert await drill.events("escalation.complaint_escalated", ticket) == []


async def resolved_on_desk(drill: Drill, ticket: str) -> bool:
    return any(e["aggregate_id"] == ticket for e in await drill.events("ticket.resolved"))
