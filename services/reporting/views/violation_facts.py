"""The analytics view's violation facts (R14.3, R12.4): one row per case opened, measure
recorded, penalty signed or case closed, in the month of its site's calendar, from which the
month's report counts "violations by measure". Only the case's id, class and the measure: no
place, description or person; a count stays when the case's record is removed (R14.8)."""

from __future__ import annotations

from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from services.reporting.projections.site_calendar import Calendar
from shared.contracts import violation_events as ev
from shared.kernel.violations import Measure, ViolationClass

TABLE = "violation_facts"
TABLES = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    "case_id TEXT NOT NULL, version INTEGER NOT NULL, site TEXT NOT NULL, month TEXT NOT NULL, "
    "what TEXT NOT NULL, detail TEXT, PRIMARY KEY (case_id, version))",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_month ON {TABLE} (site, month)",
)
CHECKED = ((TABLE, "case_id, version"),)


def _what(event: Any) -> tuple[str, str | None] | None:
    match event:
        case ev.ViolationOpenedEvent():
            return "opened", event.data.violation_class.value
        case ev.MeasureRecordedEvent():
            return "measure", event.data.measure.value
        case ev.PenaltySignedEvent():
            return "penalty_signed", None
        case ev.ViolationClosedEvent():
            return "closed", None
    return None


def record(c: SQLiteCursor, calendar: Calendar, event: Any) -> None:
    """The fact an event adds, if any: in the month it happened, the site's calendar."""
    what = _what(event)
    if what is None:
        return
    month = calendar.month_of(event.site, event.occurred_at)
    c.execute(
        f"INSERT OR IGNORE INTO {TABLE} (case_id, version, site, month, what, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (str(event.aggregate_id), event.aggregate_version, event.site, month, *what),
    )


def month_figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The month's section: cases opened by class, measures recorded by measure, penalties
    signed (in force, R14.6), cases closed."""

    def count(what: str, detail: str | None = None) -> int:
        return sum(
            1 for r in rows if r["what"] == what and (detail is None or r["detail"] == detail)
        )

    return {
        "opened": {c.value: count("opened", c.value) for c in ViolationClass},
        "by_measure": {m.value: count("measure", m.value) for m in Measure},
        "penalties_signed": count("penalty_signed"),
        "closed": count("closed"),
    }


SQL = f"SELECT what, detail FROM {TABLE} WHERE site = ? AND month = ?"
