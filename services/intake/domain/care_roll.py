"""The site's care roll (R11.10; docs/RESIDENTS.md): the ids of its residents who need special
care, intake's own record, never published. A contact's phone is compared with theirs at report
or link, so marking a special-care resident's ticket reads a few residents, not the blind index,
and a site with none pays nothing."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.intake.domain.resident import Resident

CARE_ROLL_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/care-roll")


class CareRoll(Aggregate):
    """The site's residents who need special care, by id."""

    class Listed(Aggregate.Event):
        resident_id: UUID

        def apply(self, roll: CareRoll) -> None:
            roll.residents.append(self.resident_id)

    class Unlisted(Aggregate.Event):
        resident_id: UUID

        def apply(self, roll: CareRoll) -> None:
            roll.residents.remove(self.resident_id)

    def __init__(self, *, site: str) -> None:
        self.site = site
        self.residents: list[UUID] = []

    @staticmethod
    def id_for(site: str) -> UUID:
        return uuid5(CARE_ROLL_NS, site)

    @classmethod
    def start(cls, site: str, at: datetime) -> CareRoll:
        return cls._create(cls.Created, id=cls.id_for(site), timestamp=at, site=site)

    def keep(self, resident: Resident, at: datetime) -> bool:
        """List or unlist the resident as their file now says; whether anything changed."""
        listed = resident.id in self.residents
        if (resident.special_care is not None) == listed:
            return False
        event = self.Unlisted if listed else self.Listed
        self.trigger_event(event, timestamp=at, resident_id=resident.id)
        return True
