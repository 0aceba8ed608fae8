"""Work orders (派工单) and dispatch's file of each ticket (docs/DOMAIN.md §4, R7.1–R8.16).
No I/O."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

ORDER_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/work-order")

# verb -> the statuses it is allowed from (the lifecycle of R8.1–R8.15 as a table)
ALLOWED: dict[str, frozenset[str]] = {
    "collect": frozenset({"issued"}),
    "assign": frozenset({"collected"}),
    "arrive": frozenset({"assigned"}),
    "reschedule": frozenset({"assigned", "arrived"}),
    "quote": frozenset({"collected", "assigned", "arrived"}),
    "accept_quote": frozenset({"collected", "assigned", "arrived"}),
    "decline_quote": frozenset({"collected", "assigned", "arrived"}),
    "complete": frozenset({"arrived"}),
    "confirm_acceptance": frozenset({"awaiting_acceptance"}),
    "sign_off": frozenset({"completed"}),
    "return": frozenset({"signed_off"}),
    "refer": frozenset({"issued", "collected", "assigned", "arrived"}),
    "override": frozenset({"issued", "collected", "assigned", "arrived"}),
}
FINISHED = frozenset({"signed_off", "returned", "referred", "declined"})


class TransitionError(Exception):
    def __init__(self, action: str, status: str) -> None:
        super().__init__(f"cannot {action.replace('_', ' ')} a work order that is {status}")
        self.status = status


class RuleError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def order_id_for(ticket_id: UUID, number: int) -> UUID:
    return uuid5(ORDER_NS, f"{ticket_id}/{number}")


class WorkOrder(Aggregate):
    class Event(Aggregate.Event):
        site: str
        actor: str
        correlation_id: str
        causation_id: str | None

        def apply(self, order: WorkOrder) -> None:
            order.status = _NEXT_STATUS.get(type(self).__name__, order.status)

    class Issued(Event, Aggregate.Created):
        ticket_id: UUID
        order_no: str
        origin: str
        department: str
        category: str | None
        urgency: str
        scope: str
        unit: str | None
        content: str
        appointment: dict[str, Any] | None
        leak: bool
        rework_of: UUID | None
        free_of_charge: bool
        reason: str | None
        non_standard: bool  # not in the fee catalogue: assessed within 15 minutes (R7.14)

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["non_standard"] = False  # orders issued before R7.14 was recorded

    class Overridden(Event):
        urgency: str
        scope: str
        reason: str

        def apply(self, order: WorkOrder) -> None:
            order.urgency, order.scope = self.urgency, self.scope

    class Collected(Event):
        collected_by: str

    class Assigned(Event):
        technician: str

        def apply(self, order: WorkOrder) -> None:
            order.technician = self.technician
            order.status = "assigned"

    class Arrived(Event):
        pass

    class Rescheduled(Event):
        reason: str
        appointment: dict[str, Any]

        def apply(self, order: WorkOrder) -> None:
            order.appointment = self.appointment
            order.status = "assigned"

    class Quoted(Event):
        amount: Decimal
        items: str

        def apply(self, order: WorkOrder) -> None:
            order.quote = {"amount": self.amount, "items": self.items, "state": "pending"}

    class QuoteAccepted(Event):
        amount: Decimal

        def apply(self, order: WorkOrder) -> None:
            order.quote = (order.quote or {}) | {"state": "accepted"}

    class QuoteDeclined(Event):
        reason: str

        def apply(self, order: WorkOrder) -> None:
            order.quote = (order.quote or {}) | {"state": "declined"}
            order.status = "declined"

    class Completed(Event):
        notes: str
        actual_item: str
        fee: Decimal
        awaiting_acceptance: bool

        def apply(self, order: WorkOrder) -> None:
            order.completed_at = self.timestamp
            order.fee = self.fee
            order.status = "awaiting_acceptance" if self.awaiting_acceptance else "completed"

    class AcceptanceConfirmed(Event):
        note: str

    class SignedOff(Event):
        ticket_id: UUID
        quality: int
        attitude: int
        comment: str | None
        ticket_done: bool

    class Returned(Event):
        pass

    class Referred(Event):
        to_department: str
        reason: str

    def __init__(self, *, site: str, ticket_id: UUID, order_no: str, origin: str, department: str,
                 category: str | None, urgency: str, scope: str, unit: str | None, content: str,
                 appointment: dict[str, Any] | None, leak: bool, rework_of: UUID | None,
                 free_of_charge: bool, reason: str | None, non_standard: bool, actor: str,
                 correlation_id: str, causation_id: str | None) -> None:  # fmt: skip
        self.site, self.ticket_id, self.order_no = site, ticket_id, order_no
        self.origin, self.department, self.category = origin, department, category
        self.urgency, self.scope, self.unit, self.content = urgency, scope, unit, content
        self.appointment, self.leak = appointment, leak
        self.rework_of, self.free_of_charge = rework_of, free_of_charge
        self.non_standard = non_standard
        self.status = "issued"
        self.technician: str | None = None
        self.quote: dict[str, Any] | None = None
        self.completed_at: datetime | None = None
        self.fee = Decimal(0)

    @classmethod
    def issue(cls, *, order_id: UUID, at: datetime, **fields: Any) -> WorkOrder:
        return cls._create(cls.Issued, id=order_id, timestamp=at, **fields)

    # -- the lifecycle ---------------------------------------------------------------------

    def act(self, verb: str, at: datetime, meta: dict[str, Any], **data: Any) -> None:
        """Apply one lifecycle step, after the status table and the step's own rules."""
        if self.status not in ALLOWED[verb]:
            raise TransitionError(verb, self.status)
        check = _RULES.get(verb)
        if check is not None:
            check(self, data)
        self.trigger_event(_EVENTS[verb], timestamp=at, site=self.site, **meta, **data)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


