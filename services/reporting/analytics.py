"""The analytics projection: one fact row per ticket, work order and service-level clock, each
stamped with the site's local calendar month (and ISO week) it counts in (docs/REPORTS.md).

Reports are computed from the facts of a month when asked (services/reporting/reports.py). The
facts and the stream position are written in one transaction, like the ticket view; an event whose
aggregate version is already here (republished after the duplicate window) changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder

from services.reporting.parked import TABLE as PARKED_TABLE
from services.reporting.parked import ParkingView
from services.reporting.view import each_row
from shared.contracts.envelope import Envelope
from shared.inbox import Delivery
from shared.sites import SiteDirectory
from shared.subjects import STREAM

TABLES: dict[str, str] = {
    "ticket_facts": (
        "ticket_id TEXT PRIMARY KEY, site TEXT NOT NULL, month TEXT NOT NULL, "
        "week TEXT NOT NULL, ticket_no TEXT NOT NULL, received_at TEXT NOT NULL, "
        "kind TEXT NOT NULL, category TEXT, channel TEXT NOT NULL, validity TEXT, "
        "severity TEXT, unit TEXT, content TEXT NOT NULL, status TEXT NOT NULL, "
        "duplicate INTEGER NOT NULL DEFAULT 0, resolved_at TEXT, "
        "reopened INTEGER NOT NULL DEFAULT 0, follow_ups INTEGER NOT NULL DEFAULT 0, "
        "satisfied INTEGER NOT NULL DEFAULT 0, level TEXT, upgraded INTEGER NOT NULL DEFAULT 0"
    ),
    "escalation_facts": (
        "ticket_id TEXT NOT NULL, level TEXT NOT NULL, site TEXT NOT NULL, month TEXT NOT NULL, "
        "PRIMARY KEY (ticket_id, level)"
    ),
    "clock_facts": (
        "ticket_id TEXT NOT NULL, clock_key TEXT NOT NULL, run INTEGER NOT NULL, "
        "site TEXT NOT NULL, month TEXT NOT NULL, clock TEXT NOT NULL, "
        "outcome TEXT NOT NULL, breached INTEGER NOT NULL DEFAULT 0, "
        "PRIMARY KEY (ticket_id, clock_key, run)"
    ),
    "order_facts": (
        "work_order_id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, site TEXT NOT NULL, "
        "issued_month TEXT NOT NULL, department TEXT NOT NULL, completed_month TEXT, fee TEXT"
    ),
    "month_analysis": (
        "site TEXT NOT NULL, month TEXT NOT NULL, analysis TEXT NOT NULL, PRIMARY KEY (site, month)"
    ),
    "versions": "aggregate_id TEXT PRIMARY KEY, version INTEGER NOT NULL",
}
INDEXES = (
    "CREATE INDEX IF NOT EXISTS ticket_facts_month ON ticket_facts (site, month)",
    "CREATE INDEX IF NOT EXISTS ticket_facts_week ON ticket_facts (site, week)",
    "CREATE INDEX IF NOT EXISTS escalation_facts_month ON escalation_facts (site, month)",
    "CREATE INDEX IF NOT EXISTS clock_facts_month ON clock_facts (site, month)",
    "CREATE INDEX IF NOT EXISTS order_facts_issued ON order_facts (site, issued_month)",
    "CREATE INDEX IF NOT EXISTS order_facts_completed ON order_facts (site, completed_month)",
)
OPEN = "open"


class AnalyticsView(ParkingView, SQLiteTrackingRecorder):
    def __init__(self, db_name: str, sites: SiteDirectory | None = None) -> None:
        super().__init__(SQLiteDatastore(db_name=db_name, lock_timeout=10))
        self.sites = sites or SiteDirectory.load(None)
        self.create_table()

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            *(f"CREATE TABLE IF NOT EXISTS {name} ({columns})" for name, columns in TABLES.items()),
            *INDEXES,
            PARKED_TABLE,  # not in TABLES: not part of the checksum
        ]

    # -- writing ---------------------------------------------------------------------------

    def position(self) -> int:
        return self.max_tracking_id(STREAM) or 0

    def apply(self, deliveries: Sequence[Delivery]) -> None:
        """Apply a batch of stream messages and record the last sequence, atomically."""
        with self.datastore.transaction(commit=True) as c:
            done = self._max_tracking_id(STREAM, c) or 0
            fresh = [d for d in deliveries if d.seq > done]
            if not fresh:
                return  # a redelivery: already applied
            self._apply_rows(c, fresh)
            self._insert_tracking(c, Tracking(STREAM, fresh[-1].seq))

    def _apply_rows(self, c: SQLiteCursor, deliveries: Sequence[Delivery]) -> None:
        for delivery in deliveries:
            event = delivery.envelope
            if event is not None and self._is_new(c, event):
                step = STEPS.get(event.event_type)  # type: ignore[attr-defined]
                if step is not None:
                    step(self, c, event)

    def _is_new(self, c: SQLiteCursor, event: Envelope) -> bool:
        key = str(event.aggregate_id)
        c.execute("SELECT version FROM versions WHERE aggregate_id = ?", (key,))
        row = c.fetchone()
        if row is not None and event.aggregate_version <= row["version"]:
            return False
        c.execute(
            "INSERT INTO versions (aggregate_id, version) VALUES (?, ?) ON CONFLICT "
            "(aggregate_id) DO UPDATE SET version = excluded.version",
            (key, event.aggregate_version),
        )
        return True

    def local(self, site: str, when: datetime) -> datetime:
        config = self.sites.get(site)
        return when.astimezone(config.zone) if config is not None else when

    def month_of(self, site: str, when: datetime) -> str:
        return self.local(site, when).strftime("%Y-%m")

    def week_of(self, site: str, when: datetime) -> str:
        year, week, _ = self.local(site, when).isocalendar()
        return f"{year}-W{week:02d}"

    # -- reading ---------------------------------------------------------------------------

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            return [dict(r) for r in c.fetchall()]

    def checksum(self) -> str:
        """A digest of every fact, to compare a live view with a rebuild."""
        digest = hashlib.sha256()
        with self.datastore.transaction(commit=False) as c:
            for table in TABLES:
                c.execute(f"SELECT * FROM {table} ORDER BY 1, 2")
                for r in each_row(c):  # a million facts need not sit in memory
                    digest.update(json.dumps(list(r), ensure_ascii=False).encode() + b"\n")
        return digest.hexdigest()

    def close(self) -> None:
        self.datastore.close()


# -- how each event changes the facts ---------------------------------------------------------

Step = Callable[[AnalyticsView, SQLiteCursor, Any], None]


def _reported(view: AnalyticsView, c: SQLiteCursor, ev: Any) -> None:
    d = ev.data
    c.execute(
        "INSERT OR IGNORE INTO ticket_facts (ticket_id, site, month, week, ticket_no, "
        "received_at, kind, category, channel, unit, content, status) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received')",
        (
            str(ev.aggregate_id),
            ev.site,
            view.month_of(ev.site, d.received_at),
            view.week_of(ev.site, d.received_at),
            d.ticket_no,
            view.local(ev.site, d.received_at).isoformat(),  # one offset per site: sorts as text
            d.kind.value,
            d.category,
            d.channel.value,
            d.unit,
            d.content,
        ),
    )


def _ticket(sql: str, params: Callable[[Any], tuple]) -> Step:
    """A step that updates the ticket's fact row: `sql` is the SET clause."""

    def step(view: AnalyticsView, c: SQLiteCursor, ev: Any) -> None:
        c.execute(f"UPDATE ticket_facts SET {sql} WHERE ticket_id = ?", (*params(ev), ev_id(ev)))

    return step


