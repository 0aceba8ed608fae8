"""Commands accepted on desk.cmd.<site>.dispatch.<verb> (request/reply, JSON bodies).

Each command names its `verb` (the last token of its subject) and says what it does in its
docstring, which is also its description in docs/asyncapi.json and `propdesk workorder --help`.
A lifecycle step's rule, event and next status are dispatch's (services/dispatch/domain/).
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal, Self
from uuid import UUID

from pydantic import Field, model_validator

from shared.contracts.base import Contract, LongText, ShortText, StaffId, TicketRef
from shared.contracts.commands import AppointmentWindow, Command
from shared.kernel.vocabulary import Department, Scope, Urgency

Amount = Decimal


class IssueWorkOrder(Command):
    """Issue a work order for a ticket that needs a department: by hand for a complaint, help
    request or inspection finding; repairs get theirs automatically when reported."""

    verb: ClassVar[str] = "issue"

    ticket_id: TicketRef
    reason: ShortText
    department: Department | None = None
    urgency: Urgency | None = None
    scope: Scope | None = None
    appointment: AppointmentWindow | None = None
    non_standard: bool = Field(
        default=False,
        description="Not in the fee catalogue: the engineering supervisor assesses feasibility "
        "and cost within 15 minutes of receiving the order (R7.14)",
    )


class WorkOrderReply(Contract):
    """The reply to every dispatch command: the order as it now is."""

    ok: Literal[True] = True
    work_order_id: str
    order_no: str
    ticket_id: str
    status: str
    department: str
    urgency: str
    scope: str


class GetWorkOrder(Contract):
    """By id, or by its number (HBW-202611-0042-W1): exactly one."""

    work_order_id: UUID | None = None
    order_no: str | None = Field(default=None, max_length=80)

    @model_validator(mode="after")
    def _one_key(self) -> Self:
        if (self.work_order_id is None) == (self.order_no is None):
            raise ValueError("give either work_order_id or order_no")
        return self


class OrderCommand(Command):
    verb: ClassVar[str]
    work_order_id: UUID


class ReworkOrder(OrderCommand):
    """Rework of a finished order; free within the warranty (R8.9). A new order, linked to it."""

    verb: ClassVar[str] = "rework"

    reason: ShortText


class OverrideClassification(OrderCommand):
    """Override urgent/general or household/public, with a reason."""

    verb: ClassVar[str] = "override"
    urgency: Urgency | None = None
    scope: Scope | None = None
    reason: ShortText

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.urgency is None and self.scope is None:
            raise ValueError("give urgency or scope (or both) to override")
        return self


class CollectOrder(OrderCommand):
    """The department collected and signed the order (R8.3)."""

    verb: ClassVar[str] = "collect"
    collected_by: StaffId = Field(description="Staff id of who signed for the department")


class AssignTechnician(OrderCommand):
    """Assign the technician (R8.4); a supervisor may send another before the first arrives."""

    verb: ClassVar[str] = "assign"
    technician: StaffId


class RecordArrival(OrderCommand):
    """The technician arrived on site."""

    verb: ClassVar[str] = "arrive"


class Reschedule(OrderCommand):
    """Nobody home: a new appointment (R7.17)."""

    verb: ClassVar[str] = "reschedule"
    reason: ShortText = "nobody_home"
    appointment: AppointmentWindow


class GiveQuote(OrderCommand):
    """Quote a paid or non-standard item before the work (R8.5)."""

    verb: ClassVar[str] = "quote"
    amount: Amount = Field(gt=0, max_digits=10, decimal_places=2)
    items: ShortText


class AcceptQuote(OrderCommand):
    """The customer accepts the quote."""

    verb: ClassVar[str] = "accept_quote"


class DeclineQuote(OrderCommand):
    """The customer declines the quote; the order ends."""

    verb: ClassVar[str] = "decline_quote"
    reason: ShortText


class CompleteOrder(OrderCommand):
    """Work done: notes, actual item, fee (R8.2, R8.13)."""

    verb: ClassVar[str] = "complete"
    notes: LongText
    actual_item: ShortText
    fee: Amount = Field(default=Decimal(0), ge=0, max_digits=10, decimal_places=2)


class ConfirmAcceptance(OrderCommand):
    """A leak repair held after the rain: the customer confirms it (R8.8)."""

    verb: ClassVar[str] = "confirm_acceptance"

    note: ShortText


class SignOff(OrderCommand):
    """Customer evaluation and signature (R8.8, R8.12)."""

    verb: ClassVar[str] = "sign_off"
    quality: int = Field(ge=1, le=5)
    attitude: int = Field(ge=1, le=5)
    comment: LongText | None = None


class ReturnOrder(OrderCommand):
    """Returned for month-end statistics (R8.10)."""

    verb: ClassVar[str] = "return"


class ReferOrder(OrderCommand):
    """Outside the repair scope: to property business (R7.11)."""

    verb: ClassVar[str] = "refer"
    reason: ShortText


class CancelOrder(OrderCommand):
    """Cancel an order that is no longer wanted (issued twice, or the work is no longer asked
    for); a department supervisor or above (R1.7). A ticket's cancellation cancels its open
    orders by itself."""

    verb: ClassVar[str] = "cancel"
    reason: ShortText


# every command on desk.cmd.<site>.dispatch.<verb>, in the order of a work order's life
DISPATCH_COMMANDS: tuple[type[IssueWorkOrder | OrderCommand], ...] = (
    IssueWorkOrder,
    ReworkOrder,
    OverrideClassification,
    CollectOrder,
    AssignTechnician,
    RecordArrival,
    Reschedule,
    GiveQuote,
    AcceptQuote,
    DeclineQuote,
    CompleteOrder,
    ConfirmAcceptance,
    SignOff,
    ReturnOrder,
    ReferOrder,
    CancelOrder,
)
