"""What the counters of a site's local month share (`TicketCounter`: HBW-202611-0042,
`IncidentCounter`: HBW-INC-202612-001): one per site and month (YYYYMM), its id the uuid5 of
both in the counter's own `namespace`, `last` the last number it issued. Each counter declares
its own `Started` and `Issued` events, so their topics name it; how a number is written is
its own too."""

from __future__ import annotations

from datetime import datetime
from typing import Self
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate


class MonthCounter(Aggregate):
    """A subclass sets `namespace` (a UUID) and declares `Started` (site, month) and `Issued`."""

    def __init__(self, *, site: str, month: str) -> None:
        self.site = site
        self.month = month
        self.last = 0

    @classmethod
    def id_for(cls, site: str, month: str) -> UUID:
        return uuid5(cls.namespace, f"{site}/{month}")

    @classmethod
    def start(cls, *, site: str, month: str, at: datetime) -> Self:
        return cls._create(
            cls.Started, id=cls.id_for(site, month), timestamp=at, site=site, month=month
        )
