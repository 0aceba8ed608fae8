"""Work orders (派工单) and dispatch's file of each ticket (docs/DOMAIN.md §4, R7.1–R8.16).
No I/O."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

ORDER_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/work-order")

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
            order.status = BECOMES.get(type(self), order.status)

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
            super().apply(order)
            order.urgency, order.scope = self.urgency, self.scope

    class Collected(Event):
        collected_by: str

    class Assigned(Event):
        technician: str

        def apply(self, order: WorkOrder) -> None:
            super().apply(order)
            order.technician = self.technician

    class Arrived(Event):
        pass

    class Rescheduled(Event):
        reason: str
        appointment: dict[str, Any]

        def apply(self, order: WorkOrder) -> None:
            super().apply(order)
            order.appointment = self.appointment

    class Quoted(Event):
        amount: Decimal
        items: str

        def apply(self, order: WorkOrder) -> None:
            super().apply(order)
            order.quote = {"amount": self.amount, "items": self.items, "state": "pending"}

    class QuoteAccepted(Event):
        amount: Decimal

        def apply(self, order: WorkOrder) -> None:
            super().apply(order)
            order.quote = (order.quote or {}) | {"state": "accepted"}

    class QuoteDeclined(Event):
        reason: str

        def apply(self, order: WorkOrder) -> None:
            super().apply(order)
            order.quote = (order.quote or {}) | {"state": "declined"}

    class Completed(Event):
        notes: str
        actual_item: str
        fee: Decimal
        awaiting_acceptance: bool

        def apply(self, order: WorkOrder) -> None:
            super().apply(order)
            order.completed_at = self.timestamp
            order.fee = self.fee
            if self.awaiting_acceptance:
                order.status = "awaiting_acceptance"  # a leak waits for the next rain (R8.8)

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
        """Take one step of LIFECYCLE: refused unless allowed from the status the order is in and
        its rule holds (which may complete the event's data), then recorded as its event."""
        step = LIFECYCLE[verb]
        if self.status not in step.allowed_from:
            raise TransitionError(verb, self.status)
        if step.rule is not None:
            step.rule(self, data)
        self.trigger_event(step.event, timestamp=at, site=self.site, **meta, **data)

    def check_rework(self, at: datetime, warranty: timedelta) -> bool:
        """Whether a rework of this order is free: only a signed-off or returned order is
        reworked, and within the warranty after its completion it is free (R8.9)."""
        if self.status not in ("signed_off", "returned"):
            raise TransitionError("rework", self.status)
        return self.completed_at is not None and at - self.completed_at <= warranty

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


# -- the steps' rules: each may refuse, and may complete the event's data ----------------------

Rule = Callable[[WorkOrder, dict[str, Any]], None]


def _override(order: WorkOrder, data: dict[str, Any]) -> None:
    """What the override does not name stays as it was (R7.1 urgency, R4.3 scope)."""
    data["urgency"] = data.get("urgency") or order.urgency
    data["scope"] = data.get("scope") or order.scope


def _quote(order: WorkOrder, data: dict[str, Any]) -> None:
    if order.free_of_charge:
        raise RuleError("amount", "rework under warranty is free: nothing to quote")
    if order.quote is not None and order.quote["state"] in ("pending", "accepted"):
        raise TransitionError("quote again", f"quoted ({order.quote['state']})")
    if data["amount"] <= 0:
        raise RuleError("amount", "a quote needs a positive amount")


def _answer(order: WorkOrder, data: dict[str, Any]) -> dict[str, Any]:
    if order.quote is None or order.quote["state"] != "pending":
        raise TransitionError("answer a quote for", "without a pending quote")
    return order.quote


def _accept(order: WorkOrder, data: dict[str, Any]) -> None:
    data["amount"] = _answer(order, data)["amount"]


def _complete(order: WorkOrder, data: dict[str, Any]) -> None:
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


def _sign_off(order: WorkOrder, data: dict[str, Any]) -> None:
    data["ticket_id"] = order.ticket_id


def _refer(order: WorkOrder, data: dict[str, Any]) -> None:
    data["to_department"] = REFERRAL_DEPARTMENT


REFERRAL_DEPARTMENT = "property_business"  # 管业部: out of the property repair scope (R7.11)


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a work order's life (R8.1–R8.15), on desk.cmd.<site>.dispatch.<verb>: the
    statuses it is allowed from, the rule it checks, the event it records, the status after it."""

    event: type[WorkOrder.Event]
    allowed_from: frozenset[str]
    becomes: str | None = None  # None: the status stays
    rule: Rule | None = None
    rules: str = ""  # the rule ids it carries out (docs/RULES.md)

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowed_from", frozenset(self.allowed_from))


BEFORE_WORK = frozenset({"collected", "assigned", "arrived"})
UNDER_WAY = frozenset({"issued", *BEFORE_WORK})

# verb -> its step: the lifecycle as one table
LIFECYCLE: dict[str, Step] = {
    "override": Step(WorkOrder.Overridden, UNDER_WAY, rule=_override, rules="R7.1 R4.3"),
    "collect": Step(WorkOrder.Collected, {"issued"}, becomes="collected", rules="R8.3"),
    "assign": Step(WorkOrder.Assigned, {"collected"}, becomes="assigned", rules="R8.4"),
    "arrive": Step(WorkOrder.Arrived, {"assigned"}, becomes="arrived", rules="R8.15"),
    "reschedule": Step(
        WorkOrder.Rescheduled, {"assigned", "arrived"}, becomes="assigned", rules="R7.17"
    ),
    "quote": Step(WorkOrder.Quoted, BEFORE_WORK, rule=_quote, rules="R8.5 R8.9"),
    "accept_quote": Step(WorkOrder.QuoteAccepted, BEFORE_WORK, rule=_accept, rules="R8.5"),
    "decline_quote": Step(
        WorkOrder.QuoteDeclined, BEFORE_WORK, becomes="declined", rule=_answer, rules="R8.5"
    ),
    "complete": Step(
        WorkOrder.Completed,
        {"arrived"},
        becomes="completed",  # a leak repair: awaiting_acceptance (Completed.apply, R8.8)
        rule=_complete,
        rules="R8.2 R8.5 R8.9 R8.13",
    ),
    "confirm_acceptance": Step(
        WorkOrder.AcceptanceConfirmed, {"awaiting_acceptance"}, becomes="completed", rules="R8.8"
    ),
    "sign_off": Step(
        WorkOrder.SignedOff, {"completed"}, becomes="signed_off", rule=_sign_off, rules="R8.12"
    ),
    "return": Step(WorkOrder.Returned, {"signed_off"}, becomes="returned", rules="R8.10"),
    "refer": Step(WorkOrder.Referred, UNDER_WAY, becomes="referred", rule=_refer, rules="R7.11"),
}
# event -> the status after it
BECOMES: dict[type[WorkOrder.Event], str] = {
    step.event: step.becomes for step in LIFECYCLE.values() if step.becomes is not None
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
