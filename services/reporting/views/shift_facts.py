"""The analytics view's shift facts (R15.9, R10.1; docs/SHIFTS.md): one row per shift log closed,
signature given or ticket handed over, in the month of its site's calendar, from which the
month's report counts the handovers, whether the incoming shift signed them on time, and the
tickets handed over. Only ids, staff ids and flags: no entry's text."""

from __future__ import annotations

from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from services.reporting.projections.site_calendar import Calendar
from services.reporting.views.event_facts import Fact, fact_tables, record_fact
from shared.contracts import shift_events as ev

TABLE = "shift_facts"
KEY = "aggregate_id"
TABLES = fact_tables(TABLE, KEY)
CHECKED = ((TABLE, f"{KEY}, version"),)


def _what(event: Any) -> Fact | None:
    match event:
        case ev.ShiftClosedEvent():
            return "closed", str(len(event.data.pending))
        case ev.ShiftSignedEvent():
            return "signed", "late" if event.data.late else "on_time"
        case ev.TicketHandedOverEvent():
            return "ticket_handed_over", None
    return None


def record(c: SQLiteCursor, calendar: Calendar, event: Any) -> None:
    record_fact(c, calendar, TABLE, KEY, event, _what(event))


def month_figures(rows: list[dict[str, Any]], month: str) -> dict[str, Any]:
    """The month's section: the shift logs closed in the month (handovers), those whose first
    signature came within the site's grace or late, those still unsigned, the pending tickets
    they handed on, and the tickets handed over between staff in the month (R10.1)."""
    closed = {r["aggregate_id"]: r for r in rows if r["what"] == "closed" and r["month"] == month}
    first: dict[str, dict[str, Any]] = {}
    for r in sorted(rows, key=lambda r: r["version"]):
        if r["what"] == "signed" and r["aggregate_id"] in closed:
            first.setdefault(r["aggregate_id"], r)
    on_time = sum(1 for r in first.values() if r["detail"] == "on_time")
    return {
        "handovers": len(closed),
        "signed_on_time": on_time,
        "signed_late": len(first) - on_time,
        "unsigned": len(closed) - len(first),
        "pending_items": sum(int(r["detail"] or 0) for r in closed.values()),
        "tickets_handed_over": sum(
            1 for r in rows if r["what"] == "ticket_handed_over" and r["month"] == month
        ),
    }


# the month's facts, and the signatures (of any later month) of the logs closed in it
SQL = (
    f"SELECT aggregate_id, version, month, what, detail FROM {TABLE} WHERE site = ? AND "
    f"(month = ? OR aggregate_id IN (SELECT aggregate_id FROM {TABLE} WHERE site = ? AND "
    "month = ? AND what = 'closed'))"
)
