"""Where residents live, as escalation needs it (R11.10, R1.3): a special-care resident's visit
reminder goes to the CS assistant of her zone, the zone of the unit she lives in. Intake's file
publishes the facts (unit.registered/corrected: a unit's zone; resident.moved_in/moved_out: who
lives where); escalation keeps them here, from DESK alone, so a rebuild reaches the same zone.

`UnitOnFile` is a unit's zone and who lives in it; `Residence` the units a resident lives in,
kept for every resident (she may be flagged after she moved in). `zone_of_home` is the rule:
the one zone all her units are in; none (site-wide: every CS assistant of the site) when she has
no unit, a unit with no zone, or units in two zones — nobody's zone loses her."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from shared.kernel.zones import zone_key

HOMES_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/escalation/homes")


def unit_on_file_id_for(unit_id: UUID) -> UUID:
    return uuid5(HOMES_NS, f"unit/{unit_id}")


def residence_id_for(resident_id: UUID) -> UUID:
    return uuid5(HOMES_NS, f"resident/{resident_id}")


def zone_of_home(zones: Iterable[str | None]) -> str | None:
    """The zone of a resident living in units of `zones` (None: a unit with no zone): the one
    zone they all share (compared without case), else None — site-wide."""
    found = list(zones)
    keys = {None if z is None else zone_key(z) for z in found}
    return found[0] if len(keys) == 1 and None not in keys else None


class UnitOnFile(Aggregate):
    """A unit on intake's file: its zone (None: none on file, or not heard of yet) and the
    residents living in it."""

    class Filed(Aggregate.Created):
        zone: str | None

    class Zoned(Aggregate.Event):
        zone: str | None

        def apply(self, unit: UnitOnFile) -> None:
            unit.zone = self.zone

    class Occupied(Aggregate.Event):
        resident_id: UUID

        def apply(self, unit: UnitOnFile) -> None:
            unit.residents.append(self.resident_id)

    class Vacated(Aggregate.Event):
        resident_id: UUID

        def apply(self, unit: UnitOnFile) -> None:
            unit.residents.remove(self.resident_id)

    def __init__(self, *, zone: str | None) -> None:
        self.zone = zone
        self.residents: list[UUID] = []

    @classmethod
    def file(cls, unit_id: UUID, zone: str | None, at: datetime) -> UnitOnFile:
        return cls._create(cls.Filed, id=unit_on_file_id_for(unit_id), timestamp=at, zone=zone)

    def rezone(self, zone: str | None, at: datetime) -> bool:
        """The unit's zone as now on file; whether it changed."""
        if zone == self.zone:
            return False
        self.trigger_event(self.Zoned, timestamp=at, zone=zone)
        return True

    def occupy(self, resident_id: UUID, at: datetime) -> None:
        if resident_id not in self.residents:
            self.trigger_event(self.Occupied, timestamp=at, resident_id=resident_id)

    def vacate(self, resident_id: UUID, at: datetime) -> None:
        if resident_id in self.residents:
            self.trigger_event(self.Vacated, timestamp=at, resident_id=resident_id)


class Residence(Aggregate):
    """The units a resident lives in (their ids), as moved in and out."""

    class Opened(Aggregate.Created):
        pass

    class MovedIn(Aggregate.Event):
        unit_id: UUID

        def apply(self, home: Residence) -> None:
            home.units.append(self.unit_id)

    class MovedOut(Aggregate.Event):
        unit_id: UUID

        def apply(self, home: Residence) -> None:
            home.units.remove(self.unit_id)

    def __init__(self) -> None:
        self.units: list[UUID] = []

    @classmethod
    def open(cls, resident_id: UUID, at: datetime) -> Residence:
        return cls._create(cls.Opened, id=residence_id_for(resident_id), timestamp=at)

    def move_in(self, unit_id: UUID, at: datetime) -> None:
        if unit_id not in self.units:  # else a repeat of a move kept already
            self.trigger_event(self.MovedIn, timestamp=at, unit_id=unit_id)

    def move_out(self, unit_id: UUID, at: datetime) -> None:
        if unit_id in self.units:
            self.trigger_event(self.MovedOut, timestamp=at, unit_id=unit_id)
