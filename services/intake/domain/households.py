"""The site's households (R11.6 with R16.4; docs/VISITS.md, "Occupied households"): each room
of the unit file with its zone and whether anyone lives there now, intake's own record, never
published. It answers how many households each zone has occupied without reading every unit,
and it changes in the transaction of the unit or move that changes it."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.intake.domain.resident import Unit

HOUSEHOLDS_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/households")


class Households(Aggregate):
    """The site's rooms by id: their zone and whether they are occupied."""

    class Counted(Aggregate.Event):
        unit_id: UUID
        zone: str | None
        occupied: bool

        def apply(self, roll: Households) -> None:
            roll.rooms[str(self.unit_id)] = [self.zone, self.occupied]

    class Uncounted(Aggregate.Event):  # corrected to a public area: not a household
        unit_id: UUID

        def apply(self, roll: Households) -> None:
            roll.rooms.pop(str(self.unit_id), None)

    def __init__(self, *, site: str) -> None:
        self.site = site
        self.rooms: dict[str, list] = {}  # unit id -> [zone, occupied] (a list: snapshots are JSON)

    @staticmethod
    def id_for(site: str) -> UUID:
        return uuid5(HOUSEHOLDS_NS, site)

    @classmethod
    def start(cls, site: str, at: datetime) -> Households:
        return cls._create(cls.Created, id=cls.id_for(site), timestamp=at, site=site)

    def keep(self, unit: Unit, at: datetime) -> bool:
        """Count the unit as the file now says (a room, its zone, anyone living there); whether
        anything changed."""
        key = str(unit.id)
        if unit.place_kind != "room":
            if key not in self.rooms:
                return False
            self.trigger_event(self.Uncounted, timestamp=at, unit_id=unit.id)
            return True
        now = [unit.zone, bool(unit.residents)]
        if self.rooms.get(key) == now:
            return False
        self.trigger_event(self.Counted, timestamp=at, unit_id=unit.id, zone=now[0],
                           occupied=now[1])  # fmt: skip
        return True

    def occupied_by_zone(self) -> dict[str, int]:
        """Zone -> occupied rooms, every zone with a room on file (0 when none is occupied); a
        room with no zone counts in none."""
        counts: dict[str, int] = {}
        for zone, occupied in self.rooms.values():
            if zone is not None:
                counts[zone] = counts.get(zone, 0) + occupied
        return counts
