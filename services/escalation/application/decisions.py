"""The decisions a tick recorded, as `EscalationApp.tick()` returns them (the reply to
`desk.sim.clock.set` carries them: `Decision` in shared/contracts/escalation_commands.py): what
was decided, on which ticket, about what."""

from __future__ import annotations

from typing import Any

from services.escalation.domain import TicketClocks
from services.escalation.domain.care_visits import CareVisits
from services.escalation.domain.case_deadlines import CaseDeadlines

DECISIONS: dict[type, str] = {
    TicketClocks.ClockWarned: "clock_warned",
    TicketClocks.ClockBreached: "clock_breached",
    TicketClocks.ComplaintEscalated: "complaint_escalated",
    TicketClocks.ComplaintUpgraded: "complaint_upgraded",
    TicketClocks.MajorReported: "major_reported",
    TicketClocks.MajorSuggested: "major_suggested",
    TicketClocks.FindingReferred: "finding_referred",
    CaseDeadlines.MeasureOverdue: "measure_overdue",
    CareVisits.VisitOverdue: "care_visit_due",
}


def decision(board: TicketClocks | CaseDeadlines | CareVisits, event: Any) -> dict[str, Any]:
    """`ticket_id`, `ticket_no`: a violation case's id and client_ref for its measures."""
    if isinstance(event, TicketClocks.MajorReported):
        subject = f"major:{event.role}"
    else:
        subject = getattr(event, "key", None) or getattr(event, "level", None) or "major"
    if isinstance(event, TicketClocks.FindingReferred):
        subject = f"finding:{event.role}"
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
