"""The decisions a tick recorded, as `EscalationApp.tick()` returns them (the reply to
`desk.sim.clock.set` carries them: `Decision` in shared/contracts/escalation_commands.py): what
was decided, on which ticket, about what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.escalation.domain import TicketClocks
from services.escalation.domain.care_visits import CareVisits
from services.escalation.domain.case_deadlines import CaseDeadlines
from services.escalation.domain.handover_watch import HandoverWatch
from services.escalation.domain.promise_watch import PromiseWatch

DECISIONS: dict[type, str] = {
    TicketClocks.ClockWarned: "clock_warned",
    TicketClocks.ClockBreached: "clock_breached",
    TicketClocks.ComplaintEscalated: "complaint_escalated",
    TicketClocks.ComplaintUpgraded: "complaint_upgraded",
    TicketClocks.MajorReported: "major_reported",
    TicketClocks.MajorSuggested: "major_suggested",
    TicketClocks.FindingReferred: "finding_referred",
    CaseDeadlines.MeasureOverdue: "measure_overdue",
    PromiseWatch.Reminded: "promise_reminder",
    PromiseWatch.Overdue: "promise_overdue",
    HandoverWatch.Unsigned: "handover_unsigned",
    CareVisits.VisitOverdue: "care_visit_due",
    TicketClocks.ComplaintReceived: "complaint_received",
}


# what a decision is about, where its event does not say it by its `key` or `level`
SUBJECTS: dict[type, Callable[[Any], str]] = {
    TicketClocks.MajorReported: lambda ev: f"major:{ev.role}",
    TicketClocks.FindingReferred: lambda ev: f"finding:{ev.role}",
    TicketClocks.ComplaintReceived: lambda ev: f"received:{ev.role}",  # R6.3, R1.3
    PromiseWatch.Reminded: lambda ev: "reminder",
    PromiseWatch.Overdue: lambda ev: "overdue",
    HandoverWatch.Unsigned: lambda ev: "handover",  # R15.9
}


def decision(
    board: TicketClocks | CaseDeadlines | PromiseWatch | HandoverWatch | CareVisits, event: Any
) -> dict[str, Any]:
    """`ticket_id`, `ticket_no`: the board's subject — a ticket's, or a violation case's id and
    client_ref, a promise's, a shift log's id and shift, a special-care resident's id and ref."""
    about = SUBJECTS.get(type(event))
    if about is not None:
        subject = about(event)
    else:
        subject = getattr(event, "key", None) or getattr(event, "level", None) or "major"
    return {
        "event": DECISIONS[type(event)],
        "ticket_id": str(board.ticket_id),
        "ticket_no": board.ticket_no,
        "subject": subject,
    }


def incident_decision(event: Any) -> dict[str, Any]:
    """An emergency event's follow-up reminder (R16.5): it names the incident."""
    return {
        "event": "incident_follow_up_due",
        "ticket_id": str(event.incident_id),
        "ticket_no": event.incident_no,
        "subject": "follow_up",
    }
