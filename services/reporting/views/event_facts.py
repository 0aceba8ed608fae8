"""A table of the facts events add in the analytics view, one row per event (its aggregate and
version: a redelivered event adds nothing): the site, the month of the site's calendar it
happened in, what happened and one detail. Shift logs (`shift_facts.py`) and violation cases
(`violation_facts.py`) keep theirs so, each naming its aggregate's column."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from services.reporting.projections.site_calendar import Calendar

Fact = tuple[str, str | None]  # what, detail


def fact_tables(table: str, key: str) -> tuple[str, ...]:
    """The table, keyed by the aggregate's column `key` and the version, and its month index."""
    return (
        f"CREATE TABLE IF NOT EXISTS {table} ("
        f"{key} TEXT NOT NULL, version INTEGER NOT NULL, site TEXT NOT NULL, month TEXT NOT NULL, "
        f"what TEXT NOT NULL, detail TEXT, PRIMARY KEY ({key}, version))",
        f"CREATE INDEX IF NOT EXISTS {table}_month ON {table} (site, month)",
    )


def record_fact(
    c: SQLiteCursor,
    calendar: Calendar,
    table: str,
    key: str,
    event: Any,
    fact: Fact | None,
    at: datetime | None = None,
) -> str | None:
    """The fact an event adds, if any: in the month it happened (`at`, else when the event
    occurred), the site's calendar. The month, if it adds one."""
    if fact is None:
        return None
    month = calendar.month_of(event.site, at or event.occurred_at)
    c.execute(
        f"INSERT OR IGNORE INTO {table} ({key}, version, site, month, what, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (str(event.aggregate_id), event.aggregate_version, event.site, month, *fact),
    )
    return month
