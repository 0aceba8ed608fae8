"""Dispatch's file of each ticket, learnt from DESK, and the numbering of its work orders
(<ticket_no>-W<n>). No I/O."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

from services.dispatch.domain.policy import is_leak, route
from services.dispatch.domain.work_order import WorkOrder
from shared.kernel.repairs import is_emergency, scope_of, urgency_of
from shared.kernel.vocabulary import Department

ORDER_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/work-order")


def order_id_for(ticket_id: UUID, number: int) -> UUID:
    """The id of a ticket's n-th work order: issuing it again finds the same order."""
    return uuid5(ORDER_NS, f"{ticket_id}/{number}")


class TicketFile(Aggregate):
    """What dispatch knows of a ticket, learnt from DESK: enough to issue and number its orders."""

    class Noted(Aggregate.Created):
        site: str
        ticket_no: str
        kind: str
        category: str | None
        unit: str | None
        content: str
        appointment: dict[str, Any] | None

    class Reclassified(Aggregate.Event):
        kind: str
        category: str | None

        def apply(self, file: TicketFile) -> None:
            file.kind, file.category = self.kind, self.category

    class Ended(Aggregate.Event):
        status: str

        def apply(self, file: TicketFile) -> None:
            file.ended = self.status

    class Reopened(Aggregate.Event):
        def apply(self, file: TicketFile) -> None:
            file.ended = None

    class OrderAdded(Aggregate.Event):
        order_id: UUID

        def apply(self, file: TicketFile) -> None:
            file.orders.append(self.order_id)

    def __init__(
        self,
        *,
        site: str,
        ticket_no: str,
        kind: str,
        category: str | None,
        unit: str | None,
        content: str,
        appointment: dict[str, Any] | None,
    ) -> None:
        self.site, self.ticket_no, self.kind, self.category = site, ticket_no, kind, category
        self.unit, self.content, self.appointment = unit, content, appointment
        self.ended: str | None = None
        self.orders: list[UUID] = []

    @classmethod
    def note(cls, *, ticket_id: UUID, at: datetime, **fields: Any) -> TicketFile:
        return cls._create(cls.Noted, id=ticket_id, timestamp=at, **fields)

    def reclassify(self, at: datetime, *, kind: str, category: str | None) -> None:
        self.trigger_event(self.Reclassified, timestamp=at, kind=kind, category=category)

    def end(self, at: datetime, *, status: str) -> None:
        """Closed or cancelled: no more automatic orders."""
        self.trigger_event(self.Ended, timestamp=at, status=status)

    def reopen(self, at: datetime) -> None:
        self.trigger_event(self.Reopened, timestamp=at)

    def issue_order(
        self,
        at: datetime,
        routing: dict[str, Department],
        meta: dict[str, Any],
        *,
        origin: str,
        reason: str | None,
        department: str | None = None,
        urgency: str | None = None,
        scope: str | None = None,
        appointment: dict[str, Any] | None = None,
        rework_of: UUID | None = None,
        free_of_charge: bool = False,
        non_standard: bool = False,
    ) -> WorkOrder:
        """The ticket's next work order. What is not given follows from the ticket: the department
        by the site's `routing`, the urgency (R7.1), whether it is an emergency (R4.10) and the
        scope (R4.3a) by what was reported, the appointment, and whether it is a leak, accepted
        only after the next rain (R8.8)."""
        order_id, order_no = self._next_order(at)
        return WorkOrder.issue(
            order_id=order_id,
            at=at,
            site=self.site,
            ticket_id=self.id,
            order_no=order_no,
            origin=origin,
            department=str(department or route(self.category, routing)),
            category=self.category,
            urgency=urgency or urgency_of(self.category, self.content).value,
            scope=scope or scope_of(self.category, self.unit, self.content).value,
            unit=self.unit,
            content=self.content,
            appointment=appointment if appointment is not None else self.appointment,
            leak=is_leak(self.content),
            rework_of=rework_of,
            free_of_charge=free_of_charge,
            reason=reason,
            non_standard=non_standard,
            emergency=is_emergency(self.content),
            **meta,
        )

    def _next_order(self, at: datetime) -> tuple[UUID, str]:
        number = len(self.orders) + 1
        order_id = order_id_for(self.id, number)
        self.trigger_event(self.OrderAdded, timestamp=at, order_id=order_id)
        return order_id, f"{self.ticket_no}-W{number}"


# stored before the domain became a package (issue 12)
register_topic("services.dispatch.domain:TicketFile", TicketFile)
