"""The one place where escalation's domain events become published contracts, and where a
published decision becomes the notification a role receives."""

from __future__ import annotations

from typing import Any

from services.escalation.domain import IncidentWatch, Notice, TicketClocks
from services.escalation.domain.care_visits import CareVisits
from services.escalation.domain.case_deadlines import CaseDeadlines
from services.escalation.domain.handover_watch import HandoverWatch
from services.escalation.domain.notice_watch import NoticeWatch
from services.escalation.domain.promise_watch import PromiseWatch
from shared.contracts import escalation_events
from shared.contracts import events as ticket_events
from shared.kernel.text import shortened
from shared.messaging.publishing import envelope, mask

EVENT_NAMES: dict[type, str] = {
    TicketClocks.ClockStarted: "clock_started",
    TicketClocks.ClockPaused: "clock_paused",
    TicketClocks.ClockResumed: "clock_resumed",
    TicketClocks.ClockStopped: "clock_stopped",
    TicketClocks.ClockWarned: "clock_warned",
    TicketClocks.ClockBreached: "clock_breached",
    TicketClocks.LadderStarted: "ladder_started",
    TicketClocks.LadderChanged: "ladder_changed",
    TicketClocks.ComplaintEscalated: "complaint_escalated",
    TicketClocks.ComplaintUpgraded: "complaint_upgraded",
    Notice.Acknowledged: "notification_acknowledged",
    Notice.Ended: "notification_ended",
    TicketClocks.MajorReported: "major_reported",
    TicketClocks.MajorSuggested: "major_suggested",
    IncidentWatch.Alerted: "incident_alerted",
    IncidentWatch.FollowUpOverdue: "incident_follow_up_due",
    TicketClocks.ClockExtended: "clock_extended",
    TicketClocks.ClockRecounted: "clock_recounted",
    TicketClocks.FindingReferred: "finding_referred",
    CaseDeadlines.MeasureOverdue: "measure_overdue",
    PromiseWatch.Reminded: "promise_reminder",
    PromiseWatch.Overdue: "promise_overdue",
    NoticeWatch.ExplanationDue: "maintenance_explanation_due",
    NoticeWatch.RestorationOverdue: "maintenance_restoration_overdue",
    HandoverWatch.Unsigned: "handover_unsigned",
    CareVisits.VisitOverdue: "care_visit_due",
    TicketClocks.ComplaintReceived: "complaint_received",
}


