"""A ticket's hand-over and the shift log as published (ticket.handed_over, shift.*; contract §31):
staff by their staff id, tickets by number, free text masked — a hand-over's reason for the
ticket's own callers too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from services.intake.domain.shift_log import ShiftLog
from services.intake.domain.ticket import Ticket
from shared.contracts.envelope import Envelope
from shared.contracts.shift_events import (
    PendingItem,
    ShiftClosed,
    ShiftClosedEvent,
    ShiftEntryWritten,
    ShiftEntryWrittenEvent,
    ShiftSigned,
    ShiftSignedEvent,
    TicketHandedOver,
    TicketHandedOverEvent,
)
from shared.messaging.publishing import envelope, mask


def shift_envelope(
    event: object, reporters_of: Callable[[UUID], list[dict[str, Any] | None]]
) -> Envelope | None:
    """The published envelope of a hand-over or a shift log's event; None for anything else."""
    if isinstance(event, Ticket.HandedOver):
        reporters = reporters_of(event.originator_id)
        handed = TicketHandedOver(
            ticket_no=event.ticket_no,
            from_staff=event.from_staff,
            to_staff=event.to_staff,
            reason=mask(event.reason, reporters) or "",
            handed_over_at=event.timestamp,
        )
        return envelope(event, TicketHandedOverEvent.type_name(), handed, None)
    if isinstance(event, ShiftLog.EntryWritten):
        entry = ShiftEntryWritten(
            shift=event.label, kind=event.kind, text=mask(event.text) or "",
            ticket_no=event.ticket_no,
        )  # fmt: skip
        return envelope(event, ShiftEntryWrittenEvent.type_name(), entry, None)
    if isinstance(event, ShiftLog.Closed):
        closed = ShiftClosed(
            shift=event.label,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            entries=event.entries,
            pending=[PendingItem.model_validate(p) for p in event.pending],
            closed_at=event.timestamp,
            sign_by=event.sign_by,
        )
        return envelope(event, ShiftClosedEvent.type_name(), closed, None)
    if isinstance(event, ShiftLog.Signed):
        signed = ShiftSigned(
            shift=event.label, role=event.role, signed_at=event.timestamp, late=event.late
        )
        return envelope(event, ShiftSignedEvent.type_name(), signed, None)
    return None  # opening a log is intake's own: its first entry or its close says it
