"""The analytics view's maintenance-notice facts (维修通告, R7.9, R7.10, R16.6; docs/OUTAGES.md):
one row per notice, in the local month its work or outage starts, from which the month's report
counts notices announced on time and late, emergencies, outages and how long they lasted, and the
contacts linked to them. The view's `versions` already skip an event seen before."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from services.reporting.projections.site_calendar import Calendar
from shared.contracts import maintenance_events as ev
from shared.kernel.maintenance import is_outage

TABLE = "notice_facts"
TABLES = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    "notice_id TEXT PRIMARY KEY, site TEXT NOT NULL, month TEXT NOT NULL, kind TEXT NOT NULL, "
    "planned INTEGER NOT NULL, late INTEGER NOT NULL, status TEXT NOT NULL, "
    "starts_at TEXT NOT NULL, first_end TEXT NOT NULL, expected_end TEXT NOT NULL, "
    "ended_at TEXT, revisions INTEGER NOT NULL, linked INTEGER NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_month ON {TABLE} (site, month)",
)
CHECKED = ((TABLE, "notice_id"),)


def record(c: SQLiteCursor, calendar: Calendar, event: Any) -> None:
    """The change an event makes to its notice's row, if any."""
    key = str(event.aggregate_id)
    match event:
        case ev.NoticeAnnouncedEvent(data=d):
            month = calendar.month_of(event.site, d.starts_at)
            c.execute(
                f"INSERT OR IGNORE INTO {TABLE} VALUES (?, ?, ?, ?, ?, ?, 'announced', ?, ?, ?, "
                "NULL, 0, 0)",
                (key, event.site, month, d.kind.value, int(d.planned), int(d.late),
                 d.starts_at.isoformat(), d.expected_end.isoformat(),
                 d.expected_end.isoformat()),
            )  # fmt: skip
        case ev.RestorationRevisedEvent(data=d):
            c.execute(
                f"UPDATE {TABLE} SET expected_end = ?, revisions = revisions + 1 "
                "WHERE notice_id = ?",
                (d.expected_end.isoformat(), key),
            )
        case ev.NoticeEndedEvent(data=d):
            c.execute(
                f"UPDATE {TABLE} SET status = ?, ended_at = ? WHERE notice_id = ?",
                (d.outcome, d.ended_at.isoformat(), key),
            )
        case ev.NoticeCancelledEvent():
            c.execute(f"UPDATE {TABLE} SET status = 'cancelled' WHERE notice_id = ?", (key,))
        case ev.NoticeContactLinkedEvent():
            c.execute(f"UPDATE {TABLE} SET linked = linked + 1 WHERE notice_id = ?", (key,))
        case ev.NoticeContactUnlinkedEvent():
            c.execute(f"UPDATE {TABLE} SET linked = linked - 1 WHERE notice_id = ?", (key,))


def month_figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The month's section: notices by how they were announced, outages and their hours."""
    held = [r for r in rows if r["status"] != "cancelled"]
    planned = [r for r in held if r["planned"]]
    outages = [r for r in held if is_outage(r["kind"])]
    restored = [r for r in outages if r["ended_at"]]

    def hours(r: dict[str, Any]) -> float:
        span = datetime.fromisoformat(r["ended_at"]) - datetime.fromisoformat(r["starts_at"])
        return span.total_seconds() / 3600

    total = sum(hours(r) for r in restored)
    return {
        "notices": len(held),
        "planned": len(planned),
        "on_time": sum(1 for r in planned if not r["late"]),
        "late": sum(1 for r in planned if r["late"]),
        "emergency": len(held) - len(planned),
        "outages": len(outages),
        "restored": len(restored),
        "outage_hours": round(total, 1),
        "longest_outage_hours": round(max((hours(r) for r in restored), default=0), 1),
        "restored_after_expected": sum(1 for r in restored if r["ended_at"] > r["first_end"]),
        "revised": sum(1 for r in held if r["revisions"]),
        "contacts_linked": sum(r["linked"] for r in held),
        "cancelled": len(rows) - len(held),
    }


SQL = f"SELECT * FROM {TABLE} WHERE site = ? AND month = ?"
