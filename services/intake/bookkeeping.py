"""Intake's own bookkeeping aggregates: command receipts and ticket-number counters.

Never published: the relay's translator maps their events to nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

RECEIPT_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/command")
COUNTER_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/ticket-counter")


class CommandReceipt(Aggregate):
    """The first reply to a command id, so that a retried command records nothing new."""

    class Recorded(Aggregate.Created):
        site: str
        command_id: str
        reply: dict[str, Any]

    def __init__(self, *, site: str, command_id: str, reply: dict[str, Any]) -> None:
        self.site = site
        self.command_id = command_id
        self.reply = reply

    @staticmethod
    def id_for(site: str, service: str, command_id: str) -> UUID:
        return uuid5(RECEIPT_NS, f"{site}/{service}/{command_id}")

    @classmethod
    def record(
        cls, *, site: str, service: str, command_id: str, reply: dict[str, Any], at: datetime
    ) -> CommandReceipt:
        return cls._create(
            cls.Recorded,
            id=cls.id_for(site, service, command_id),
            timestamp=at,
            site=site,
            command_id=command_id,
            reply=reply,
        )


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