def ev_id(ev: Any) -> str:
    return str(ev.aggregate_id)


def _value(enum: Any) -> Any:
    return getattr(enum, "value", enum)


def _board_ticket(ev: Any) -> str:
    return str(ev.data.ticket_id)


def _clock_started(view: AnalyticsView, c: SQLiteCursor, ev: Any) -> None:
    ticket_id = _board_ticket(ev)
    c.execute("SELECT site, month FROM ticket_facts WHERE ticket_id = ?", (ticket_id,))
    ticket = c.fetchone()
    month = ticket["month"] if ticket else view.month_of(ev.site, ev.data.started_at)
    c.execute(
        "SELECT COALESCE(MAX(run), 0) AS run FROM clock_facts WHERE ticket_id = ? "
        "AND clock_key = ?",
        (ticket_id, ev.data.key),
    )
    run = c.fetchone()["run"] + 1
    c.execute(
        "INSERT INTO clock_facts (ticket_id, clock_key, run, site, month, clock, outcome) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (ticket_id, ev.data.key, run, ev.site, month, _value(ev.data.clock), OPEN),
    )


def _clock(sql: str, params: Callable[[Any], tuple]) -> Step:
    """A step on the clock's latest run: `sql` is the SET clause."""

    def step(view: AnalyticsView, c: SQLiteCursor, ev: Any) -> None:
        c.execute(
            f"UPDATE clock_facts SET {sql} WHERE ticket_id = ? AND clock_key = ? AND run = "
            "(SELECT MAX(run) FROM clock_facts WHERE ticket_id = ? AND clock_key = ?)",
            (*params(ev), _board_ticket(ev), ev.data.key, _board_ticket(ev), ev.data.key),
        )

    return step


