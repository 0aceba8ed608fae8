"""What intake does when dispatch reports on a ticket's work orders (consumed from DESK; the
`reactions` table of `IntakeApp` points here). Intake keeps each ticket's open orders
(`domain/work_orders.py`), so that a ticket is never resolved or closed while one is open (R8.12),
and dispatch's last sign-off of a ticket's orders resolves the ticket, its follow-up call (回访)
then due."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from services.intake.domain import OrderOfTicket, TicketOrders
from shared.contracts.workorder_events import (
    QuoteDeclinedEvent,
    WorkOrderCancelledEvent,
    WorkOrderIssuedEvent,
    WorkOrderReferredEvent,
    WorkOrderSignedOffEvent,
)
from shared.kernel.refusals import RuleError, TransitionError

if TYPE_CHECKING:
    from services.intake.application import IntakeApp

WORK_DONE = "all work orders completed and signed off by the customer"

OrderEnded = (
    WorkOrderSignedOffEvent | WorkOrderReferredEvent | QuoteDeclinedEvent | WorkOrderCancelledEvent
)


def order_issued(app: IntakeApp, event: WorkOrderIssuedEvent) -> list[Any]:
    """A new order of a ticket: open until it is signed off, referred, declined or cancelled."""
    if app.get(OrderOfTicket.id_for(event.aggregate_id), OrderOfTicket) is not None:
        return []  # read again
    now, ticket_id = app.clock.now(), event.data.ticket_id
    link = OrderOfTicket.link(order_id=event.aggregate_id, ticket_id=ticket_id, at=now)
    orders = ticket_orders(app, ticket_id) or TicketOrders.start(ticket_id=ticket_id, at=now)
    orders.opened(now, order_id=event.aggregate_id, order_no=event.data.order_no)
    return [link, orders]


def order_ended(app: IntakeApp, event: OrderEnded) -> list[Any]:
    link = app.get(OrderOfTicket.id_for(event.aggregate_id), OrderOfTicket)
    orders = ticket_orders(app, link.ticket_id) if link is not None else None
    status = event.event_type.removeprefix("workorder.")
    if orders is None or not orders.ended(
        app.clock.now(), order_id=event.aggregate_id, status=status
    ):
        return []  # an order issued before intake followed them (2026-12): not known here
    return [orders]


def work_done(app: IntakeApp, event: WorkOrderSignedOffEvent) -> list[Any]:
    """When dispatch reports every work order of a ticket signed off, the ticket is resolved
    and its follow-up call (回访) is due."""
    changed = order_ended(app, event)
    if not event.data.ticket_done:
        return changed
    ticket = app.ticket(event.data.ticket_id)
    if ticket is None or not ticket.is_open:
        return changed
    if ticket.reopened_at is not None and event.recorded_at <= ticket.reopened_at:
        return changed  # a sign-off from before the ticket was reopened (a late republish)
    meta = {
        "actor": event.actor,
        "correlation_id": event.correlation_id,
        "causation_id": str(event.event_id),
    }
    # the ticket's orders with this one ended (not yet saved: not read from the store again)
    orders = next((c for c in changed if isinstance(c, TicketOrders)), None)
    orders = orders or ticket_orders(app, event.data.ticket_id)
    open_numbers = orders.open_numbers if orders is not None else []
    try:
        ticket.resolve(
            at=app.clock.now(), meta=meta, resolution=WORK_DONE, open_orders=open_numbers
        )
    except (TransitionError, RuleError):
        return changed  # not resolvable by itself: the desk resolves it
    return [*changed, ticket]


def ticket_orders(app: IntakeApp, ticket_id: UUID) -> TicketOrders | None:
    return app.get(TicketOrders.id_for(ticket_id), TicketOrders)


def open_orders(app: IntakeApp, ticket_id: UUID) -> list[str]:
    """The numbers of the ticket's work orders still open, as far as intake has read."""
    orders = ticket_orders(app, ticket_id)
    return orders.open_numbers if orders is not None else []
