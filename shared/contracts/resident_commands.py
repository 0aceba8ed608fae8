"""The resident and unit file (R16.2–R16.4, R11.10, R1.6; docs/contract.md §29,
docs/RESIDENTS.md): commands on desk.cmd.<site>.intake.<verb>, and the caller lookup
`resident.lookup` answered by intake to the site's desk only. A unit is named by the `unit_ref`
the site gives it, a resident by `resident_ref` (the owner-file number, never a name or phone).
Names, phones and household members stay in intake's encrypted store: no event carries them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar, Literal, Self
from uuid import UUID

from pydantic import Field, StringConstraints, field_validator, model_validator

from shared.contracts.base import Contract, Key, Place, ShortText, Timestamp
from shared.contracts.command import Command
from shared.contracts.queue_queries import FoundTicket
from shared.kernel.identifiers import StaffId
from shared.kernel.personal.search_terms import phone_term
from shared.kernel.residents import CareReason, PlaceKind, ResidentKind

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
PHONE = r"^\+?[0-9][0-9 -]{2,22}[0-9]$"  # as a reporter's (commands.py Reporter)
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=PHONE)]


class UnitReply(Contract):
    ok: Literal[True] = True
    unit_id: UUID
    unit_ref: str
    version: int


class ResidentReply(Contract):
    ok: Literal[True] = True
    resident_id: UUID
    resident_ref: str
    unit_refs: list[str] = Field(description="The units the resident lives in now")
    special_care: bool
    phones_short: bool = Field(
        description="Fewer phones than the site recommends (R16.3: at least two)"
    )
    version: int


class RegisterUnit(Command):
    """Register a unit (a room) or a public area of the site (R16.4). A repeat with the same
    `unit_ref` is refused: correct it with unit_correct."""

    verb: ClassVar[str] = "unit_register"
    reply: ClassVar[type[Contract]] = UnitReply

    unit_ref: Key = Field(description="The site's name for it, unique per site: 3-1201, B-lobby")
    place_kind: PlaceKind = PlaceKind.room
    building: Place | None = Field(default=None, description="楼房号")
    room: Place | None = Field(default=None, description="房号; a public area has none")
    zone: Place | None = Field(default=None, description="组团 / 辖区")

    @model_validator(mode="after")
    def _room_for_a_room(self) -> Self:
        if self.place_kind is PlaceKind.room and self.room is None:
            raise ValueError("a unit of place_kind room needs its room")
        return self


class CorrectUnit(RegisterUnit):
    """Correct a unit's building, room, zone or kind (R16.2: changes recorded promptly)."""

    verb: ClassVar[str] = "unit_correct"


class Household(Contract):
    name: Name
    relation: Name | None = Field(default=None, description="e.g. spouse, child, carer")


class ResidentDetails(Command):
    """What a resident's file holds; every field, so a correction says the whole file."""

    reply: ClassVar[type[Contract]] = ResidentReply

    resident_ref: Key = Field(description="The owner-file number, unique per site; no name")
    kind: ResidentKind
    name: Name
    phones: list[Phone] = Field(min_length=1, max_length=5, description="At least two advised")
    household: list[Household] = Field(default_factory=list, max_length=20)
    special_care: CareReason | None = Field(
        default=None, description="Why the resident needs special care (R11.10); never published"
    )
    care_note: ShortText | None = None

    @field_validator("phones")
    @classmethod
    def _distinct(cls, phones: list[str]) -> list[str]:
        if len({phone_term(p) for p in phones}) != len(phones):
            raise ValueError("the same phone is given twice")
        return phones


class RegisterResident(ResidentDetails):
    """Register a resident (客户档案, R16.2, R16.3), moved in to `unit_ref` if given."""

    verb: ClassVar[str] = "resident_register"

    unit_ref: Key | None = Field(default=None, description="The unit moved in to (registered)")
    moved_in_on: date | None = Field(default=None, description="Default: today, site's calendar")


class CorrectResident(ResidentDetails):
    """Correct a resident's file (R16.2): the new details replace the old, the change recorded."""

    verb: ClassVar[str] = "resident_correct"


