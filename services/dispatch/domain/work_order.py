"""The work order (派工单, docs/DOMAIN.md §4, R7.1–R8.16): its events, and LIFECYCLE, the one table
of what each verb records, from which statuses, into which status, after which rule. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

from services.dispatch.domain import rules
from services.dispatch.domain.rules import A_WORK_ORDER, Rule, TransitionError

FINISHED = frozenset({"signed_off", "returned", "referred", "declined", "cancelled"})


class WorkOrder(Aggregate):
    """One work order of a ticket. Issued by its ticket's file (ticket_file.py); after that it
    changes only by the steps of LIFECYCLE, through `act`."""

    class Event(Aggregate.Event):
        site: str
        actor: str
        correlation_id: str
        causation_id: str | None

        def apply(self, order: WorkOrder) -> None:
            """The status after the event, as LIFECYCLE says; an event adds what else it sets."""
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
        emergency: bool  # gas, fire or smoke: the emergency plan (R4.10, R16.5)

        class_version = 3

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["non_standard"] = False  # orders issued before R7.14 was recorded

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["emergency"] = False  # orders issued before emergencies were recognised

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

        def apply(self, order: WorkOrder) -> None:
            super().apply(order)
            order.signed_off_at = self.timestamp  # the warranty runs from here (R8.9)

    class Returned(Event):
        pass

    class Referred(Event):
        to_department: str
        reason: str

    class Cancelled(Event):
        """Ends the order undone: its ticket was cancelled, or a supervisor cancelled it."""

        reason: str
        ticket_cancelled: bool

    def __init__(self, *, site: str, ticket_id: UUID, order_no: str, origin: str, department: str,
                 category: str | None, urgency: str, scope: str, unit: str | None, content: str,
                 appointment: dict[str, Any] | None, leak: bool, rework_of: UUID | None,
                 free_of_charge: bool, reason: str | None, non_standard: bool, actor: str,
                 correlation_id: str, causation_id: str | None,
                 emergency: bool = False) -> None:  # fmt: skip
        self.site, self.ticket_id, self.order_no = site, ticket_id, order_no
        self.origin, self.department, self.category = origin, department, category
        self.urgency, self.scope, self.unit, self.content = urgency, scope, unit, content
        self.appointment, self.leak = appointment, leak
        self.rework_of, self.free_of_charge = rework_of, free_of_charge
        self.non_standard, self.emergency = non_standard, emergency
        self.status = "issued"
        self.technician: str | None = None
        self.quote: dict[str, Any] | None = None
        self.completed_at: datetime | None = None
        self.signed_off_at: datetime | None = None
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
            raise TransitionError(verb, self.status, A_WORK_ORDER)
        if step.rule is not None:
            step.rule(self, data)
        self.trigger_event(step.event, timestamp=at, site=self.site, **meta, **data)

    def rework_is_free(self, at: datetime, warranty: timedelta) -> bool:
        """Whether a rework of this order is free: only a signed-off or returned order is
        reworked, and within the warranty it is free (R8.9). The warranty runs from the owner's
        acceptance and signature (修理项目竣工以业主验收签字为准), the sign-off, not from the
        technician's completion: a leak repair waits for the rain before it is signed."""
        if self.status not in ("signed_off", "returned"):
            raise TransitionError("rework", self.status, A_WORK_ORDER)
        return self.signed_off_at is not None and at - self.signed_off_at <= warranty

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a work order's life (R8.1–R8.15), on desk.cmd.<site>.dispatch.<verb>: the
    statuses it is allowed from, the rule it checks, the event it records, the status after it."""

    event: type[WorkOrder.Event]
    allowed_from: frozenset[str]
    becomes: str | None = None  # None: the status stays
    rule: Rule | None = None
    cites: str = ""  # the rule ids it carries out (docs/RULES.md)

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowed_from", frozenset(self.allowed_from))


BEFORE_WORK = frozenset({"collected", "assigned", "arrived"})
UNDER_WAY = frozenset({"issued", *BEFORE_WORK})
OPEN = frozenset({*UNDER_WAY, "completed", "awaiting_acceptance"})  # not yet finished

# verb -> its step: the lifecycle as one table
LIFECYCLE: dict[str, Step] = {
    "override": Step(WorkOrder.Overridden, UNDER_WAY, rule=rules.override, cites="R7.1 R4.3"),
    "collect": Step(WorkOrder.Collected, {"issued"}, becomes="collected", cites="R8.3"),
    # from assigned: the technician replaced before they arrive (a supervisor's, application.py)
    "assign": Step(
        WorkOrder.Assigned, {"collected", "assigned"}, becomes="assigned", cites="R8.4 R1.7"
    ),
    "arrive": Step(WorkOrder.Arrived, {"assigned"}, becomes="arrived", cites="R8.15"),
    "reschedule": Step(
        WorkOrder.Rescheduled, {"assigned", "arrived"}, becomes="assigned", cites="R7.17"
    ),
    "quote": Step(WorkOrder.Quoted, BEFORE_WORK, rule=rules.quote, cites="R8.5 R8.9"),
    "accept_quote": Step(WorkOrder.QuoteAccepted, BEFORE_WORK, rule=rules.accept, cites="R8.5"),
    "decline_quote": Step(
        WorkOrder.QuoteDeclined, BEFORE_WORK, becomes="declined", rule=rules.answer, cites="R8.5"
    ),
    "complete": Step(
        WorkOrder.Completed,
        {"arrived"},
        becomes="completed",  # a leak repair: awaiting_acceptance (Completed.apply, R8.8)
        rule=rules.complete,
        cites="R8.2 R8.5 R8.9 R8.13",
    ),
    "confirm_acceptance": Step(
        WorkOrder.AcceptanceConfirmed, {"awaiting_acceptance"}, becomes="completed", cites="R8.8"
    ),
    "sign_off": Step(
        WorkOrder.SignedOff, {"completed"}, becomes="signed_off", rule=rules.sign_off, cites="R8.12"
    ),
    "return": Step(WorkOrder.Returned, {"signed_off"}, becomes="returned", cites="R8.10"),
    "refer": Step(
        WorkOrder.Referred, UNDER_WAY, becomes="referred", rule=rules.refer, cites="R7.11"
    ),
    # by a supervisor, or by dispatch when the order's ticket is cancelled (a duplicate, or
    # withdrawn by the customer): an open order never outlives its ticket (R8.12, G2)
    "cancel": Step(
        WorkOrder.Cancelled, OPEN, becomes="cancelled", rule=rules.cancel, cites="R8.12 G2"
    ),
}
# event -> the status after it
BECOMES: dict[type[WorkOrder.Event], str] = {
    step.event: step.becomes for step in LIFECYCLE.values() if step.becomes is not None
}


# stored before the domain became a package (issue 12)
register_topic("services.dispatch.domain:WorkOrder", WorkOrder)
