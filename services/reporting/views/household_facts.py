"""The analytics view's households (R11.6 with R16.4; docs/VISITS.md, "Occupied households"):
the site's units as the file publishes them (unit.registered, unit.corrected: their zone and
whether they are rooms) and who lives in each (resident.moved_in, resident.moved_out), so that
the month's visit targets count each zone's occupied households as intake's visit.week does,
from DESK alone: a zone's rooms with someone living there, by the same rule
(`shared.kernel.visits.occupied_households`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from shared.contracts import resident_events as ev

ROOMS, LIVING = "household_rooms", "household_residents"
TABLES = (
    f"CREATE TABLE IF NOT EXISTS {ROOMS} (unit_id TEXT PRIMARY KEY, site TEXT NOT NULL, "
    "zone TEXT, room INTEGER NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {ROOMS}_site ON {ROOMS} (site)",
    f"CREATE TABLE IF NOT EXISTS {LIVING} (unit_id TEXT NOT NULL, resident_id TEXT NOT NULL, "
    "site TEXT NOT NULL, PRIMARY KEY (unit_id, resident_id))",
)
CHECKED = ((ROOMS, "unit_id"), (LIVING, "unit_id, resident_id"))
OCCUPIED_SQL = (
    f"SELECT r.zone AS zone, SUM(EXISTS (SELECT 1 FROM {LIVING} l WHERE l.unit_id = r.unit_id)) "
    f"AS occupied FROM {ROOMS} r WHERE r.site = ? AND r.room = 1 AND r.zone IS NOT NULL "
    "GROUP BY r.zone"
)

Rows = Callable[[str, Sequence[Any]], list[dict[str, Any]]]


def record(c: SQLiteCursor, event: Any) -> None:
    """What a unit's or a move's event changes, if anything."""
    match event:
        case ev.UnitRegisteredEvent(data=d) | ev.UnitCorrectedEvent(data=d):
            c.execute(
                f"INSERT OR REPLACE INTO {ROOMS} (unit_id, site, zone, room) VALUES (?, ?, ?, ?)",
                (str(event.aggregate_id), event.site, d.zone, int(d.place_kind == "room")),
            )
        case ev.ResidentMovedInEvent(data=d):
            c.execute(
                f"INSERT OR IGNORE INTO {LIVING} (unit_id, resident_id, site) VALUES (?, ?, ?)",
                (str(d.unit_id), str(event.aggregate_id), event.site),
            )
        case ev.ResidentMovedOutEvent(data=d):
            c.execute(
                f"DELETE FROM {LIVING} WHERE unit_id = ? AND resident_id = ?",
                (str(d.unit_id), str(event.aggregate_id)),
            )


def on_file(rows: Rows, site: str) -> dict[str, int]:
    """Zone -> rooms with someone living there, every zone with a room on file."""
    return {r["zone"]: int(r["occupied"]) for r in rows(OCCUPIED_SQL, (site,))}
