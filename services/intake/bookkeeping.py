"""Intake's own bookkeeping: the ticket-number counters.

Never published: the relay's translator maps their events to nothing.
"""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

COUNTER_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/ticket-counter")


class TicketCounter(Aggregate):
    """Numbers the tickets of one site and local month: HBW-202611-0042."""

    class Started(Aggregate.Created):
        site: str
        month: str

    class Issued(Aggregate.Event):
        number: int

        def apply(self, c: TicketCounter) -> None:
            c.last = self.number

    def __init__(self, *, site: str, month: str) -> None:
        self.site = site
        self.month = month
        self.last = 0

    @staticmethod
    def id_for(site: str, month: str) -> UUID:
        return uuid5(COUNTER_NS, f"{site}/{month}")

    @classmethod
    def start(cls, *, site: str, month: str, at: datetime) -> TicketCounter:
        return cls._create(
            cls.Started, id=cls.id_for(site, month), timestamp=at, site=site, month=month
        )

    def next_number(self, at: datetime) -> str:
        self.trigger_event(self.Issued, timestamp=at, number=self.last + 1)
        return f"{self.site.upper()}-{self.month}-{self.last:04d}"
