"""The one place where intake's domain events become published contracts.

Reporter names and phone numbers never leave: they are not in the contracts, and free text is
masked for the reporter's own name and phone and for anything that looks like personal data
(shared/kernel/personal/).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from services.intake.adapters.maintenance_translate import maintenance_envelope
from services.intake.adapters.round_translate import round_envelope
from services.intake.adapters.shift_translate import shift_envelope
from services.intake.adapters.translate_promises import PromiseOf, promise_envelope
from services.intake.adapters.translate_residents import resident_envelope
from services.intake.adapters.translate_violations import CaseOf, violation_envelope
from services.intake.adapters.visit_translate import visit_envelope
from services.intake.domain import (
    Incident,
    MaintenanceNotice,
    MonthReview,
    Promise,
    Ticket,
    ViolationCase,
)
from shared.contracts import events, incident_events
from shared.messaging.publishing import envelope, mask


class Translator:
    """Maps Ticket events to envelopes. `reporters_of` yields every reporter known for a ticket."""

    def __init__(
        self,
        reporters_of: Callable[[UUID], list[dict[str, Any] | None]],
        ticket_of_incident: Callable[[UUID], UUID | None] = lambda _: None,
        case_of: CaseOf = lambda _: None,
        promise_of: PromiseOf = lambda _: None,
    ) -> None:
        self._reporters_of = reporters_of
        self._ticket_of_incident = ticket_of_incident
        self._case_of = case_of  # a violation case, for its class and its offender
        self._promise_of = promise_of  # a promise, for its ticket's callers and its caller

    def __call__(self, event: object) -> events.Envelope | None:
        if isinstance(event, MonthReview.Event):
            return _analysis(event)
        if isinstance(event, Incident.Event):
            return self._incident(event)
        published = (
            round_envelope(event)
            or shift_envelope(event, self._reporters_of)
            or visit_envelope(event)
        )
        if published is not None:
            return published
        if isinstance(event, ViolationCase.Event):
            return violation_envelope(event, self._case_of)
        published = resident_envelope(event)  # the resident and unit file (RESIDENTS.md)
        if published is not None:
            return published
        if isinstance(event, Promise.Event):
            return promise_envelope(event, self._promise_of, self._reporters_of)
        if isinstance(event, MaintenanceNotice.Event):
            return maintenance_envelope(event)
        build = _BUILDERS.get(type(event))
        if build is None:
            return None  # command receipts, counters, the access log: internal to intake
        assert isinstance(event, Ticket.Event)
        reporters = self._reporters_of(event.originator_id)
        published, data, occurred_at = build(event, lambda t: mask(t, reporters))
        return envelope(event, published.type_name(), data, occurred_at)

    def _incident(self, event: Incident.Event) -> events.Envelope:
        """An incident's event; its free text masked for the callers of the ticket that
        opened it, if any (docs/INCIDENTS.md)."""
        ticket_id = getattr(event, "ticket_id", None) or self._ticket_of_incident(
            event.originator_id
        )
        reporters = self._reporters_of(ticket_id) if ticket_id is not None else []
        published, data, occurred_at = _INCIDENT_BUILDERS[type(event)](
            event, lambda t: mask(t, reporters)
        )
        return envelope(event, published.type_name(), data, occurred_at)


def _reported(ev: Ticket.Reported, m: Callable) -> tuple:
    data = events.TicketReported(
        ticket_no=ev.ticket_no,
        client_ref=ev.client_ref,
        channel=ev.channel,
        kind=ev.kind,
        category=ev.category,
        help_category=ev.help_category,
        unit=m((ev.reporter or {}).get("room")),  # checked at the edge; masked for older rooms
        content=m(ev.content),
        received_at=ev.received_at,
        appointment=ev.appointment,
        zone=ev.zone,  # a place, checked as the unit file's zone was
    )
    return events.TicketReportedEvent, data, ev.received_at


def _classified(ev: Ticket.Classified, m: Callable) -> tuple:
    data = events.TicketClassified(
        kind=ev.kind,
        category=ev.category,
        help_category=ev.help_category,
        validity=ev.validity,
        communicative_type=ev.communicative_type,
        severity=ev.severity,
        about_staff=ev.about_staff,
    )
    return events.TicketClassifiedEvent, data, None


def _linked(ev: Ticket.ContactLinked, m: Callable) -> tuple:
    data = events.ContactLinked(
        channel=ev.channel,
        content=m(ev.content),
        received_at=ev.received_at,
        repeat_count=ev.repeat_count,
    )
    return events.ContactLinkedEvent, data, ev.received_at


def _revealed(ev: Ticket.ContactRevealed, m: Callable) -> tuple:
    return events.ContactRevealedEvent, events.ContactRevealed(purpose=m(ev.purpose)), None


def _replied(ev: Ticket.Replied, m: Callable) -> tuple:
    return (
        events.TicketRepliedEvent,
        events.TicketReplied(message=m(ev.message), first=ev.first),
        None,
    )


def _resolved(ev: Ticket.Resolved, m: Callable) -> tuple:
    return events.TicketResolvedEvent, events.TicketResolved(resolution=m(ev.resolution)), None


def _solution(ev: Ticket.SolutionAccepted, m: Callable) -> tuple:
    data = events.SolutionAccepted(solution=m(ev.solution) or "")
    return events.SolutionAcceptedEvent, data, None


def _followed_up(ev: Ticket.FollowedUp, m: Callable) -> tuple:
    data = events.FollowUpRecorded(satisfied=ev.satisfied, score=ev.score, comment=m(ev.comment))
    return events.FollowUpRecordedEvent, data, None


def _verified(ev: Ticket.VerifiedOnSite, m: Callable) -> tuple:
    data = events.VerifiedOnSite(
        verified_by=ev.verified_by,
        verified_at=ev.verified_at,
        passed=ev.passed,
        note=m(ev.note),
    )
    return events.VerifiedOnSiteEvent, data, None


def _closed(ev: Ticket.Closed, m: Callable) -> tuple:
    return events.TicketClosedEvent, events.TicketClosed(reason=ev.reason), None


def _reopened(ev: Ticket.Reopened, m: Callable) -> tuple:
    data = events.TicketReopened(reason=m(ev.reason), reopen_count=ev.reopen_count)
    return events.TicketReopenedEvent, data, None


def _cancelled(ev: Ticket.Cancelled, m: Callable) -> tuple:
    data = events.TicketCancelled(reason=ev.reason, note=m(ev.note), duplicate_of=ev.duplicate_of)
    return events.TicketCancelledEvent, data, None


def _analysis(ev: MonthReview.Event) -> events.Envelope:
    data = events.MonthAnalysisAttached(
        month=ev.month,
        cause=mask(ev.cause) or "",
        lessons=mask(ev.lessons) or "",
        actions=mask(ev.actions) or "",
        revision=ev.originator_version,
    )
    return envelope(ev, events.MonthAnalysisAttachedEvent.type_name(), data, None)


_BUILDERS: dict[type, Callable[[Any, Callable], tuple]] = {
    Ticket.Reported: _reported,
    Ticket.Classified: _classified,
    Ticket.ContactLinked: _linked,
    Ticket.ContactRevealed: _revealed,
    Ticket.Replied: _replied,
    Ticket.Resolved: _resolved,
    Ticket.SolutionAccepted: _solution,
    Ticket.FollowedUp: _followed_up,
    Ticket.VerifiedOnSite: _verified,
    Ticket.Closed: _closed,
    Ticket.Reopened: _reopened,
    Ticket.Cancelled: _cancelled,
}


def _incident_opened(ev: Incident.Opened, m: Callable) -> tuple:
    data = incident_events.IncidentOpened(
        incident_no=ev.incident_no,
        client_ref=ev.client_ref,
        kind=ev.kind,
        place=m(ev.place),
        occurred_at=ev.occurred_at,
        ticket_id=ev.ticket_id,
        ticket_no=ev.ticket_no,
        help_category=ev.help_category,
    )
    return incident_events.IncidentOpenedEvent, data, ev.occurred_at


def _measure(ev: Incident.MeasureRecorded, m: Callable) -> tuple:
    data = incident_events.IncidentMeasureRecorded(
        measure=m(ev.measure) or "", taken_at=ev.taken_at
    )
    return incident_events.IncidentMeasureRecordedEvent, data, ev.taken_at


def _reported_up(ev: Incident.ReportedUp, m: Callable) -> tuple:
    data = incident_events.IncidentReportedUp(to=ev.to, reported_at=ev.reported_at, note=m(ev.note))
    return incident_events.IncidentReportedUpEvent, data, ev.reported_at


def _incident_closed(ev: Incident.Closed, m: Callable) -> tuple:
    data = incident_events.IncidentClosed(follow_up=m(ev.follow_up) or "", closed_at=ev.closed_at)
    return incident_events.IncidentClosedEvent, data, ev.closed_at


_INCIDENT_BUILDERS: dict[type, Callable[[Any, Callable], tuple]] = {
    Incident.Opened: _incident_opened,
    Incident.MeasureRecorded: _measure,
    Incident.ReportedUp: _reported_up,
    Incident.Closed: _incident_closed,
}
