"""A generated multi-site history for benchmarks and tests: tickets of many sites, day after day,
each with its whole life as the services would publish it (tests/support/lives.py), in the order it
happened. Built on tests/support/builders.py's `History`; bench/replay.py publishes it. The same
seed gives the same stream, byte for byte."""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from shared.contracts.envelope import Envelope
from shared.messaging.subjects import subject_of
from tests.support.builders import History
from tests.support.lives import Life

SITES = ("hbw", "tech-park", "lgp", "ohs", "riverside", "north-gate", "east-lake", "west-hill")
TICKETS_PER_SITE_AND_DAY = 8
START = datetime(2024, 1, 1, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai


@dataclass(order=True)
class Pending:
    """One published event, ordered by when it happened."""

    at: datetime
    order: int
    subject: str = field(compare=False)
    msg_id: str = field(compare=False)
    payload: bytes = field(compare=False)


class GeneratedHistory(History):
    """Tickets of many sites, day after day, each with its whole life, in the order it happened:
    a ticket's life is made at once, and its events wait in time order until they are ripe."""

    def __init__(self, sites: int, seed: int) -> None:
        super().__init__()
        self.sites = SITES[:sites]
        self.random = random.Random(seed)
        self.heap: list[Pending] = []
        self.emitted = 0
        self.ticket_numbers: dict[tuple[str, str], int] = {}

    def record(self, event: Envelope) -> None:
        self.emitted += 1
        payload = event.model_dump_json().encode()
        subject = subject_of(event)
        pending = Pending(event.occurred_at, self.emitted, subject, str(event.event_id), payload)
        heapq.heappush(self.heap, pending)

    def day(self, day: int, tickets: int) -> None:
        """`tickets` tickets reported during one day's office hours, with all that follows."""
        for _ in range(tickets):
            at = START + timedelta(days=day, minutes=self.random.uniform(0, 9 * 60))
            site = self.random.choice(self.sites)
            month = at.strftime("%Y%m")
            numbers = self.ticket_numbers
            n = numbers[site, month] = numbers.get((site, month), 0) + 1
            Life(self, site, f"{site.upper()}-{month}-{n:04d}", at).live()

    def ripe(self, before: datetime) -> Iterator[Pending]:
        """The events that happened before `before`, in time order."""
        while self.heap and self.heap[0].at < before:
            yield heapq.heappop(self.heap)

    def rest(self) -> Iterator[Pending]:
        while self.heap:
            yield heapq.heappop(self.heap)
