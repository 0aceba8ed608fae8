"""The resident and unit file (客户档案, R16.2–R16.4, R11.10, R1.6). No I/O; each changes only by
triggering events. A resident's name, phones and household live in their events, in intake's
store (encrypted with its key ring) and nowhere else; what is published is translated from them
without those (adapters/translate_residents.py). A correction is an event of its own, so the file
says what changed and when (R16.2: changes recorded promptly)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.intake.domain.recorded_event import RecordedEvent
from shared.kernel.refusals import RuleError
from shared.kernel.residents import visit_wait_from

UNIT_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/unit")
RESIDENT_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/resident")


def unit_id_for(site: str, unit_ref: str) -> UUID:
    return uuid5(UNIT_NS, f"{site}/{unit_ref}")


def resident_id_for(site: str, resident_ref: str) -> UUID:
    return uuid5(RESIDENT_NS, f"{site}/{resident_ref}")


class FileEvent(RecordedEvent):
    """What every event of the resident and unit file carries."""


class Unit(Aggregate):
    """A room, or a public area (R16.4), and who lives there now."""

    class Event(FileEvent):
        unit_ref: str

    class Registered(Event, Aggregate.Created):
        place_kind: str
        building: str | None
        room: str | None
        zone: str | None

    class Corrected(Event):
        place_kind: str
        building: str | None
        room: str | None
        zone: str | None

        def apply(self, unit: Unit) -> None:
            unit.place_kind, unit.building = self.place_kind, self.building
            unit.room, unit.zone = self.room, self.zone

    class Occupied(Event):  # intake's own: the resident's MovedIn is what is published
        resident_id: UUID

        def apply(self, unit: Unit) -> None:
            unit.residents.append(self.resident_id)

    class Vacated(Event):
        resident_id: UUID

        def apply(self, unit: Unit) -> None:
            unit.residents.remove(self.resident_id)

    def __init__(self, *, site: str, unit_ref: str, place_kind: str, building: str | None,
                 room: str | None, zone: str | None, actor: str, correlation_id: str,
                 causation_id: str | None) -> None:  # fmt: skip
        del actor, correlation_id, causation_id
        self.site, self.unit_ref, self.place_kind = site, unit_ref, place_kind
        self.building, self.room, self.zone = building, room, zone
        self.residents: list[UUID] = []

    @classmethod
    def register(cls, *, at: datetime, site: str, unit_ref: str, **fields: Any) -> Unit:
        return cls._create(cls.Registered, id=unit_id_for(site, unit_ref), timestamp=at,
                           site=site, unit_ref=unit_ref, **fields)  # fmt: skip

    def correct(self, *, at: datetime, meta: dict[str, Any], **fields: Any) -> bool:
        """Record the new details; False (nothing recorded) when they are the ones it has."""
        now = {k: getattr(self, k) for k in ("place_kind", "building", "room", "zone")}
        if now == fields:
            return False
        self._record(self.Corrected, at, meta, **fields)
        return True

    def _record(self, event_class: type, at: datetime, meta: dict[str, Any],
                **fields: Any) -> None:  # fmt: skip
        self.trigger_event(event_class, timestamp=at, site=self.site, unit_ref=self.unit_ref,
                           **meta, **fields)  # fmt: skip

    def occupy(self, resident_id: UUID, at: datetime, meta: dict[str, Any]) -> None:
        if resident_id not in self.residents:
            self._record(self.Occupied, at, meta, resident_id=resident_id)

    def vacate(self, resident_id: UUID, at: datetime, meta: dict[str, Any]) -> None:
        if resident_id in self.residents:
            self._record(self.Vacated, at, meta, resident_id=resident_id)


class Resident(Aggregate):
    """An owner, tenant, occupant or enterprise (R1.6) with their phones and household (R16.3),
    the units they live in, and, if they need it, why they need special care (R11.10)."""

    class Event(FileEvent):
        resident_ref: str

    class Registered(Event, Aggregate.Created):
        details: dict[str, Any]  # kind, name, phones, household, special_care, care_note

        def apply(self, resident: Resident) -> None:
            resident._visit_clock(self.timestamp)

    class Corrected(Event):
        details: dict[str, Any]

        def apply(self, resident: Resident) -> None:
            was = resident.special_care
            resident.details = dict(self.details)
            resident._visit_clock(self.timestamp, was)

    class MovedIn(Event):
        unit_id: UUID
        unit_ref: str
        on: str  # the site's calendar

        def apply(self, resident: Resident) -> None:
            resident.units[str(self.unit_id)] = self.unit_ref

    class MovedOut(Event):
        unit_id: UUID
        unit_ref: str
        on: str

        def apply(self, resident: Resident) -> None:
            resident.units.pop(str(self.unit_id), None)

    class CareVisited(Event):
        note: str | None
        visited_at: datetime | None = None  # when made; older events: when recorded

        def apply(self, resident: Resident) -> None:
            made = self.visited_at or self.timestamp
            resident.visit_clock_from = visit_wait_from(resident.visit_clock_from, made)
            resident.care_visits.append({
                "visited_at": made, "recorded_at": self.timestamp,
                "staff_id": self.actor, "note": self.note,
            })  # fmt: skip

    def __init__(self, *, site: str, resident_ref: str, details: dict[str, Any], actor: str,
                 correlation_id: str, causation_id: str | None) -> None:  # fmt: skip
        del actor, correlation_id, causation_id
        self.site, self.resident_ref = site, resident_ref
        self.details = dict(details)
        self.units: dict[str, str] = {}  # unit id -> unit_ref
        # when the wait for the next special-care visit began: flagged, or the last visit made
        # (as escalation's wait: shared/kernel/residents.py visit_wait_from)
        self.visit_clock_from: datetime | None = None
        self.care_visits: list[dict[str, Any]] = []  # oldest first

    @classmethod
    def register(cls, *, at: datetime, site: str, resident_ref: str, details: dict[str, Any],
                 meta: dict[str, Any]) -> Resident:  # fmt: skip
        return cls._create(
            cls.Registered, id=resident_id_for(site, resident_ref), timestamp=at, site=site,
            resident_ref=resident_ref, details=details, **meta,
        )  # fmt: skip

    @property
    def special_care(self) -> str | None:
        return self.details.get("special_care")

    def _visit_clock(self, at: datetime, was: str | None = None) -> None:
        """The file as it now is: newly flagged for special care, the wait for a visit begins;
        the flag cleared, it ends (as escalation's: escalation/application/care_reactions.py)."""
        if self.special_care is None:
            self.visit_clock_from = None
        elif was is None:
            self.visit_clock_from = at

    @property
    def phones(self) -> list[str]:
        return list(self.details.get("phones", []))

    def _record(self, event_class: type, at: datetime, meta: dict[str, Any],
                **fields: Any) -> None:  # fmt: skip
        self.trigger_event(event_class, timestamp=at, site=self.site,
                           resident_ref=self.resident_ref, **meta, **fields)  # fmt: skip

    def correct(self, *, at: datetime, meta: dict[str, Any], details: dict[str, Any]) -> bool:
        """Record the corrected file; False (nothing recorded) when nothing changed."""
        if details == self.details:
            return False
        self._record(self.Corrected, at, meta, details=details)
        return True

    def move_in(self, unit: Unit, *, on: str, at: datetime, meta: dict[str, Any]) -> None:
        if unit.place_kind != "room":
            raise RuleError("unit_ref", f"{unit.unit_ref} is a public area, not a home (R16.4)")
        if str(unit.id) in self.units:
            raise RuleError(
                "unit_ref", f"resident {self.resident_ref} lives in {unit.unit_ref} already"
            )
        self._record(self.MovedIn, at, meta, unit_id=unit.id, unit_ref=unit.unit_ref, on=on)
        unit.occupy(self.id, at, meta)

    def move_out(self, unit: Unit, *, on: str, at: datetime, meta: dict[str, Any]) -> None:
        if str(unit.id) not in self.units:
            raise RuleError(
                "unit_ref", f"resident {self.resident_ref} does not live in {unit.unit_ref}"
            )
        self._record(self.MovedOut, at, meta, unit_id=unit.id, unit_ref=unit.unit_ref, on=on)
        unit.vacate(self.id, at, meta)

    def visit(self, *, at: datetime, meta: dict[str, Any], note: str | None,
              visited_at: datetime | None = None) -> None:  # fmt: skip
        """A special-care visit (R11.10), made at `visited_at` (default: now), recorded `at`;
        only for a resident who needs special care."""
        if self.special_care is None:
            raise RuleError(
                "resident_ref", f"resident {self.resident_ref} is not flagged for special care"
            )
        self._record(self.CareVisited, at, meta, note=note, visited_at=visited_at or at)
