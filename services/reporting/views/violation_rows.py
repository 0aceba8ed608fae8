"""The ticket view's table of violation cases (projections/violations.py): how a batch loads and
saves a case's row, and the reads of violation.list and violation.get. A case whose retention
ended (R14.8) keeps only a tombstone (status `removed`, nothing of the case), so that an event of
it republished later cannot bring it back."""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from services.reporting.projections.violations import REMOVED, VIOLATIONS
from shared.eventstore.views import Rows
from shared.eventstore.views import dump as _dump

TABLES = (
    "CREATE TABLE IF NOT EXISTS violations ("
    "case_id TEXT PRIMARY KEY, site TEXT NOT NULL, status TEXT NOT NULL, "
    "version INTEGER NOT NULL, state TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS violations_by_site ON violations (site, status)",
)
CHECKED = (("violations", "case_id"),)

Row = dict[str, Any]


def _load(c: SQLiteCursor, key: str) -> Row | None:
    c.execute("SELECT site, version, state FROM violations WHERE case_id = ?", (key,))
    found = c.fetchone()
    return None if found is None else dict(found) | {"state": json.loads(found["state"])}


def _save(c: SQLiteCursor, rows: Rows[Row]) -> None:
    c.executemany(
        "INSERT INTO violations (case_id, site, status, version, state) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (case_id) DO UPDATE SET status = excluded.status, "
        "version = excluded.version, state = excluded.state",
        [(k, r["site"], _status(r["state"]), r["version"], _dump(r["state"]))
         for k, r in rows.changed.items()],
    )  # fmt: skip


def _status(state: Row) -> str:
    return "removed" if state == REMOVED else str(state["status"])


def _step(row: Row | None, event: Any) -> Row | None:
    if row is not None and row["state"] == REMOVED:
        return None  # its retention ended: nothing brings it back
    state = VIOLATIONS.evolve(row["state"] if row else None, event)
    if state is None:
        return None
    return {"site": event.site, "version": event.aggregate_version, "state": state}


def rows(c: SQLiteCursor) -> Rows[Row]:
    return Rows(c, _load, _save, evolve=_step, version=lambda r: r["version"])


def get_case(c: SQLiteCursor, site: str, case_id: str | None, client_ref: str | None) -> Row | None:
    if case_id is not None:
        sql, key = "case_id = ?", case_id
    else:
        sql, key = "json_extract(state, '$.client_ref') = ?", client_ref
    c.execute(
        f"SELECT state FROM violations WHERE {sql} AND site = ? AND status != 'removed'",
        (key, site),
    )
    found = c.fetchone()
    return None if found is None else json.loads(found["state"])


def list_cases(c: SQLiteCursor, site: str, status: str | None, limit: int) -> list[Row]:
    sql, params = "SELECT state FROM violations WHERE site = ? AND status != 'removed'", [site]
    if status is not None:
        sql += " AND status = ?"
        params.append(status)
    order = " ORDER BY json_extract(state, '$.observed_at') DESC LIMIT ?"
    c.execute(sql + order, [*params, limit])
    return [json.loads(r["state"]) for r in c.fetchall()]
