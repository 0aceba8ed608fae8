"""The analytics view's special-care facts (R11.10; docs/RESIDENTS.md, docs/REPORTS.md): from
what DESK publishes, one row per event that puts a resident on the care roll or takes them off
it (resident.registered flagged, resident.corrected), per visit made (resident.care_visited, in
the month of its `visited_at`; a schema-1 event in the month it was recorded) and per reminder
that a visit is overdue (escalation.care_visit_due, in the month it was raised). `detail` is the
resident's id. The quality pack reads each site-month's counts from the rows kept from them
(views/care_months.py), and shows them by the rule of `figures`."""

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


# the site-month of a fact, and whether it is a flag: a flag changes the roll of later months too
Touched = tuple[str, str, bool]


def record(c: SQLiteCursor, calendar: Calendar, event: Any) -> Touched | None:
    """The fact an event adds, if any (a resident registered without the flag adds none)."""
    match event:
        case ev.ResidentRegisteredEvent(data=d) if d.special_care:
            return _record(c, calendar, event, "flagged", str(event.aggregate_id))
        case ev.ResidentCorrectedEvent(data=d):
            flag = "flagged" if d.special_care else "unflagged"
            return _record(c, calendar, event, flag, str(event.aggregate_id))
        case ev.CareVisitedEvent(data=d):
            return _record(c, calendar, event, "visited", str(event.aggregate_id), d.visited_at)
        case esc.EscalationCareVisitDueEvent(data=d):
            # ticket_id: the resident's
            return _record(c, calendar, event, "overdue", str(d.ticket_id))
    return None


def _record(
    c: SQLiteCursor, calendar: Calendar, event: Any, what: str, resident: str, at: Any = None
) -> Touched:
    month = record_fact(c, calendar, CARE, "aggregate_id", event, (what, resident), at)
    return event.site, str(month), what in ("flagged", "unflagged")


def month_counts(rows: Rows, site: str, month: str) -> tuple[int, int, int]:
    """From the facts: the residents on the care roll at the month's end, the visits made in
    the month, and the residents reminded in the month that their visit was overdue."""
    [roll] = rows(ROLL_SQL, (site, month))
    [done] = rows(MONTH_SQL, (site, month))
    return roll["n"], done["visits"] or 0, done["overdue"]


def figures(residents: int, visits: int, overdue: int) -> dict[str, int | None]:
    """A site's special-care line of a month in the quality pack (R11.10): its counts, or no
    figure (null), not zeros, for a site with no special-care resident and nothing in the month."""
    counts = (residents, visits, overdue)
    return dict(zip(FIGURES, counts, strict=True)) if any(counts) else dict.fromkeys(FIGURES)


def shown(line: dict[str, Any]) -> bool:
    """Whether a site-month's line (`figures`) has counts: not all null, as a site without any."""
    return line.get("care_residents") is not None


def pooled(sites: list[dict[str, Any]]) -> dict[str, int | None]:
    """The company's: every site's figures summed, null when no site has any."""
    counted = [s for s in sites if shown(s)]
    if not counted:
        return dict.fromkeys(FIGURES)
    return {k: sum(s[k] for s in counted) for k in FIGURES}
