"""Resident and unit events on desk.evt.<site>.unit.* and desk.evt.<site>.resident.* (R16.2–R16.4,
R11.10; docs/contract.md §29). Ids, the unit, the kind and the flags a consumer needs: no name, no
phone, no household member, and not why a resident needs special care — only that they do, so
that escalation keeps their visit clock (docs/RESIDENTS.md, "What travels")."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from shared.contracts.base import Contract
from shared.contracts.envelope import Envelope
from shared.kernel.residents import PlaceKind, ResidentKind


class UnitRegistered(Contract):
    """A unit or public area of the site (R16.4); also its correction (unit.corrected)."""

    unit_ref: str
    place_kind: PlaceKind
    building: str | None
    room: str | None
    zone: str | None


class ResidentFiled(Contract):
    """A resident's file opened (resident.registered) or corrected (resident.corrected)."""

    resident_ref: str
    kind: ResidentKind
    special_care: bool = Field(description="Needs special care and regular visits (R11.10)")


class ResidentMoved(Contract):
    """Moved in to (resident.moved_in) or out of (resident.moved_out) a unit."""

    resident_ref: str
    unit_id: UUID
    unit_ref: str
    on: date


class CareVisited(Contract):
    """A special-care resident was visited (R11.10): their visit clock starts again, from when
    the visit was made. Schema 2 added `visited_at`; a schema-1 event reads it as null: the
    visit was made when it was recorded (the envelope's `occurred_at`)."""

    SCHEMA_VERSION: ClassVar[int] = 2

    resident_ref: str
    visited_at: AwareDatetime | None = Field(
        default=None, description="When the visit was made (not in the future); null in schema 1"
    )


class TicketSpecialCare(Contract):
    """The ticket was reported from a special-care resident's phone: it is marked (R11.10)."""

    resident_id: UUID


class UnitRegisteredEvent(Envelope):
    event_type: Literal["unit.registered"]
    data: UnitRegistered


class UnitCorrectedEvent(Envelope):
    event_type: Literal["unit.corrected"]
    data: UnitRegistered


class ResidentRegisteredEvent(Envelope):
    event_type: Literal["resident.registered"]
    data: ResidentFiled


class ResidentCorrectedEvent(Envelope):
    event_type: Literal["resident.corrected"]
    data: ResidentFiled


class ResidentMovedInEvent(Envelope):
    event_type: Literal["resident.moved_in"]
    data: ResidentMoved


class ResidentMovedOutEvent(Envelope):
    event_type: Literal["resident.moved_out"]
    data: ResidentMoved


class CareVisitedEvent(Envelope):
    event_type: Literal["resident.care_visited"]
    data: CareVisited

    def visited_at(self) -> datetime:
        """When the visit was made; a schema-1 event's, when it was recorded."""
        return self.data.visited_at or self.occurred_at


class TicketSpecialCareEvent(Envelope):
    event_type: Literal["ticket.special_care"]
    data: TicketSpecialCare


RESIDENT_EVENTS: tuple[type[Envelope], ...] = (
    UnitRegisteredEvent,
    UnitCorrectedEvent,
    ResidentRegisteredEvent,
    ResidentCorrectedEvent,
    ResidentMovedInEvent,
    ResidentMovedOutEvent,
    CareVisitedEvent,
)  # ticket.special_care is among the ticket's events (events.py TICKET_EVENTS)
