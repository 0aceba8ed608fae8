"""Visits against their weekly target and a survey's statistics, answered from intake's own
records (visit.week, survey.stats; docs/VISITS.md).

`occupied_households` is the one place where the number of occupied households enters: the
resident and unit file's rooms with someone living there, per zone (the site's `Households`,
R16.4), and the site's `visits.occupied` for the zones the file has no room in
(`shared.kernel.visits.occupied_households`, the rule reporting applies too)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from services.intake.application.visits import survey_of_site
from services.intake.domain.households import Households
from services.intake.domain.visits import Visit, VisitBook
from shared.contracts.visits import (
    ListVisits,
    QuestionLine,
    SurveyStatsQuery,
    SurveyStatsReply,
    VisitLine,
    VisitsReply,
    VisitWeek,
    ZoneTally,
)
from shared.kernel.visits import occupied_households as households_by_zone
from shared.kernel.visits import survey_statistics, tally_week, week_of, weeks_of_month

if TYPE_CHECKING:
    from services.intake.application import IntakeApp


def occupied_households(app: IntakeApp, site: str) -> dict[str, int]:
    """Occupied households per zone (see the module's doc)."""
    roll = app.get(Households.id_for(site), Households)
    on_file = roll.occupied_by_zone() if roll else {}
    return households_by_zone(app.site_config(site).visits, on_file)


def visits_of_week(app: IntakeApp, site: str, monday: date) -> list[Visit]:
    book = app.get(VisitBook.id_for(site, monday), VisitBook)
    return [app.get(i, Visit) for i in book.visits] if book else []


def list_visits(app: IntakeApp, site: str, query: ListVisits) -> VisitsReply:
    percent = app.site_config(site).visits.target_percent
    occupied = occupied_households(app, site)
    mondays = weeks_of_month(query.day.strftime("%Y-%m")) if query.month else [week_of(query.day)]
    weeks, lines = [], []
    for monday in mondays:
        visits = visits_of_week(app, site, monday)
        rows = tally_week([(v.zone, v.unit) for v in visits], occupied, percent)
        short = [r.zone for r in rows if r.target and not r.met]
        weeks.append(
            VisitWeek(
                first_day=monday,
                last_day=monday + timedelta(days=6),
                target_percent=percent,
                met=not short,
                short=short,
                zones=[ZoneTally(**r._asdict(), rate=r.rate, met=r.met) for r in rows],
            )
        )
        lines += [_line(v) for v in visits]
    return VisitsReply(site=site, weeks=weeks, visits=lines)


def _line(v: Visit) -> VisitLine:
    return VisitLine(
        visit_id=str(v.id), visit_ref=v.visit_ref, unit=v.unit, zone=v.zone,
        visited_at=v.visited_at, steward=v.visitors[0], tickets=v.tickets,
    )  # fmt: skip


def survey_stats(app: IntakeApp, site: str, query: SurveyStatsQuery) -> SurveyStatsReply:
    survey = survey_of_site(app, site, query.survey_ref)
    households = sum(occupied_households(app, site).values())
    responses = list(survey.responses.values())
    stats = survey_statistics(survey.questions, [r["answers"] for r in responses], households)
    by_channel: dict[str, int] = {}
    for r in responses:
        by_channel[r["channel"]] = by_channel.get(r["channel"], 0) + 1
    texts = {q["key"]: q for q in survey.questions}
    return SurveyStatsReply(
        site=site, survey_ref=survey.survey_ref, title=survey.title,
        first_day=date.fromisoformat(survey.first_day),
        last_day=date.fromisoformat(survey.last_day), households=households,
        responses=stats.responses, response_rate=stats.response_rate,
        satisfaction_rate=stats.satisfaction_rate, by_channel=by_channel,
        questions=[
            QuestionLine(
                key=q.key, text=texts[q.key]["text"], scale=texts[q.key]["scale"],
                answers=q.answers, distribution={str(k): n for k, n in q.distribution.items()},
                mean=q.mean, satisfied=q.satisfied, satisfaction_rate=q.satisfaction_rate,
            )
            for q in stats.questions
        ],
    )  # fmt: skip