def _data(name: str, ev: Any) -> dict[str, Any]:
    if name.startswith("incident_"):
        return _incident(name, ev)
    if name.startswith("promise_"):  # a promise's watch (R6.15): its id, client_ref, owner,
        # and what was promised on which ticket, masked again and cut (R15.1, R15.4)
        return {"promise_id": ev.promise_id, "client_ref": ev.client_ref, "owner": ev.owner,
                "due_at": ev.due_at, "kind": ev.kind, "what": _shortened(mask(ev.what)),
                "ticket_no": ev.on_ticket, "notification": _notified(ev)}  # fmt: skip
    if name.startswith("maintenance_"):  # a notice's clock (R7.10, R16.6)
        notified = {"notification_id": ev.notification_id, "role": ev.role}
        return {"notice_id": ev.notice_id, "notice_no": ev.notice_no, "kind": ev.kind,
                "due_at": ev.due_at, "notification": notified}  # fmt: skip
    if name == "measure_overdue":  # a violation case's board: its id and client_ref
        notified = {"notification_id": ev.notice_id, "role": ev.role}
        return {"ticket_id": ev.case_id, "ticket_no": ev.client_ref, "measure": ev.measure,
                "due_on": ev.due_on, "due_at": ev.due_at, "notification": notified}  # fmt: skip
    if name == "handover_unsigned":  # a shift log's board: its id and its shift (R15.9)
        notified = {"notification_id": ev.notice_id, "role": ev.role}
        return {"ticket_id": ev.shift_id, "ticket_no": ev.shift, "due_at": ev.sign_by,
                "notification": notified}  # fmt: skip
    if name == "care_visit_due":  # a special-care resident's board (R11.10), her zone (R1.3)
        notified = {"notification_id": ev.notice_id, "role": ev.role, "zone": ev.zone}
        return {"ticket_id": ev.resident_id, "ticket_no": ev.resident_ref, "due_at": ev.due_at,
                "notification": notified}  # fmt: skip
    base = {"ticket_id": ev.ticket_id, "ticket_no": ev.ticket_no}
    if name.startswith("clock_"):
        base |= {"clock": ev.clock, "key": ev.key}
    match name:
        case "clock_started":
            return base | {
                "order_no": ev.order_no,
                "started_at": ev.started_at,
                "deadline": ev.deadline,
                "warn_at": ev.warn_due,
                "target_seconds": ev.budget,
                "role": ev.notify,
                "guessed_years": list(getattr(ev, "guessed_years", ())),
            }
        case "clock_paused":
            note = mask(ev.note)
            return base | {"reason": ev.reason, "note": note, "counted_seconds": ev.counted}
        case "clock_resumed":
            return base | {
                "deadline": ev.deadline,
                "warn_at": ev.warn_due,
                "guessed_years": list(getattr(ev, "guessed_years", ())),
            }
        case "clock_stopped":
            return base | {"outcome": ev.outcome, "counted_seconds": ev.counted}
        case "clock_extended":
            return base | {
                "deadline": ev.deadline,
                "warn_at": ev.warn_due,
                "previous_deadline": ev.previous_deadline,
                "target_seconds": ev.budget,
                "reason": mask(ev.reason) or "",
            }
        case "clock_recounted":
            paused = ev.deadline is None
            return base | {
                "counting": ev.counting,
                "deadline": ev.deadline,
                "warn_at": ev.warn_due,
                "previous_deadline": ev.previous_deadline,
                "target_seconds": ev.budget,
                "counted_seconds": ev.counted if paused else None,
                "guessed_years": list(ev.guessed_years),
            }
        case "clock_warned":
            return base | {"deadline": ev.deadline}
        case "clock_breached":
            return base | {
                "deadline": ev.deadline,
                "compensation_risk": ev.compensation_risk,
                "notification": _notified(ev),
            }
        case "ladder_started":
            return base | {"steps": ev.steps, "upgrade_at": ev.upgrade_at}
        case "ladder_changed":
            return base | {"state": ev.state, "reason": ev.reason}
        case "complaint_escalated":
            notification = _notified(ev)
            return base | {"level": ev.level, "due_at": ev.due_at, "notification": notification}
        case "major_reported":
            return base | {"reason": ev.reason, "due_at": ev.due_at, "notification": _notified(ev)}
        case "finding_referred" | "complaint_received":
            return base | {"due_at": ev.due_at, "notification": _notified(ev)}
        case "major_suggested":
            return base | {"raised": ev.raised, "due_at": ev.due_at, "notification": _notified(ev)}
        case "complaint_upgraded":
            notification = {"notification_id": ev.notice_id, "role": ev.role}
            return base | {"severity": "major", "due_at": ev.due_at, "notification": notification}
        case "notification_ended":  # the code it records (R6.3)
            return base | {"notification_id": ev.originator_id, "role": ev.role, "why": ev.why}
    # notification_acknowledged
    return base | {"notification_id": ev.originator_id, "role": ev.role, "note": mask(ev.note)}


def _incident(name: str, ev: Any) -> dict[str, Any]:
    """An emergency event's alert or reminder (R16.5): what happened, where and when; the place
    is a unit or area, masked as everything published is."""
    data = {"incident_id": ev.incident_id, "incident_no": ev.incident_no, "kind": ev.kind,
            "place": mask(ev.place), "occurred_at": ev.occurred_at,
            "notification": _notified(ev)}  # fmt: skip
    return data if name == "incident_alerted" else data | {"due_at": ev.due_at}


def _shortened(text: str | None) -> str | None:
    """At most WHAT_SHOWN characters: cut after masking, so no cut leaves a part of a number
    that masking would no longer recognise."""
    return None if text is None else shortened(text, escalation_events.WHAT_SHOWN)


def _notified(ev: Any) -> dict[str, Any]:
    department = getattr(ev, "department", None)
    told = {"notification_id": ev.notice_id, "role": ev.role, "department": department}
    # a breach and a complaint received name the zone whose CS assistant is told (R1.3, R6.3)
    zoned = isinstance(ev, TicketClocks.ClockBreached | TicketClocks.ComplaintReceived)
    return told | {"zone": ev.zone} if zoned else told


def translate(event: object) -> ticket_events.Envelope | None:
    name = EVENT_NAMES.get(type(event))
    if name is None:
        return None  # openings, order links, notices raised: escalation's own records
    data = escalation_events.ESCALATION_DATA[name].model_validate(_data(name, event))
    return envelope(event, f"escalation.{name}", data, None)
