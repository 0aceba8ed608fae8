"""The read models reporting keeps, each a SQLite view fed from DESK by its own durable consumer.

`propdesk replay <name>` and `propdesk verify <name>` address them by these names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from services.reporting.views.analytics import AnalyticsView
from services.reporting.views.tickets import TicketView
from shared.eventstore.store import lock_path
from shared.kernel.sites import SiteDirectory
from shared.messaging.inbox import Delivery


class View(Protocol):
    """What a projection's view offers the inbox, the replay and the verify."""

    def apply(self, deliveries: Sequence[Delivery]) -> None:
        """Apply a batch and record its last stream sequence, in one transaction."""

    def bulk(self) -> None:
        """The view is being rebuilt: rows derived from others may wait for `finish`."""

    def finish(self) -> None:
        """Write what `bulk` let wait (the end of a rebuild, before its checksum)."""

    def position(self) -> int:
        """The last stream sequence applied (0 for an empty view)."""

    def checksum(self) -> str:
        """A digest of every row: equal views have equal checksums."""

    def park(
        self, consumer: str, delivery: Delivery, error: str, attempts: int, at: datetime
    ) -> bool:
        """Record an event that cannot be applied, with the position past it, atomically."""

    def parked(self) -> list[dict[str, Any]]:
        """The parked events, oldest first."""

    def retry_parked(self, delivery: Delivery, at: datetime) -> None:
        """Apply a parked event and close its park (services/reporting/views/parked.py)."""

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Projection:
    name: str
    description: str
    file: str  # in the data directory
    durable: str  # the reporting service's consumer on DESK
    open: Callable[[str, SiteDirectory], View]  # (file, sites): the sites give each its timezone
    # Seconds a batch of its consumer waits for more after its first message (shared/messaging/
    # inbox.py): none for the view the desk reads a report back from at once; a quarter of a
    # second for the monthly figures, which then apply DESK in a few large transactions
    # instead of many small ones and leave the process to the ticket view when it is busy
    # (docs/PERFORMANCE.md, session 8). A wait for the view (the simulated clock) cuts it short.
    linger: float = 0.0

    def path(self, data_dir: Path, replica: str | None = None) -> Path:
        """The view's file; a named replica's carries its name (reporting-tickets-b.sqlite3), so
        that replicas may share a data directory."""
        if replica is None:
            return data_dir / self.file
        stem, _, suffix = self.file.partition(".")
        return data_dir / f"{stem}-{replica}.{suffix}"

    def consumer(self, replica: str | None = None) -> str:
        """The durable consumer of the view of `replica` (None: the first, `durable` as ever)."""
        return self.durable if replica is None else f"{self.durable}-{replica}"


def replica_lock(data_dir: Path, replica: str | None) -> Path:
    """What one reporting replica's process holds while its views are open."""
    return lock_path(data_dir, "reporting" if replica is None else f"reporting-{replica}")


PROJECTIONS: dict[str, Projection] = {
    p.name: p
    for p in (
        Projection(
            "tickets",
            "ticket state, work orders, service levels and history (ticket.get, ticket.list)",
            "reporting-tickets.sqlite3",
            "reporting-tickets",
            lambda path, _sites: TicketView(path),
        ),
        Projection(
            "analytics",
            "monthly and weekly facts per site: the reports (report.monthly, report.weekly, "
            "company report.quality)",
            "reporting-analytics.sqlite3",
            "reporting-analytics",
            AnalyticsView,
            linger=0.25,
        ),
    )
}


class UnknownProjection(ValueError):
    """A name that is not one of `PROJECTIONS`."""


def projection_named(name: str) -> Projection:
    """The projection called `name` (UnknownProjection, naming the known ones, if none is)."""
    try:
        return PROJECTIONS[name]
    except KeyError:
        known = ", ".join(PROJECTIONS)
        raise UnknownProjection(f"unknown projection {name!r}; one of: {known}") from None