def _quote_rule(order: WorkOrder, data: dict[str, Any]) -> None:
    if order.free_of_charge:
        raise RuleError("amount", "rework under warranty is free: nothing to quote")
    if order.quote is not None and order.quote["state"] in ("pending", "accepted"):
        raise TransitionError("quote again", f"quoted ({order.quote['state']})")
    if data["amount"] <= 0:
        raise RuleError("amount", "a quote needs a positive amount")


def _answer_rule(order: WorkOrder, data: dict[str, Any]) -> None:
    if order.quote is None or order.quote["state"] != "pending":
        raise TransitionError("answer a quote for", "without a pending quote")


def _accept_rule(order: WorkOrder, data: dict[str, Any]) -> None:
    _answer_rule(order, data)
    data["amount"] = order.quote["amount"]  # type: ignore[index]


def _complete_rule(order: WorkOrder, data: dict[str, Any]) -> None:
    quote = order.quote or {}
    if quote.get("state") == "pending":
        raise TransitionError("complete", "waiting for the customer to accept the quote")
    fee = data["fee"]
    if order.free_of_charge and fee:
        raise RuleError("fee", "rework under warranty is free (R8.9)")
    if fee and quote.get("state") != "accepted":
        raise RuleError("fee", "a fee needs a quote accepted before the work (R8.5)")
    if quote.get("state") == "accepted" and fee != quote["amount"]:
        raise RuleError("fee", f"the fee must be the accepted quote of {quote['amount']}")
    data["awaiting_acceptance"] = order.leak


_RULES = {
    "quote": _quote_rule,
    "accept_quote": _accept_rule,
    "decline_quote": _answer_rule,
    "complete": _complete_rule,
}
_EVENTS: dict[str, type[WorkOrder.Event]] = {
    "override": WorkOrder.Overridden,
    "collect": WorkOrder.Collected,
    "assign": WorkOrder.Assigned,
    "arrive": WorkOrder.Arrived,
    "reschedule": WorkOrder.Rescheduled,
    "quote": WorkOrder.Quoted,
    "accept_quote": WorkOrder.QuoteAccepted,
    "decline_quote": WorkOrder.QuoteDeclined,
    "complete": WorkOrder.Completed,
    "confirm_acceptance": WorkOrder.AcceptanceConfirmed,
    "sign_off": WorkOrder.SignedOff,
    "return": WorkOrder.Returned,
    "refer": WorkOrder.Referred,
}
# event class name -> status after it, where the event sets nothing else
_NEXT_STATUS = {
    "Collected": "collected",
    "Arrived": "arrived",
    "AcceptanceConfirmed": "completed",
    "SignedOff": "signed_off",
    "Returned": "returned",
    "Referred": "referred",
}


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

    def next_order(self, at: datetime) -> tuple[UUID, str]:
        number = len(self.orders) + 1
        order_id = order_id_for(self.id, number)
        self.trigger_event(self.OrderAdded, timestamp=at, order_id=order_id)
        return order_id, f"{self.ticket_no}-W{number}"
