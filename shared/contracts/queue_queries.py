"""The queries behind a desk's queues (issue 14): finding a site's tickets when someone calls
back (`ticket.search`, answered by intake) and a site's work orders by state and technician
(`workorder.list`, answered by reporting). docs/contract.md §12.6, §12.7."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import Field, StringConstraints, model_validator

from shared.contracts.base import Contract, Place, StaffId, TicketNo
from shared.kernel.vocabulary import Department

# a work order's status as reporting's view tells it (docs/contract.md §11)
WorkOrderStatus = Literal[
    "issued",  # waiting to be collected: the department's 2-minute clock (R7.6)
    "collected",
    "assigned",
    "arrived",  # the technician is on site
    "awaiting_acceptance",
    "completed",
    "signed_off",
    "returned",
    "referred",
    "declined",
    "cancelled",
]


class ListWorkOrders(Contract):
    """A site's work orders, oldest issued first: of one status (`issued`: waiting to be
    collected), one technician, one department, or all."""

    status: WorkOrderStatus | None = Field(default=None, description="Only orders in this status")
    technician: StaffId | None = Field(default=None, description="Only this technician's orders")
    department: Department | None = Field(default=None, description="Only this department's")
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=200)


SearchName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class SearchTickets(Contract):
    """A site's tickets by the caller's phone or name, a room, or a ticket number: each given
    criterion must match. Phone and name are looked up in intake's keyed blind index; the
    reply holds no personal data. Searching by phone or name needs a desk role (R15.2)."""

    staff_id: StaffId = Field(description="工号 of the member of staff searching")
    phone: str | None = Field(
        default=None,
        pattern=r"^\+?[0-9][0-9 -]{2,22}[0-9]$",
        description="The number as the caller gives it; spaces, dashes and +86 do not matter",
    )
    name: SearchName | None = Field(
        default=None, description="The reporter's name as recorded (spaces and case ignored)"
    )
    room: Place | None = Field(default=None, description="The room or location, as recorded")
    ticket_no: TicketNo | None = Field(default=None, description="HBW-202611-0042, any case")
    limit: int = Field(default=20, ge=1, le=200)

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not (self.phone or self.name or self.room or self.ticket_no):
            raise ValueError("give at least one of phone, name, room or ticket_no")
        return self

    @property
    def personal(self) -> bool:
        """Searching by what identifies a person (phone or name)."""
        return self.phone is not None or self.name is not None


class FoundTicket(Contract):
    """A ticket the search found: what the desk needs to pick it, nothing personal."""

    ticket_id: UUID
    ticket_no: str
    kind: str
    status: str
    unit: str | None = Field(description="The room or location reported (published as unit)")
    received_at: datetime


class TicketSearchReply(Contract):
    ok: Literal[True] = True
    tickets: list[FoundTicket] = Field(description="Newest contact first")
    more: bool = Field(description="More tickets matched than `limit`")
