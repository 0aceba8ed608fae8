"""A ticket's hand-over and the desk's shift log on DESK (desk.evt.<site>.ticket.handed_over,
desk.evt.<site>.shift.*; R10.1, R15.9–R15.12, contract §31): intake publishes them, escalation
reminds of an unsigned handover, reporting counts them. Staff are named by their staff id (工号),
tickets by number; free text is masked (docs/DOMAIN.md §9)."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from shared.contracts.base import Contract
from shared.contracts.envelope import Envelope
from shared.kernel.shifts import EntryKind


class TicketHandedOver(Contract):
    """The ticket's owner changed (首问负责制, R10.1); the envelope's actor handed it over."""

    ticket_no: str
    from_staff: str = Field(description="工号 of the owner until now")
    to_staff: str = Field(description="工号 of the new owner")
    reason: str = Field(description="Masked")
    handed_over_at: AwareDatetime


class ShiftEntryWritten(Contract):
    """An entry in the shift log (R15.10)."""

    shift: str = Field(description="The shift's local start, YYYY-MM-DDTHH:MM")
    kind: EntryKind
    text: str = Field(description="Masked")
    ticket_no: str | None


class PendingItem(Contract):
    ticket_id: str
    ticket_no: str
    owner: str = Field(description="工号 of the ticket's owner at the handover")
    status: str


class ShiftClosed(Contract):
    """The outgoing shift handed over (交班, R15.12): its pending items, and by when the incoming
    shift is to sign (R15.9)."""

    shift: str
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    entries: int
    pending: list[PendingItem]
    closed_at: AwareDatetime
    sign_by: AwareDatetime


class ShiftSigned(Contract):
    """A member of the incoming shift read and signed the handover (接班签字, R15.9, R15.11); the
    envelope's actor is who signed."""

    shift: str
    role: str | None
    signed_at: AwareDatetime
    late: bool = Field(description="Signed after sign_by")


class TicketHandedOverEvent(Envelope):
    event_type: Literal["ticket.handed_over"]
    data: TicketHandedOver


class ShiftEntryWrittenEvent(Envelope):
    event_type: Literal["shift.entry_written"]
    data: ShiftEntryWritten


class ShiftClosedEvent(Envelope):
    event_type: Literal["shift.closed"]
    data: ShiftClosed


class ShiftSignedEvent(Envelope):
    event_type: Literal["shift.signed"]
    data: ShiftSigned


# the shift log's; `ticket.handed_over` is among the ticket's events (events.py TICKET_EVENTS)
SHIFT_EVENTS: tuple[type[Envelope], ...] = (
    ShiftEntryWrittenEvent,
    ShiftClosedEvent,
    ShiftSignedEvent,
)
