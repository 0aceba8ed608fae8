"""Commands accepted on desk.cmd.<site>.dispatch.<verb> (request/reply, JSON bodies)."""

from __future__ import annotations

from decimal import Decimal
from typing import Self
from uuid import UUID

from pydantic import Field, model_validator

from shared.contracts.base import Contract, LongText, ShortText, StaffId
from shared.contracts.commands import AppointmentWindow, Command
from shared.contracts.workorder_events import Department, Scope, Urgency

Amount = Decimal


class IssueWorkOrder(Command):
    """Issue an order by hand: a complaint, help request or inspection finding needing a
    department. Repairs get theirs automatically when reported."""

    ticket_id: UUID
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
    work_order_id: UUID


class ReworkOrder(OrderCommand):
    """Rework of a finished order: linked to it, and free within the warranty (R8.9)."""

    reason: ShortText


class OverrideClassification(OrderCommand):
    urgency: Urgency | None = None
    scope: Scope | None = None
    reason: ShortText

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.urgency is None and self.scope is None:
            raise ValueError("give urgency or scope (or both) to override")
        return self


class CollectOrder(OrderCommand):
    collected_by: StaffId = Field(description="Staff id of who signed for the department")


class AssignTechnician(OrderCommand):
    technician: StaffId


class RecordArrival(OrderCommand):
    pass


class Reschedule(OrderCommand):
    reason: ShortText = "nobody_home"
    appointment: AppointmentWindow


class GiveQuote(OrderCommand):
    amount: Amount = Field(gt=0, max_digits=10, decimal_places=2)
    items: ShortText


class AcceptQuote(OrderCommand):
    pass


class DeclineQuote(OrderCommand):
    reason: ShortText


class CompleteOrder(OrderCommand):
    notes: LongText
    actual_item: ShortText
    fee: Amount = Field(default=Decimal(0), ge=0, max_digits=10, decimal_places=2)


class ConfirmAcceptance(OrderCommand):
    """The customer confirms a leak repair held through the next rain (R8.8)."""

    note: ShortText


class SignOff(OrderCommand):
    quality: int = Field(ge=1, le=5)
    attitude: int = Field(ge=1, le=5)
    comment: LongText | None = None


class ReturnOrder(OrderCommand):
    pass


class ReferOrder(OrderCommand):
    reason: ShortText