def _escalated(view: AnalyticsView, c: SQLiteCursor, ev: Any) -> None:
    ticket_id, level = _board_ticket(ev), _value(ev.data.level)
    c.execute("SELECT month FROM ticket_facts WHERE ticket_id = ?", (ticket_id,))
    ticket = c.fetchone()
    month = ticket["month"] if ticket else view.month_of(ev.site, ev.occurred_at)
    c.execute(
        "INSERT OR IGNORE INTO escalation_facts (ticket_id, level, site, month) "
        "VALUES (?, ?, ?, ?)",
        (ticket_id, level, ev.site, month),
    )
    c.execute("UPDATE ticket_facts SET level = ? WHERE ticket_id = ?", (level, ticket_id))


def _order_issued(view: AnalyticsView, c: SQLiteCursor, ev: Any) -> None:
    c.execute(
        "INSERT OR IGNORE INTO order_facts (work_order_id, ticket_id, site, issued_month, "
        "department) VALUES (?, ?, ?, ?, ?)",
        (
            ev_id(ev),
            str(ev.data.ticket_id),
            ev.site,
            view.month_of(ev.site, ev.occurred_at),
            ev.data.department,
        ),
    )


def _order_completed(view: AnalyticsView, c: SQLiteCursor, ev: Any) -> None:
    c.execute(
        "UPDATE order_facts SET completed_month = ?, fee = ? WHERE work_order_id = ?",
        (view.month_of(ev.site, ev.occurred_at), str(Decimal(ev.data.fee)), ev_id(ev)),
    )


def _analysis(view: AnalyticsView, c: SQLiteCursor, ev: Any) -> None:
    d = ev.data
    analysis = {
        "cause": d.cause,
        "lessons": d.lessons,
        "actions": d.actions,
        "revision": d.revision,
        "by": ev.actor,
        "at": view.local(ev.site, ev.occurred_at).isoformat(),
    }
    c.execute(
        "INSERT INTO month_analysis (site, month, analysis) VALUES (?, ?, ?) "
        "ON CONFLICT (site, month) DO UPDATE SET analysis = excluded.analysis",
        (ev.site, d.month, json.dumps(analysis, ensure_ascii=False, sort_keys=True)),
    )


STEPS: dict[str, Step] = {
    "ticket.reported": _reported,
    "ticket.classified": _ticket(
        # intake never hears of an upgrade to major (escalation's), so a later classification
        # repeats the severity it knows: the upgrade stands
        "kind = ?, category = ?, validity = ?, "
        "severity = CASE WHEN upgraded = 1 THEN 'major' ELSE ? END, "
        "status = CASE WHEN status = 'received' THEN 'classified' ELSE status END",
        lambda ev: (
            ev.data.kind.value,
            ev.data.category,
            _value(ev.data.validity),
            _value(ev.data.severity),
        ),
    ),
    "ticket.resolved": _ticket(
        "status = 'resolved', resolved_at = COALESCE(resolved_at, ?)",
        lambda ev: (ev.occurred_at.isoformat(),),
    ),
    "ticket.followed_up": _ticket(
        "follow_ups = follow_ups + 1, satisfied = satisfied + ?",
        lambda ev: (int(ev.data.score >= 4),),
    ),
    "ticket.closed": _ticket("status = 'closed'", lambda ev: ()),
    "ticket.reopened": _ticket("status = 'reopened', reopened = 1", lambda ev: ()),
    "ticket.cancelled": _ticket(
        "status = 'cancelled', duplicate = ?", lambda ev: (int(ev.data.duplicate_of is not None),)
    ),
    "escalation.clock_started": _clock_started,
    "escalation.clock_stopped": _clock("outcome = ?", lambda ev: (ev.data.outcome,)),
    "escalation.clock_breached": _clock("breached = 1", lambda ev: ()),
    "escalation.complaint_escalated": _escalated,
    "escalation.complaint_upgraded": lambda view, c, ev: c.execute(
        "UPDATE ticket_facts SET upgraded = 1, severity = 'major' WHERE ticket_id = ?",
        (_board_ticket(ev),),
    ),
    "workorder.issued": _order_issued,
    "workorder.completed": _order_completed,
    "report.analysis_attached": _analysis,
}