class MoveResident(Command):
    """A resident moves in to or out of a unit (the handover 交房, a lease, a move)."""

    verb: ClassVar[str] = "resident_move"
    reply: ClassVar[type[Contract]] = ResidentReply

    resident_ref: Key
    unit_ref: Key
    move: Literal["in", "out"]
    on: date | None = Field(default=None, description="Default: today, site's calendar")


class RecordCareVisit(Command):
    """A visit to a special-care resident (R11.10): restarts the visit clock (from when it is
    recorded, docs/RESIDENTS.md)."""

    verb: ClassVar[str] = "resident_visit"
    reply: ClassVar[type[Contract]] = ResidentReply

    resident_ref: Key
    visited_at: Timestamp | None = Field(
        default=None, description="When the visit was made (not in the future); default: now"
    )
    note: ShortText | None = Field(default=None, description="How the visit went; kept in intake")


RESIDENT_COMMANDS: tuple[type[Command], ...] = (
    RegisterUnit,
    CorrectUnit,
    RegisterResident,
    CorrectResident,
    MoveResident,
    RecordCareVisit,
)


class LookupCaller(Contract):
    """resident.lookup: who is calling, by phone, who lives in a unit, or one resident by their
    file number (R16.2). The site's desk identity only, by a desk role (R15.2); every look is
    recorded in intake's caller log, never published. The reply holds names and phones: it goes
    to the asker only."""

    staff_id: StaffId = Field(description="工号 of the member of staff looking")
    phone: Phone | None = None
    unit_ref: Key | None = None
    resident_ref: Key | None = Field(default=None, description="The owner-file number")

    @model_validator(mode="after")
    def _one(self) -> Self:
        if [self.phone, self.unit_ref, self.resident_ref].count(None) != 2:
            raise ValueError("give one of phone, unit_ref or resident_ref")
        return self

    @property
    def by(self) -> Literal["phone", "unit", "ref"]:
        """How the look was made, as the caller log says it."""
        return "phone" if self.phone else "unit" if self.unit_ref else "ref"


class UnitOf(Contract):
    unit_ref: str
    place_kind: PlaceKind
    building: str | None
    room: str | None
    zone: str | None


class CareVisit(Contract):
    visited_at: datetime
    recorded_at: datetime
    staff_id: str = Field(description="Who recorded it")
    note: str | None


class KnownResident(Contract):
    resident_id: UUID
    resident_ref: str
    kind: ResidentKind
    name: str
    phones: list[str]
    household: list[Household]
    special_care: CareReason | None
    care_note: str | None
    phones_short: bool
    units: list[UnitOf]
    open_tickets: list[FoundTicket] = Field(description="Reported from any of their phones")
    care_visits: list[CareVisit] = Field(
        default=[], description="Their special-care visits recorded, newest first (at most 12)"
    )
    next_visit_due: datetime | None = Field(
        default=None,
        description="A special-care resident's next visit is due by then (the site's "
        "residents.care_visit_days from the flag or the last visit recorded); null if not flagged",
    )


class CallerReply(Contract):
    ok: Literal[True] = True
    residents: list[KnownResident]


class LookupsQuery(Contract):
    """desk.ops.intake.resident_lookups (ops only): a site's looks at the resident file in one
    local month, allowed and refused (R15.2, R15.3)."""

    site: Key
    month: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}$")]


class Look(Contract):
    at: datetime
    staff_id: str
    role: str | None = Field(description="None: not on the site's staff list")
    by: Literal["phone", "unit", "ref", "care_roll"] = Field(
        description="resident.lookup by phone, unit or resident_ref; or resident.care_roll"
    )
    unit_ref: str | None
    found: list[UUID] = Field(description="The residents shown; never the phone asked for")
    refused: str | None = Field(description="Why the look was refused (nothing shown)")
    correlation_id: str


class LookupsReply(Contract):
    ok: Literal[True] = True
    site: str
    month: str
    looks: list[Look]
