"""The analytics view: the facts of services/reporting/projections/analytics_facts.py in SQLite,
one table per kind of fact (views/analytics_tables.py: their columns, and how a batch loads and
saves their rows), which the reports query (services/reporting/queries/facts.py).

An event whose aggregate version is already here (republished after the duplicate window)
changes nothing: `versions` holds the last version of every aggregate seen.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from services.reporting.projections.analytics_facts import fact_projectors
from services.reporting.projections.site_calendar import Calendar
from services.reporting.views import (
    analytics_months,
    analytics_tables,
    care_facts,
    care_months,
    household_facts,
    notice_facts,
    promise_facts,
    shift_facts,
    violation_facts,
    visit_facts,
)
from services.reporting.views.parked import ParkingView
from shared.eventstore.views import Batch, SQLiteView
from shared.kernel.sites import SiteDirectory
from shared.messaging.inbox import Delivery


class AnalyticsView(ParkingView, SQLiteView):
    TABLES = analytics_tables.TABLES
    CHECKED = analytics_tables.CHECKED
    PRAGMAS = SQLiteView.DERIVED  # rebuilt by a replay, read again from its position

    def __init__(
        self,
        db_name: str,
        sites: SiteDirectory | None = None,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(db_name)
        self.calendar = Calendar(sites or SiteDirectory.load(None))
        self.projectors = fact_projectors(self.calendar)
        # which rows each event changes (one lookup per event, on the hot path)
        self._rows_of: dict[type, str] = {}
        for name in ("tickets", "orders", "analyses", "incidents"):
            for cls in getattr(self.projectors, name).steps:
                self._rows_of.setdefault(cls, name)
        self._bulk = False
        # this process's writes to the file, one at a time: a reader's `settle` writes too
        self._writing = threading.RLock()
        self._timer = timer  # seconds, for how long a recompute took and how long since
        self._settled_at = timer()
        self._settle_gap = analytics_months.SETTLE_EVERY  # until the next recompute by a batch
        had = self.tables()
        self.create_table()
        self._add_columns()
        # a view closed with stale site-months (or stopped by a crash) recomputes them when read
        self._stale = bool(self.rows(f"SELECT 1 FROM {analytics_months.STALE} LIMIT 1"))
        if "ticket_facts" in had and analytics_months.TABLE not in had:
            self.finish()  # a view written before the site-months: they are filled now
        elif care_facts.CARE in had and care_months.TABLE not in had:
            with self._write(), self.datastore.transaction(commit=True) as c:
                care_months.refresh_all(c)  # …before the special-care months (R11.10)

    def _add_columns(self) -> None:
        """A view written before the ledger's columns gets them, empty: the tickets it already
        has show no handling or follow-up in the ledger until the view is rebuilt (`propdesk
        replay analytics`)."""
        with self.datastore.transaction(commit=True) as c:
            c.execute("PRAGMA table_info(ticket_facts)")
            have = {r["name"] for r in c.fetchall()}
            for column in analytics_tables.COLUMNS["ticket_facts"].split(", "):
                if column.split()[0] not in have:
                    c.execute(f"ALTER TABLE ticket_facts ADD COLUMN {column}")

    def bulk(self) -> None:
        """A rebuild: the site-months are computed once, by `finish`, not after every batch."""
        self._bulk = True

    def finish(self) -> None:
        """Every site-month recomputed from the facts (views/analytics_months.py,
        views/care_months.py)."""
        with self._write(), self.datastore.transaction(commit=True) as c:
            analytics_months.refresh_all(c)
            care_months.refresh_all(c)
            self._stale = False
        self._bulk = False

    def settle(self, site: str | None = None) -> None:
        """Recompute the site-months the batches left stale (views/analytics_months.py), so
        that what reads them sees them as current as the facts: all of them, or those of
        `site` (what one site's report reads; the others stay for the batches)."""
        if not self._stale:
            return
        with self._write(), self.datastore.transaction(commit=True) as c:
            if site is None:
                self._settle(c)
            else:
                self._stale = not analytics_months.settle(c, site)

    def _settle(self, c: SQLiteCursor) -> None:
        began = self._timer()
        analytics_months.settle(c)
        self._stale = False
        self._settled_at = self._timer()
        took = self._settled_at - began
        self._settle_gap = min(
            analytics_months.SETTLE_MOST,
            max(analytics_months.SETTLE_EVERY, took / analytics_months.SETTLE_SHARE),
        )

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        """One write of this process at a time; one that fails may have rolled back a
        recompute it counted done, so the site-months are taken as stale again."""
        with self._writing:
            try:
                yield
            except BaseException:
                self._stale = True
                raise

    def apply(self, deliveries: Sequence[Any]) -> None:
        with self._write():
            super().apply(deliveries)

    def park(
        self, consumer: str, delivery: Delivery, error: str, attempts: int, at: datetime
    ) -> bool:
        with self._write():
            return super().park(consumer, delivery, error, attempts, at)

    def retry_parked(self, delivery: Delivery, at: datetime) -> None:
        with self._write():
            super().retry_parked(delivery, at)

    def checksum(self) -> str:
        self.settle()
        return super().checksum()

    def local(self, site: str, when: datetime) -> datetime:
        return self.calendar.local(site, when)

    # -- writing ---------------------------------------------------------------------------

    def _apply_rows(self, c: SQLiteCursor, deliveries: Sequence[Delivery]) -> None:
        """Each state the batch touches is loaded once, changed in memory by every event of the
        batch and saved once at the end (shared.eventstore.views.Rows)."""
        batch = analytics_tables.batch(c, self.projectors)
        events = [d.envelope for d in deliveries if d.envelope is not None]
        analytics_tables.preload(batch, events, self.projectors)
        cared: set[care_facts.Touched] = set()  # the site-months of the care facts added
        for delivery in deliveries:
            event = delivery.envelope
            if event is not None and self._is_new(batch, event):
                rows = self._rows_of.get(type(event))
                if rows is not None:
                    batch.rows[rows].project(event)
                violation_facts.record(c, self.calendar, event)  # R14.3
                promise_facts.record(c, self.calendar, event)  # R6.15, R2.6, R11.5
                notice_facts.record(c, self.calendar, event)  # R16.6
                shift_facts.record(c, self.calendar, event)  # R15.9, R10.1
                visit_facts.record(c, event)  # R11.6, R11.9
                household_facts.record(c, event)  # R11.6 with R16.4
                if care := care_facts.record(c, self.calendar, event):  # R11.10
                    cared.add(care)
        batch.write()
        if not self._bulk:
            care_months.refresh(c, cared)
            touched = analytics_months.touched(batch)
            if touched:
                analytics_months.mark(c, touched)
                self._stale = True
            if self._stale and self._timer() - self._settled_at >= self._settle_gap:
                self._settle(c)

    def _is_new(self, batch: Batch, event: Any) -> bool:
        """False for an event whose aggregate version is already here."""
        return batch.rows["versions"].project(event) is not None

    # -- reading ---------------------------------------------------------------------------

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            return [dict(r) for r in c.fetchall()]
