"""The analytics view's visit and survey facts (R11.6, R11.9; docs/VISITS.md): one row per
household visit (its week, zone and unit) and one per survey opened or answered, from which the
month's report shows each week's visits against the target per zone and each survey's
statistics, and the quality pack each site's weeks on target and survey satisfaction. The
occupied households are the file's where it has a zone's rooms (views/household_facts.py).

The survey's figures are its own: nothing here reads or writes the follow-up's facts."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from services.reporting.views import household_facts
from shared.contracts import visit_events as ev
from shared.kernel.sites import SiteConfig
from shared.kernel.visits import (
    occupied_households,
    survey_statistics,
    tally_week,
    weeks_of_month,
)

VISITS, SURVEYS = "visit_facts", "survey_facts"
TABLES = (
    f"CREATE TABLE IF NOT EXISTS {VISITS} (visit_id TEXT PRIMARY KEY, site TEXT NOT NULL, "
    "week TEXT NOT NULL, zone TEXT NOT NULL, unit TEXT NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {VISITS}_week ON {VISITS} (site, week)",
    f"CREATE TABLE IF NOT EXISTS {SURVEYS} (survey_id TEXT NOT NULL, version INTEGER NOT NULL, "
    "site TEXT NOT NULL, survey_ref TEXT NOT NULL, what TEXT NOT NULL, body TEXT NOT NULL, "
    "PRIMARY KEY (survey_id, version))",
    f"CREATE INDEX IF NOT EXISTS {SURVEYS}_ref ON {SURVEYS} (site, survey_ref)",
)
CHECKED = ((VISITS, "visit_id"), (SURVEYS, "survey_id, version"))

Rows = Callable[[str, Sequence[Any]], list[dict[str, Any]]]


def record(c: SQLiteCursor, event: Any) -> None:
    """The fact an event adds, if any (the unit is published; no opinion or comment is)."""
    match event:
        case ev.VisitRecordedEvent(data=data):
            c.execute(
                f"INSERT OR IGNORE INTO {VISITS} (visit_id, site, week, zone, unit) "
                "VALUES (?, ?, ?, ?, ?)",
                (str(event.aggregate_id), event.site, data.week.isoformat(), data.zone, data.unit),
            )
        case ev.SurveyOpenedEvent() | ev.SurveyAnsweredEvent():
            what = "opened" if isinstance(event, ev.SurveyOpenedEvent) else "answered"
            c.execute(
                f"INSERT OR IGNORE INTO {SURVEYS} (survey_id, version, site, survey_ref, what, "
                "body) VALUES (?, ?, ?, ?, ?, ?)",
                (str(event.aggregate_id), event.aggregate_version, event.site,
                 event.data.survey_ref, what, event.data.model_dump_json()),
            )  # fmt: skip


def month_figures(
    rows: Rows, site: str, config: SiteConfig, month: str, today: date | None = None
) -> dict[str, Any]:
    """The month's section: each week starting in the month against its target, per zone and
    for the site (R11.6), and the statistics of each survey whose period meets the month
    (R11.9). With `today` (the report's day in the site's zone), the weeks that have not begun
    are left out, and the week under way says so (`ongoing`): it is not short yet."""
    return {"weeks": _weeks(rows, site, config, month, today),
            "surveys": _surveys(rows, site, config, month)}  # fmt: skip


def _weeks(
    rows: Rows, site: str, config: SiteConfig, month: str, today: date | None
) -> list[dict[str, Any]]:
    mondays = [m for m in weeks_of_month(month) if today is None or m <= today]
    if not mondays:
        return []
    occupied = occupied_households(config.visits, household_facts.on_file(rows, site))
    found = rows(
        f"SELECT week, zone, unit FROM {VISITS} WHERE site = ? AND week IN "
        f"({', '.join('?' for _ in mondays)})",
        (site, *(m.isoformat() for m in mondays)),
    )
    weeks = []
    for monday in mondays:
        visits = [(r["zone"], r["unit"]) for r in found if r["week"] == monday.isoformat()]
        tally = tally_week(visits, occupied, config.visits.target_percent)
        ongoing = today is not None and today < monday + timedelta(days=6)
        weeks.append({
            "first_day": monday.isoformat(),
            "last_day": (monday + timedelta(days=6)).isoformat(),
            "zones": [t._asdict() | {"rate": t.rate, "met": t.met} for t in tally],
            "short": [] if ongoing else [t.zone for t in tally if t.target and not t.met],
            "ongoing": ongoing,
        })  # fmt: skip
    return weeks


def _surveys(rows: Rows, site: str, config: SiteConfig, month: str) -> list[dict[str, Any]]:
    first = date.fromisoformat(f"{month}-01")
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    households = sum(
        occupied_households(config.visits, household_facts.on_file(rows, site)).values()
    )
    surveys = []
    opened = rows(f"SELECT survey_ref, body FROM {SURVEYS} WHERE site = ? AND what = 'opened'",
                  (site,))  # fmt: skip
    for row in opened:
        survey = json.loads(row["body"])
        if survey["last_day"] < first.isoformat() or survey["first_day"] > last.isoformat():
            continue
        answers = [json.loads(r["body"])["answers"] for r in rows(
            f"SELECT body FROM {SURVEYS} WHERE site = ? AND survey_ref = ? AND what = 'answered'",
            (site, row["survey_ref"]),
        )]  # fmt: skip
        stats = survey_statistics(survey["questions"], answers, households)
        surveys.append({
            "survey_ref": survey["survey_ref"], "title": survey["title"],
            "first_day": survey["first_day"], "last_day": survey["last_day"],
            "households": households, "responses": stats.responses,
            "response_rate": stats.response_rate, "satisfaction_rate": stats.satisfaction_rate,
        })  # fmt: skip
    return sorted(surveys, key=lambda s: (s["first_day"], s["survey_ref"]))


def _all_met(week: dict[str, Any]) -> bool:
    return all(z["met"] for z in week["zones"] if z["target"])


def quality_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """A site's line in the quality pack: the weeks of the month on target (the site's and
    every zone's), and the satisfaction of its latest survey of the month (not the
    follow-up's)."""
    # the weeks that ended, and the one under way once it has met its target (it cannot fail)
    weeks = [w for w in figures["weeks"] if not w.get("ongoing") or _all_met(w)]
    latest = figures["surveys"][-1] if figures["surveys"] else None
    # a site with no occupied household on file has no target to meet: no figure, not "4/4"
    targeted = any(z["target"] for w in figures["weeks"] for z in w["zones"])
    return {
        "visit_weeks_met": (
            f"{sum(1 for w in weeks if not w['short'])}/{len(weeks)}" if targeted else None
        ),
        "survey_satisfaction_rate": latest["satisfaction_rate"] if latest else None,
    }
