"""The analytics view's promise facts (R6.15, R10.6, R2.6, R11.5; docs/PROMISES.md): one row per
promise, counted in the local month it was made, with its owner, kind, due time and outcome. The
month's report counts promises made, kept on time, kept late and broken, per staff member;
the quality pack the share kept on time; `promise.list` lists a site's open ones for the desk.
No phone or name: a missed call's phone never reaches the bus."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from services.reporting.projections.site_calendar import Calendar
from services.reporting.queries.month import rate
from shared.contracts import promise_events as ev
from shared.kernel.promises import PromiseKind

TABLE = "promise_facts"
TABLES = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    "promise_id TEXT PRIMARY KEY, site TEXT NOT NULL, month TEXT NOT NULL, "
    "client_ref TEXT NOT NULL, kind TEXT NOT NULL, owner TEXT NOT NULL, made_at TEXT NOT NULL, "
    "due_at TEXT NOT NULL, what TEXT NOT NULL, ticket_no TEXT, status TEXT NOT NULL, "
    "outcome TEXT, ended_at TEXT)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_month ON {TABLE} (site, month)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_open ON {TABLE} (site, status, due_at)",
)
CHECKED = ((TABLE, "promise_id"),)
OUTCOMES = ("made", "kept_on_time", "kept_late", "broken", "open")


def record(c: SQLiteCursor, calendar: Calendar, event: Any) -> None:
    """The row a promise's event writes or changes; times in UTC ISO (ordered as text)."""
    pid = str(event.aggregate_id)
    d = event.data
    match event:
        case ev.PromiseMadeEvent():
            month = calendar.month_of(event.site, event.occurred_at)
            c.execute(
                f"INSERT OR IGNORE INTO {TABLE} (promise_id, site, month, client_ref, kind, "
                "owner, made_at, due_at, what, ticket_no, status) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (pid, event.site, month, d.client_ref, d.kind.value, d.owner,
                 _utc(event.occurred_at), _utc(d.due_at), d.what, d.ticket_no, "open"),
            )  # fmt: skip
        case ev.PromiseRescheduledEvent():
            c.execute(f"UPDATE {TABLE} SET due_at = ? WHERE promise_id = ?", (_utc(d.due_at), pid))
        case ev.PromiseKeptEvent():
            outcome = "kept_on_time" if d.on_time else "kept_late"
            _end(c, pid, "kept", outcome, d.kept_at)
        case ev.PromiseBrokenEvent():
            _end(c, pid, "broken", "broken", d.broken_at)


def _end(c: SQLiteCursor, pid: str, status: str, outcome: str, at: Any) -> None:
    c.execute(
        f"UPDATE {TABLE} SET status = ?, outcome = ?, ended_at = ? WHERE promise_id = ?",
        (status, outcome, _utc(at), pid),
    )


def _utc(when: Any) -> str:
    return when.astimezone(UTC).isoformat()


def month_figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The month's section: promises made in the month and how each ended (open: not yet),
    for the site and per staff member (R11.5: callbacks are part of the appraisal)."""

    def tally(of: list[dict[str, Any]]) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0) | {"made": len(of)}
        for r in of:
            counts[r["outcome"] or "open"] += 1
        return counts

    staff = sorted({r["owner"] for r in rows})
    return {
        **tally(rows),
        "on_time_rate": on_time_rate(tally(rows)),
        "by_kind": {k.value: tally([r for r in rows if r["kind"] == k.value]) for k in PromiseKind},
        "by_staff": {s: tally([r for r in rows if r["owner"] == s]) for s in staff},
    }


def on_time_rate(counts: dict[str, int]) -> float | None:
    """Promises kept on time of those that ended (kept or broken), rounded half up as every
    report's rates; none when none ended."""
    ended = counts["kept_on_time"] + counts["kept_late"] + counts["broken"]
    return rate(counts["kept_on_time"], ended)


SQL = f"SELECT kind, owner, outcome FROM {TABLE} WHERE site = ? AND month = ?"
COUNTS_SQL = f"SELECT site, outcome FROM {TABLE} WHERE month = ?"
