"""What escalation does when DESK changes: `REACTIONS`, one table from each event class it follows
to its reaction. A reaction finds the ticket's clocks (or the order's, through its `OrderLink`),
records what they must know (opened, classified, an order noted, reopened, closed), and runs the
clock rules (policy.py `TRIGGERS`); a ticket resolved, closed or cancelled, or a complaint off the
ladder, ends the notices still owed (notice_ends.py), as the other subjects' reactions do when
theirs close. It returns what it changed, to be saved with the stream's position. The rest of
DESK leaves the clocks as they are."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from services.escalation.application import incidents, policy
from services.escalation.application.care_reactions import CARE_REACTIONS
from services.escalation.application.case_reactions import CASE_REACTIONS
from services.escalation.application.handover_reactions import HANDOVER_REACTIONS
from services.escalation.application.home_reactions import HOME_REACTIONS
from services.escalation.application.maintenance import NOTICE_REACTIONS
from services.escalation.application.notice_ends import ladder_left, off_ladder, subject_ended
from services.escalation.application.notify.message import kept
from services.escalation.application.promise_reactions import PROMISE_REACTIONS
from services.escalation.domain import (
    Cause,
    OrderLink,
    TicketClocks,
    board_id_for,
    order_link_id_for,
)
from shared.contracts import events as ticket_events
from shared.contracts import incident_events, workorder_events
from shared.contracts.envelope import Envelope
from shared.contracts.round_events import RoundRecordedEvent
from shared.eventstore.ticket_numbers import TicketNumber
from shared.kernel.inspection import FindingType
from shared.kernel.sites import SiteConfig

if TYPE_CHECKING:
    from services.escalation.application import EscalationApp


def _board_of_ticket(app: EscalationApp, event: Envelope) -> TicketClocks | None:
    return app.get(board_id_for(event.aggregate_id), TicketClocks)


def _board_of_order(app: EscalationApp, event: Envelope) -> TicketClocks | None:
    link = app.get(order_link_id_for(event.aggregate_id), OrderLink)
    return app.get(board_id_for(link.ticket_id), TicketClocks) if link else None


def reported(app: EscalationApp, event: ticket_events.TicketReportedEvent, site: SiteConfig,
             cause: Cause) -> list[Any]:  # fmt: skip
    if _board_of_ticket(app, event) is not None:
        return []
    data = event.data
    board = TicketClocks.open(
        site=event.site,
        ticket_id=event.aggregate_id,
        ticket_no=data.ticket_no,
        kind=data.kind.value,
        received_at=data.received_at,
        zone=data.zone,
        **kept(data.unit, data.content),  # what its notices' messages say of it (R6.3)
        at=event.occurred_at,
        correlation_id=event.correlation_id,
        causation_id=cause.causation_id,
    )
    policy.run(board, event, site, cause)
    return [board, *app.note_number(event.site, data.ticket_no, event.aggregate_id)]


def classified(app: EscalationApp, event: ticket_events.TicketClassifiedEvent,
               site: SiteConfig, cause: Cause) -> list[Any]:  # fmt: skip
    board = _board_of_ticket(app, event)
    if board is None:
        return []
    was, data = board.kind, event.data
    was_off = off_ladder(board)
    board.record(
        TicketClocks.Classified,
        event.occurred_at,
        cause,
        kind=data.kind.value,
        validity=data.validity.value if data.validity else None,
        severity=data.severity.value if data.severity else None,
    )
    policy.run(board, event, site, cause, was_kind=was)
    return [board, *ladder_left(app, board, was_off, event, cause)]


def resolved(app: EscalationApp, event: ticket_events.TicketResolvedEvent, site: SiteConfig,
             cause: Cause) -> list[Any]:  # fmt: skip
    """The clocks stop, the follow-up call's starts; the notices raised so far are owed no more
    (one about the follow-up, raised later, is owed until the ticket closes)."""
    board = _board_of_ticket(app, event)
    if board is None:
        return []
    policy.run(board, event, site, cause)
    return [board, *subject_ended(app, board, "resolved", event, cause)]


def reopened(app: EscalationApp, event: ticket_events.TicketReopenedEvent, site: SiteConfig,
             cause: Cause) -> list[Any]:  # fmt: skip
    board = _board_of_ticket(app, event)
    if board is None:
        return []
    board.record(TicketClocks.Reopened, event.occurred_at, cause)
    policy.run(board, event, site, cause)
    return [board]


def ended(app: EscalationApp, event: Envelope, site: SiteConfig, cause: Cause) -> list[Any]:
    """Closed or cancelled: the clocks stop first, then the board records the end, and its
    notices still owed are owed no more."""
    board = _board_of_ticket(app, event)
    if board is None:
        return []
    policy.run(board, event, site, cause)
    status = "cancelled" if isinstance(event, ticket_events.TicketCancelledEvent) else "closed"
    board.record(TicketClocks.Closed, event.occurred_at, cause, status=status)
    return [board, *subject_ended(app, board, status, event, cause)]


def on_ticket(app: EscalationApp, event: Envelope, site: SiteConfig, cause: Cause) -> list[Any]:
    board = _board_of_ticket(app, event)
    if board is None:
        return []
    policy.run(board, event, site, cause)
    return [board]


def issued(app: EscalationApp, event: workorder_events.WorkOrderIssuedEvent, site: SiteConfig,
           cause: Cause) -> list[Any]:  # fmt: skip
    """Links the order to its ticket (later work-order events name only the order)."""
    changed: list[Any] = []
    link = app.get(order_link_id_for(event.aggregate_id), OrderLink)
    if link is None:
        link = OrderLink.link(event.aggregate_id, event.data.ticket_id, event.occurred_at)
        changed.append(link)
    board = app.get(board_id_for(link.ticket_id), TicketClocks)
    if board is None:
        return changed
    data = event.data
    if str(event.aggregate_id) not in board.orders:  # else a repeat: done already
        board.record(
            TicketClocks.OrderNoted,
            event.occurred_at,
            cause,
            order_id=event.aggregate_id,
            order_no=data.order_no,
            urgency=data.urgency.value,
            scope=data.scope.value,
            appointment_start=data.appointment.start if data.appointment else None,
            appointment_end=data.appointment.end if data.appointment else None,
            department=data.department,
        )
        policy.run(board, event, site, cause)
    return [*changed, board]


def on_order(app: EscalationApp, event: Envelope, site: SiteConfig, cause: Cause) -> list[Any]:
    board = _board_of_order(app, event)
    if board is None:
        return []
    policy.run(board, event, site, cause)
    return [board]


def round_recorded(app: EscalationApp, event: RoundRecordedEvent, site: SiteConfig,
                   cause: Cause) -> list[Any]:  # fmt: skip
    """A staff finding's ticket notes its department: its supervisor is told at once (R13.15b);
    its ticket.reported came before, so its board is open."""
    changed = []
    for finding in event.data.of_type(FindingType.staff):
        ticket = UUID(finding.ticket_id) if finding.ticket_id else None
        board = app.get(board_id_for(ticket), TicketClocks) if ticket else None
        if board is not None:
            department = finding.department.value if finding.department else None
            board.note_finding(department, finding.about_staff, event.occurred_at, cause)
            changed.append(board)
    return changed


Reaction = Callable[["EscalationApp", Any, SiteConfig, Cause], list[Any]]
# Every event on DESK escalation reacts to, and how; the rest leave the clocks as they are.
REACTIONS: dict[type[Envelope], Reaction] = {
    ticket_events.TicketReportedEvent: reported,
    ticket_events.TicketClassifiedEvent: classified,
    ticket_events.ContactLinkedEvent: on_ticket,
    ticket_events.TicketRepliedEvent: on_ticket,
    ticket_events.TicketResolvedEvent: resolved,
    ticket_events.FollowUpRecordedEvent: on_ticket,
    ticket_events.VerifiedOnSiteEvent: on_ticket,
    ticket_events.TicketReopenedEvent: reopened,
    ticket_events.TicketClosedEvent: ended,
    ticket_events.TicketCancelledEvent: ended,
    workorder_events.WorkOrderIssuedEvent: issued,
    workorder_events.ClassificationOverriddenEvent: on_order,
    workorder_events.WorkOrderCollectedEvent: on_order,
    workorder_events.WorkOrderRescheduledEvent: on_order,
    workorder_events.TechnicianArrivedEvent: on_order,
    workorder_events.QuoteGivenEvent: on_order,
    workorder_events.QuoteAcceptedEvent: on_order,
    workorder_events.QuoteDeclinedEvent: on_order,
    workorder_events.WorkOrderReferredEvent: on_order,
    workorder_events.WorkOrderCancelledEvent: on_order,
    workorder_events.WorkOrderCompletedEvent: on_order,
    incident_events.IncidentOpenedEvent: incidents.opened,
    incident_events.IncidentClosedEvent: incidents.closed,
    RoundRecordedEvent: round_recorded,  # inspection rounds (docs/INSPECTION.md)
    **CASE_REACTIONS,  # a violation case's due dates (case_reactions.py, R14.3)
    **PROMISE_REACTIONS,  # a promise's reminder and overdue notice (promise_reactions.py)
    **NOTICE_REACTIONS,  # a notice's explanation and restoration (maintenance.py, R16.6)
    **HANDOVER_REACTIONS,  # a closed shift log's signature (handover_reactions.py, R15.9)
    **CARE_REACTIONS,  # a special-care resident's visits (care_reactions.py, R11.10)
    **HOME_REACTIONS,  # where residents live: her reminder's zone (home_reactions.py, R1.3)
}


def lookups(events: Sequence[Envelope]) -> list[UUID]:
    """The ids the reactions to `events` will look up that are new, as a rule: a reported
    ticket's board and its number's entry, an issued order's link (asked of the store at once:
    shared/eventstore/desk_app.py `reaction_lookups`)."""
    found: list[UUID] = []
    for event in events:
        if isinstance(event, ticket_events.TicketReportedEvent):
            found.append(board_id_for(event.aggregate_id))
            found.append(TicketNumber.id_for(event.site, event.data.ticket_no))
        elif isinstance(event, workorder_events.WorkOrderIssuedEvent):
            found.append(order_link_id_for(event.aggregate_id))
    return found
