"""Work-order events (派工单, docs/DOMAIN.md §4) on desk.evt.<site>.workorder.<event>."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

from shared.contracts.base import Appointment, Contract
from shared.contracts.envelope import Envelope
from shared.kernel.vocabulary import Scope, Urgency

Money = Decimal


class WorkOrderIssued(Contract):
    """Schema 2 added `non_standard`, schema 3 `emergency`; an older event reads as `false`."""

    SCHEMA_VERSION: ClassVar[int] = 3

    ticket_id: UUID
    order_no: str
    origin: Literal["automatic", "manual", "rework"]
    department: str
    category: str | None
    urgency: Urgency
    scope: Scope
    unit: str | None
    content: str
    appointment: Appointment | None
    leak: bool = Field(description="Accepted only after the next rain (R8.8)")
    rework_of: UUID | None = Field(description="The original order, for rework under warranty")
    free_of_charge: bool = Field(description="Rework within the warranty is free (R8.9)")
    reason: str | None
    non_standard: bool = Field(
        default=False,
        description="Not in the fee catalogue: the engineering supervisor assesses feasibility "
        "and cost within 15 minutes of receiving the order (R7.14)",
    )
    emergency: bool = Field(
        default=False,
        description="The report names a smell of gas, a fire or smoke: the desk starts the "
        "emergency plan (R4.10, R16.5); such an order is urgent unless staff set it otherwise",
    )


class ClassificationOverridden(Contract):
    urgency: Urgency
    scope: Scope
    reason: str


class WorkOrderCollected(Contract):
    """The department collected and signed the order (R8.3)."""

    collected_by: str


class TechnicianAssigned(Contract):
    technician: str


class TechnicianArrived(Contract):
    pass


class WorkOrderRescheduled(Contract):
    """Nobody home after 3 minutes (R7.17): a new appointment."""

    reason: str
    appointment: Appointment


class QuoteGiven(Contract):
    """Paid or non-standard items are quoted before the work (R8.5–R8.7, R7.14)."""

    amount: Money
    items: str


class QuoteAccepted(Contract):
    amount: Money


class QuoteDeclined(Contract):
    reason: str


class WorkOrderCompleted(Contract):
    notes: str
    actual_item: str
    fee: Money
    awaiting_acceptance: bool = Field(description="A leak repair waits for the next rain")


class AcceptanceConfirmed(Contract):
    note: str


class WorkOrderSignedOff(Contract):
    """Customer evaluation and signature (R8.8, R8.12)."""

    ticket_id: UUID
    quality: int = Field(ge=1, le=5)
    attitude: int = Field(ge=1, le=5)
    comment: str | None
    ticket_done: bool = Field(description="Every work order of the ticket is now finished")


class WorkOrderReturned(Contract):
    """Returned to the CS assistant office for month-end statistics (R8.10)."""


class WorkOrderReferred(Contract):
    """Outside the property repair scope (R7.11)."""

    to_department: str
    reason: str


class WorkOrderCancelled(Contract):
    """The order ends undone: its ticket was cancelled (a duplicate, or withdrawn by the
    customer), or a department supervisor cancelled it (docs/DOMAIN.md §4, §6)."""

    reason: str = Field(description="Why; masked")
    ticket_cancelled: bool = Field(description="Cancelled because its ticket was cancelled")


class WorkOrderIssuedEvent(Envelope):
    event_type: Literal["workorder.issued"]
    data: WorkOrderIssued


class ClassificationOverriddenEvent(Envelope):
    event_type: Literal["workorder.classification_overridden"]
    data: ClassificationOverridden


class WorkOrderCollectedEvent(Envelope):
    event_type: Literal["workorder.collected"]
    data: WorkOrderCollected


class TechnicianAssignedEvent(Envelope):
    event_type: Literal["workorder.assigned"]
    data: TechnicianAssigned


class TechnicianArrivedEvent(Envelope):
    event_type: Literal["workorder.arrived"]
    data: TechnicianArrived


class WorkOrderRescheduledEvent(Envelope):
    event_type: Literal["workorder.rescheduled"]
    data: WorkOrderRescheduled


class QuoteGivenEvent(Envelope):
    event_type: Literal["workorder.quoted"]
    data: QuoteGiven


class QuoteAcceptedEvent(Envelope):
    event_type: Literal["workorder.quote_accepted"]
    data: QuoteAccepted


class QuoteDeclinedEvent(Envelope):
    event_type: Literal["workorder.quote_declined"]
    data: QuoteDeclined


class WorkOrderCompletedEvent(Envelope):
    event_type: Literal["workorder.completed"]
    data: WorkOrderCompleted


class AcceptanceConfirmedEvent(Envelope):
    event_type: Literal["workorder.acceptance_confirmed"]
    data: AcceptanceConfirmed


class WorkOrderSignedOffEvent(Envelope):
    event_type: Literal["workorder.signed_off"]
    data: WorkOrderSignedOff


class WorkOrderReturnedEvent(Envelope):
    event_type: Literal["workorder.returned"]
    data: WorkOrderReturned


class WorkOrderReferredEvent(Envelope):
    event_type: Literal["workorder.referred"]
    data: WorkOrderReferred


class WorkOrderCancelledEvent(Envelope):
    event_type: Literal["workorder.cancelled"]
    data: WorkOrderCancelled


WORKORDER_EVENTS: tuple[type[Envelope], ...] = (
    WorkOrderIssuedEvent,
    ClassificationOverriddenEvent,
    WorkOrderCollectedEvent,
    TechnicianAssignedEvent,
    TechnicianArrivedEvent,
    WorkOrderRescheduledEvent,
    QuoteGivenEvent,
    QuoteAcceptedEvent,
    QuoteDeclinedEvent,
    WorkOrderCompletedEvent,
    AcceptanceConfirmedEvent,
    WorkOrderSignedOffEvent,
    WorkOrderReturnedEvent,
    WorkOrderReferredEvent,
    WorkOrderCancelledEvent,
)
