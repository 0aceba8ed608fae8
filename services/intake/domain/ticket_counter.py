"""Intake's own bookkeeping: the ticket-number counters.

Never published: the relay's translator maps their events to nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

from services.intake.domain.month_counter import MonthCounter

COUNTER_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/ticket-counter")


class TicketCounter(MonthCounter):
    """Numbers the tickets of one site and local month: HBW-202611-0042. Each number's event also
    records who reported the ticket (intake's store only), so that the month's analysis can be
    masked for their names; the counter's state keeps only the last number, so numbering the
    thousandth ticket costs what the first did (the analysis reads the events themselves)."""

    namespace = COUNTER_NS

    class Started(Aggregate.Created):
        site: str
        month: str

    class Issued(Aggregate.Event):
        number: int
        reporter: dict[str, Any] | None = None

        class_version = 2  # v1, stored before issue 5, kept no reporter

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["reporter"] = None

        def apply(self, c: TicketCounter) -> None:
            c.last = self.number

    def next_number(self, at: datetime, reporter: dict[str, Any] | None = None) -> str:
        self.trigger_event(self.Issued, timestamp=at, number=self.last + 1, reporter=reporter)
        return self.ticket_no(self.site, self.month, self.last)

    @staticmethod
    def ticket_no(site: str, month: str, n: int) -> str:
        """The number of a site's `n`th ticket of `month` (YYYYMM)."""
        return f"{site.upper()}-{month}-{n:04d}"


# stored before the domain became a package (issue 12)
register_topic("services.intake.bookkeeping:TicketCounter", TicketCounter)
