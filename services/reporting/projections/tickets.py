"""Ticket-state projection: how each published ticket event changes a ticket's read model.

Pure functions over plain dicts, so the rules can be read and tested without a store.
`STATUS_AFTER` is the one place reporting derives a ticket's status (the ticket view and the
analytics facts both read it); it says what intake's Ticket aggregate says.
"""

from __future__ import annotations

from typing import Any

from shared.contracts import events as ticket_events
from shared.contracts.resident_events import TicketSpecialCareEvent
from shared.contracts.shift_events import TicketHandedOverEvent
from shared.eventstore.views import Projector, Step
from shared.kernel.vocabulary import TicketStatus

TicketState = dict[str, Any]

# The status a ticket has after each event that changes it (as intake's own ticket says:
# services/intake/domain/ticket_events.py).
STATUS_AFTER: dict[type[ticket_events.Envelope], TicketStatus] = {
    ticket_events.TicketReportedEvent: TicketStatus.received,
    ticket_events.TicketClassifiedEvent: TicketStatus.classified,
    ticket_events.TicketResolvedEvent: TicketStatus.resolved,
    ticket_events.TicketClosedEvent: TicketStatus.closed,
    ticket_events.TicketReopenedEvent: TicketStatus.reopened,
    ticket_events.TicketCancelledEvent: TicketStatus.cancelled,
}


_STATUS = {cls: status.value for cls, status in STATUS_AFTER.items()}


def status_after(event: ticket_events.Envelope) -> str | None:
    """The ticket's status after `event`; None when the event leaves it as it was."""
    return _STATUS.get(type(event))


def _reported(state: TicketState | None, ev: ticket_events.TicketReportedEvent) -> TicketState:
    d = ev.data
    return {
        "ticket_id": str(ev.aggregate_id),
        "site": ev.site,
        "ticket_no": d.ticket_no,
        "client_ref": d.client_ref,
        "status": status_after(ev),
        "channel": d.channel.value,
        "kind": d.kind.value,
        "category": d.category,
        "help_category": d.help_category.value if d.help_category else None,
        "validity": None,
        "communicative_type": None,
        "severity": None,
        "unit": d.unit,
        "zone": d.zone,  # the unit's zone at report (R1.3); null in a schema-1 event
        "content": d.content,
        "received_at": d.received_at.isoformat(),
        "appointment": d.appointment.model_dump(mode="json") if d.appointment else None,
        "owner": ev.actor,
        "resolution": None,
        "repeat_count": 0,
        "reopen_count": 0,
        "follow_up_count": 0,
        "last_follow_up": None,
        "last_verification": None,
        "solution_accepted_at": None,
        "cancel_reason": None,
        "cancel_note": None,
        "duplicate_of": None,
        "first_reply_at": None,
        "reply_count": 0,
        "resolved_at": None,
        "closed_at": None,
    }


def _classified(state: TicketState, ev: ticket_events.TicketClassifiedEvent) -> TicketState:
    d = ev.data
    return state | {
        "status": status_after(ev),
        "kind": d.kind.value,
        "category": d.category,
        "help_category": d.help_category.value if d.help_category else None,
        "validity": d.validity.value if d.validity else None,
        "communicative_type": d.communicative_type.value if d.communicative_type else None,
        "severity": d.severity.value if d.severity else None,
    }


def _linked(state: TicketState, ev: ticket_events.ContactLinkedEvent) -> TicketState:
    return state | {"repeat_count": ev.data.repeat_count}


def _revealed(state: TicketState, ev: ticket_events.ContactRevealedEvent) -> TicketState:
    return state  # only the history records who looked


def _replied(state: TicketState, ev: ticket_events.TicketRepliedEvent) -> TicketState:
    first = state.get("first_reply_at") or ev.occurred_at.isoformat()
    return state | {"first_reply_at": first, "reply_count": state.get("reply_count", 0) + 1}


def _resolved(state: TicketState, ev: ticket_events.TicketResolvedEvent) -> TicketState:
    return state | {
        "status": status_after(ev),
        "resolution": ev.data.resolution,
        "resolved_at": ev.occurred_at.isoformat(),
    }


