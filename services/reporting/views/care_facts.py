"""The analytics view's special-care facts (R11.10; docs/RESIDENTS.md, docs/REPORTS.md): from
what DESK publishes, one row per event that puts a resident on the care roll or takes them off
it (resident.registered flagged, resident.corrected), per visit made (resident.care_visited, in
the month of its `visited_at`; a schema-1 event in the month it was recorded) and per reminder
that a visit is overdue (escalation.care_visit_due, in the month it was raised). `detail` is the
resident's id. The quality pack shows each site's month from them (`quality_figures`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from services.reporting.projections.site_calendar import Calendar
from services.reporting.views.event_facts import fact_tables, record_fact
from shared.contracts import escalation_events as esc
from shared.contracts import resident_events as ev

CARE = "care_facts"
TABLES = fact_tables(CARE, "aggregate_id")
CHECKED = ((CARE, "aggregate_id, version"),)
FIGURES = ("care_residents", "care_visits", "care_visits_overdue")

# the residents whose last flag up to the month's end says special care (as intake's CareRoll)
ROLL_SQL = (
    f"SELECT COUNT(*) AS n FROM {CARE} f WHERE f.site = ?1 AND f.month <= ?2 "
    "AND f.what = 'flagged' AND NOT EXISTS (SELECT 1 FROM "
    f"{CARE} g WHERE g.aggregate_id = f.aggregate_id AND g.what IN ('flagged', 'unflagged') "
    "AND g.month <= ?2 AND g.version > f.version)"
)
MONTH_SQL = (
    "SELECT SUM(what = 'visited') AS visits, "
    "COUNT(DISTINCT CASE WHEN what = 'overdue' THEN detail END) AS overdue "
    f"FROM {CARE} WHERE site = ? AND month = ?"
)

Rows = Callable[[str, Sequence[Any]], list[dict[str, Any]]]


def record(c: SQLiteCursor, calendar: Calendar, event: Any) -> None:
    """The fact an event adds, if any (a resident registered without the flag adds none)."""
    match event:
        case ev.ResidentRegisteredEvent(data=d) if d.special_care:
            _record(c, calendar, event, "flagged", str(event.aggregate_id))
        case ev.ResidentCorrectedEvent(data=d):
            flag = "flagged" if d.special_care else "unflagged"
            _record(c, calendar, event, flag, str(event.aggregate_id))
        case ev.CareVisitedEvent(data=d):
            _record(c, calendar, event, "visited", str(event.aggregate_id), d.visited_at)
        case esc.EscalationCareVisitDueEvent(data=d):
            _record(c, calendar, event, "overdue", str(d.ticket_id))  # ticket_id: the resident's


def _record(
    c: SQLiteCursor, calendar: Calendar, event: Any, what: str, resident: str, at: Any = None
) -> None:
    record_fact(c, calendar, CARE, "aggregate_id", event, (what, resident), at)


def quality_figures(rows: Rows, site: str, month: str) -> dict[str, int | None]:
    """A site's special-care line in the quality pack (R11.10): the residents on the care roll at
    the month's end, the visits made in the month, and the residents reminded in the month that
    their visit was overdue. A site with no special-care resident and nothing in the month has
    no figure (null), not zeros."""
    [roll] = rows(ROLL_SQL, (site, month))
    [done] = rows(MONTH_SQL, (site, month))
    figures = (roll["n"], done["visits"] or 0, done["overdue"])
    if not any(figures):
        return dict.fromkeys(FIGURES)
    return dict(zip(FIGURES, figures, strict=True))


def pooled(sites: list[dict[str, Any]]) -> dict[str, int | None]:
    """The company's: every site's figures summed, null when no site has any."""
    shown = [s for s in sites if s.get("care_residents") is not None]
    if not shown:
        return dict.fromkeys(FIGURES)
    return {k: sum(s[k] for s in shown) for k in FIGURES}
