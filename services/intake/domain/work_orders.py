"""Intake's own record of each ticket's work orders, learnt from DESK (dispatch publishes them):
which are still open, so that a ticket is never resolved or closed while one is (R8.12, R11.8).
Never published. A ticket's orders (`TicketOrders`) and, for the events that do not name their
ticket, each order's ticket (`OrderOfTicket`)."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

ORDERS_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/intake/ticket-orders")
LINK_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/intake/order-of-ticket")


class TicketOrders(Aggregate):
    """The open work orders of one ticket: order id → order number."""

    class Started(Aggregate.Created):
        ticket_id: UUID

    class Opened(Aggregate.Event):
        order_id: UUID
        order_no: str

        def apply(self, orders: TicketOrders) -> None:
            orders.open[self.order_id] = self.order_no

    class Ended(Aggregate.Event):
        order_id: UUID
        status: str

        def apply(self, orders: TicketOrders) -> None:
            orders.open.pop(self.order_id, None)

    def __init__(self, *, ticket_id: UUID) -> None:
        self.ticket_id = ticket_id
        self.open: dict[UUID, str] = {}

    @staticmethod
    def id_for(ticket_id: UUID) -> UUID:
        return uuid5(ORDERS_NS, str(ticket_id))

    @classmethod
    def start(cls, *, ticket_id: UUID, at: datetime) -> TicketOrders:
        return cls._create(cls.Started, id=cls.id_for(ticket_id), timestamp=at, ticket_id=ticket_id)

    def opened(self, at: datetime, *, order_id: UUID, order_no: str) -> None:
        self.trigger_event(self.Opened, timestamp=at, order_id=order_id, order_no=order_no)

    def ended(self, at: datetime, *, order_id: UUID, status: str) -> bool:
        """Record that an open order ended; False when it was not open here."""
        if order_id not in self.open:
            return False
        self.trigger_event(self.Ended, timestamp=at, order_id=order_id, status=status)
        return True

    @property
    def open_numbers(self) -> list[str]:
        return sorted(self.open.values())


class OrderOfTicket(Aggregate):
    """Which ticket a work order belongs to (only its issue and sign-off events say)."""

    class Linked(Aggregate.Created):
        ticket_id: UUID

    def __init__(self, *, ticket_id: UUID) -> None:
        self.ticket_id = ticket_id

    @staticmethod
    def id_for(order_id: UUID) -> UUID:
        return uuid5(LINK_NS, str(order_id))

    @classmethod
    def link(cls, *, order_id: UUID, ticket_id: UUID, at: datetime) -> OrderOfTicket:
        return cls._create(cls.Linked, id=cls.id_for(order_id), timestamp=at, ticket_id=ticket_id)