def _solution_accepted(state: TicketState, ev: ticket_events.SolutionAcceptedEvent) -> TicketState:
    return state | {"solution_accepted_at": ev.occurred_at.isoformat()}  # R6.9


def _followed_up(state: TicketState, ev: ticket_events.FollowUpRecordedEvent) -> TicketState:
    follow_up = ev.data.model_dump(mode="json") | {"at": ev.occurred_at.isoformat()}
    return state | {"follow_up_count": state["follow_up_count"] + 1, "last_follow_up": follow_up}


def _verified(state: TicketState, ev: ticket_events.VerifiedOnSiteEvent) -> TicketState:
    """An inspection finding's check on site (R13.17): the last one, as the follow-up's is."""
    return state | {"last_verification": ev.data.model_dump(mode="json")}


def _closed(state: TicketState, ev: ticket_events.TicketClosedEvent) -> TicketState:
    return state | {"status": status_after(ev), "closed_at": ev.occurred_at.isoformat()}


def _reopened(state: TicketState, ev: ticket_events.TicketReopenedEvent) -> TicketState:
    return state | {
        "status": status_after(ev),
        "solution_accepted_at": None,
        "reopen_count": ev.data.reopen_count,
        "closed_at": None,
    }


def _cancelled(state: TicketState, ev: ticket_events.TicketCancelledEvent) -> TicketState:
    d = ev.data  # a schema-1 event's free text reads as its note (shared/contracts/events.py)
    return state | {
        "status": status_after(ev),
        "cancel_reason": d.reason.value,
        "cancel_note": d.note,
        "duplicate_of": str(d.duplicate_of) if d.duplicate_of else None,
    }


def _handed_over(state: TicketState, ev: TicketHandedOverEvent) -> TicketState:
    """A recorded hand-over (R10.1): the new owner, and the hand-overs in order."""
    d = ev.data
    handed = {"from_staff": d.from_staff, "to_staff": d.to_staff, "by": ev.actor,
              "reason": d.reason, "at": d.handed_over_at.isoformat()}  # fmt: skip
    return state | {"owner": d.to_staff, "handovers": [*state.get("handovers", []), handed]}


def _special_care(state: TicketState, ev: TicketSpecialCareEvent) -> TicketState:
    """A special-care resident's ticket (R11.10, docs/RESIDENTS.md): shown marked."""
    return state | {"special_care": True, "special_care_resident": str(ev.data.resident_id)}


STEPS: dict[type[ticket_events.Envelope], Step] = {
    ticket_events.TicketReportedEvent: _reported,
    ticket_events.TicketClassifiedEvent: _classified,
    ticket_events.ContactLinkedEvent: _linked,
    ticket_events.ContactRevealedEvent: _revealed,
    ticket_events.TicketRepliedEvent: _replied,
    ticket_events.TicketResolvedEvent: _resolved,
    ticket_events.SolutionAcceptedEvent: _solution_accepted,
    ticket_events.FollowUpRecordedEvent: _followed_up,
    ticket_events.VerifiedOnSiteEvent: _verified,
    ticket_events.TicketClosedEvent: _closed,
    ticket_events.TicketReopenedEvent: _reopened,
    ticket_events.TicketCancelledEvent: _cancelled,
    TicketHandedOverEvent: _handed_over,  # first-contact ownership (R10.1, docs/SHIFTS.md)
    TicketSpecialCareEvent: _special_care,
}


TICKETS: Projector[TicketState] = Projector(
    STEPS, first=frozenset({ticket_events.TicketReportedEvent})
)


def evolve(state: TicketState | None, event: ticket_events.Envelope) -> TicketState | None:
    """The ticket after `event`; None when the event is not about tickets or comes too early."""
    return TICKETS.evolve(state, event)


def history_entry(event: ticket_events.Envelope) -> dict[str, Any]:
    return {
        "version": event.aggregate_version,
        "event_type": event.event_type,  # type: ignore[attr-defined]
        "event_id": str(event.event_id),
        "occurred_at": event.occurred_at.isoformat(),
        "recorded_at": event.recorded_at.isoformat(),
        "actor": event.actor,
        "correlation_id": event.correlation_id,
        "data": event.data.model_dump(mode="json"),  # type: ignore[attr-defined]
    }
