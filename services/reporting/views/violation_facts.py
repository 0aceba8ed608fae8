"""The analytics view's violation facts (R14.3, R12.4): one row per case opened, measure
recorded, penalty signed or case closed, in the month of its site's calendar, from which the
month's report counts "violations by measure". Only the case's id, class and the measure: no
place, description or person; a count stays when the case's record is removed (R14.8)."""

from __future__ import annotations

from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from services.reporting.projections.site_calendar import Calendar
from services.reporting.views.event_facts import Fact, fact_tables, record_fact
from shared.contracts import violation_events as ev
from shared.kernel.violations import Measure, ViolationClass

TABLE = "violation_facts"
KEY = "case_id"
TABLES = fact_tables(TABLE, KEY)
CHECKED = ((TABLE, f"{KEY}, version"),)


def _what(event: Any) -> Fact | None:
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
    record_fact(c, calendar, TABLE, KEY, event, _what(event))


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
