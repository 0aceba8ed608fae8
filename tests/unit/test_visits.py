"""Proactive visits and satisfaction surveys in intake (docs/VISITS.md): a visit recorded, its
issues opened as tickets, the week against the 2 % target per zone (R11.6); a survey, its
responses checked against its questions, and its statistics (R11.9). Bad input refused,
nothing recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from pydantic import ValidationError

from services.intake.application import IntakeApp
from services.intake.application.visits_log import list_visits, survey_stats
from shared.contracts.replies import ErrorCode
from shared.contracts.visits import (
    ListVisits,
    OpenSurvey,
    RecordResponse,
    RecordVisit,
    SurveyStatsQuery,
)
from shared.kernel.sites import SiteDirectory
from shared.kernel.visits import (
    answer_errors,
    households_to_visit,
    survey_statistics,
    tally_week,
    weeks_of_month,
)
from shared.messaging.errors import DeskError

T0 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)  # the clock fixture's: Tuesday 10:00 in Shanghai
OCCUPIED = {"A": 100, "B": 60}  # 2 %: A needs 2 households a week, B 2 (1.2 rounded up)
SITES = SiteDirectory.model_validate({"sites": {"hbw": {"visits": {"occupied": OCCUPIED}}}})
QUESTIONS = [
    {"key": "overall", "text": "总体满意度"},
    {"key": "cleaning", "text": "保洁", "scale": 5, "satisfied_from": 4},
    {"key": "security", "text": "安保", "scale": 3, "required": False},
]


@pytest.fixture
def app(clock) -> IntakeApp:
    return IntakeApp({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock, SITES)


def visit(ref: str, unit: str, zone: str = "A", **overrides: Any) -> RecordVisit:
    body = {"staff_id": "G01", "visit_ref": ref, "unit": unit, "zone": zone,
            "visited_at": (T0 - timedelta(hours=1)).isoformat()}  # fmt: skip
    return RecordVisit.model_validate(body | overrides)


def survey(**overrides: Any) -> OpenSurvey:
    body = {"staff_id": "M01", "survey_ref": "2026-q4", "title": "2026年第四季度满意度调查",
            "first_day": "2026-11-01", "last_day": "2026-11-30",
            "questions": QUESTIONS}  # fmt: skip
    return OpenSurvey.model_validate(body | overrides)


def response(unit: str, answers: dict[str, int], **overrides: Any) -> RecordResponse:
    body = {"staff_id": "CS1", "survey_ref": "2026-q4", "unit": unit, "channel": "online",
            "answered_at": T0.isoformat(), "answers": answers}  # fmt: skip
    return RecordResponse.model_validate(body | overrides)


# -- the arithmetic ------------------------------------------------------------------------------


def test_the_weekly_target_is_2_percent_of_occupied_households_rounded_up_R11_6():
    assert [households_to_visit(n, 2.0) for n in (0, 1, 50, 100, 120, 60)] == [0, 1, 1, 2, 3, 2]
    assert households_to_visit(1000, 2.5) == 25


def test_a_week_counts_households_visited_not_visits_per_zone_and_site_R11_6():
    rows = tally_week([("A", "1-101"), ("A", "1-101"), ("A", "1-102"), ("B", "5-1")], OCCUPIED, 2)
    by_zone = {r.zone: (r.occupied, r.target, r.visited, r.visits, r.met) for r in rows}
    assert by_zone == {
        "A": (100, 2, 2, 3, True),
        "B": (60, 2, 1, 1, False),
        "*": (160, 4, 3, 4, False),
    }


def test_a_week_belongs_to_the_month_it_starts_in():
    assert weeks_of_month("2026-11") == [date(2026, 11, d) for d in (2, 9, 16, 23, 30)]
    assert weeks_of_month("2026-12")[0] == date(2026, 12, 7)


def test_survey_statistics_per_question_and_overall_R11_9():
    questions = [q | {"scale": q.get("scale", 5), "satisfied_from": q.get("satisfied_from", 4)}
                 for q in QUESTIONS[:2]]  # fmt: skip
    stats = survey_statistics(questions, [{"overall": 5, "cleaning": 3}, {"overall": 4}], 40)
    overall, cleaning = stats.questions
    assert (overall.answers, overall.distribution, overall.mean, overall.satisfied) == (
        2, {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}, 4.5, 2,
    )  # fmt: skip
    assert (cleaning.answers, cleaning.satisfaction_rate) == (1, 0.0)
    assert (stats.response_rate, stats.satisfaction_rate) == (0.05, 0.6667)


def test_an_answer_off_the_scale_or_to_no_question_is_named():
    questions = [{"key": "overall", "scale": 5, "required": True}]
    assert answer_errors(questions, {"overall": 6, "parking": 3}) == [
        ("answers.parking", "the survey asks no question 'parking'"),
        ("answers.overall", "a score from 1 to 5"),
    ]
    assert answer_errors(questions, {}) == [("answers.overall", "this question is required")]


# -- visits in intake ------------------------------------------------------------------------------


def test_a_visit_is_recorded_and_its_issues_open_tickets_at_the_desk_R11_6(app, ctx):
    issues = [{"kind": "repair", "category": "plumbing", "description": "厨房水管渗水"},
              {"kind": "suggestion", "description": "希望增加儿童游乐设施"}]  # fmt: skip
    reply = app.execute(ctx, visit("v-1", "1-101", opinions="张先生说电梯等太久", issues=issues))
    assert reply["tickets"] == ["HBW-202611-0001", "HBW-202611-0002"]
    ticket = app.ticket(app.ticket_id_of("hbw", "HBW-202611-0001"))
    assert (ticket.channel, ticket.kind, ticket.category) == ("visit", "repair", "plumbing")
    assert ticket.content.startswith("[1-101]")
    again = app.execute(ctx, visit("v-1", "1-101", command_id="c-2"))
    assert again["duplicate"] is True and again["tickets"] == reply["tickets"]
    assert UUID(again["visit_id"]) == UUID(reply["visit_id"])


def test_a_week_short_of_target_is_flagged_per_zone_R11_6(app, ctx):
    for n, (unit, zone) in enumerate([("1-101", "A"), ("1-102", "A"), ("5-1", "B")]):
        app.execute(ctx, visit(f"v-{n}", unit, zone, command_id=f"c-{n}"))
    week = list_visits(app, "hbw", ListVisits(day=date(2026, 11, 12))).weeks[0]
    assert (week.first_day, week.met, week.short) == (date(2026, 11, 9), False, ["B", "*"])
    app.execute(ctx, visit("v-9", "5-2", "B", command_id="c-9"))
    week = list_visits(app, "hbw", ListVisits(day=date(2026, 11, 12))).weeks[0]
    assert (week.met, week.short) == (True, [])
    month = list_visits(app, "hbw", ListVisits(day=date(2026, 11, 12), month=True))
    assert [w.met for w in month.weeks] == [False, True, False, False, False]
    assert len(month.visits) == 4


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"issues": [{"category": "roof", "description": "x"}]}, "issues.0.category"),
        ({"visited_at": (T0 + timedelta(hours=1)).isoformat()}, "visited_at"),
    ],
)
def test_a_visit_the_site_cannot_accept_is_refused_and_records_nothing(
    app, ctx, recorded, change, field
):
    before = recorded(app)
    with pytest.raises(DeskError) as raised:
        app.execute(ctx, visit("v-1", "1-101", **change))
    assert raised.value.code is ErrorCode.invalid
    assert field in str(raised.value.fields) or field in raised.value.message
    assert recorded(app) == before


def test_a_unit_that_names_a_person_is_refused_at_the_edge():
    with pytest.raises(ValidationError):
        visit("v-1", "张三 13800138000")


# -- surveys in intake -----------------------------------------------------------------------------


def test_responses_are_checked_against_the_survey_and_counted_R11_9(app, ctx, recorded):
    app.execute(ctx, survey())
    app.execute(ctx, response("1-101", {"overall": 5, "cleaning": 4, "security": 3}))
    app.execute(ctx, response("1-102", {"overall": 2, "cleaning": 5}, channel="paper",
                              command_id="c-2"))  # fmt: skip
    before = recorded(app)
    for n, (unit, answers, extra) in enumerate([
        ("1-103", {"overall": 6, "cleaning": 4}, {}),  # off the scale
        ("1-103", {"cleaning": 4}, {}),  # a required question unanswered
        ("1-103", {"overall": 4, "cleaning": 4, "parking": 1}, {}),  # no such question
        ("1-101", {"overall": 4, "cleaning": 4}, {}),  # answered already
        ("1-103", {"overall": 4, "cleaning": 4}, {"answered_at": "2026-10-31T08:00:00+08:00"}),
    ]):  # fmt: skip
        with pytest.raises(DeskError) as raised:
            app.execute(ctx, response(unit, answers, command_id=f"bad-{n}", **extra))
        assert raised.value.code is ErrorCode.invalid
    assert recorded(app) == before
    stats = survey_stats(app, "hbw", SurveyStatsQuery(survey_ref="2026-q4"))
    assert (stats.households, stats.responses, stats.response_rate) == (160, 2, 0.0125)
    assert stats.by_channel == {"online": 1, "paper": 1}
    overall = stats.questions[0]
    assert (overall.distribution["5"], overall.distribution["2"], overall.mean) == (1, 1, 3.5)
    assert (overall.satisfaction_rate, stats.questions[2].answers) == (0.5, 1)
    assert stats.satisfaction_rate == 0.8  # 4 satisfied of 5 answers


def test_a_survey_opened_twice_is_a_conflict_and_its_stats_need_it(app, ctx):
    app.execute(ctx, survey())
    with pytest.raises(DeskError) as raised:
        app.execute(ctx, survey(command_id="c-2"))
    assert raised.value.code is ErrorCode.conflict
    with pytest.raises(DeskError) as missing:
        survey_stats(app, "hbw", SurveyStatsQuery(survey_ref="2027-q1"))
    assert missing.value.code is ErrorCode.not_found


@pytest.mark.parametrize(
    "change",
    [
        {"last_day": "2026-10-01"},  # ends before it starts
        {"questions": [QUESTIONS[0], QUESTIONS[0]]},  # a key twice
        {"questions": [{"key": "q", "text": "x", "scale": 3, "satisfied_from": 4}]},
        {"channels": ["fax"]},
        {"channels": ["online", "online"]},
    ],
)
def test_a_survey_that_breaks_the_contract_is_refused_at_the_edge(change):
    with pytest.raises(ValidationError):
        survey(**change)


def test_the_months_report_leaves_out_weeks_not_begun_and_waits_for_the_week_under_way_R11_6():
    """A report made on Wednesday 2 December: the weeks starting 7, 14, 21 and 28 December have
    not begun (not "missed"); the week of 30 November is under way, not short yet."""
    from propdesk.report_files.visits import _verdict
    from services.reporting.views.visit_facts import month_figures, quality_figures

    site = SiteDirectory.model_validate(
        {"sites": {"hbw": {"name": "HV", "visits": {"occupied": {"A": 100}}}}}
    ).sites["hbw"]
    no_rows = lambda sql, params: []  # noqa: E731 — nobody visited yet
    whole = month_figures(no_rows, "hbw", site, "2026-11")
    assert [w["first_day"] for w in whole["weeks"]][-1] == "2026-11-30"
    now = month_figures(no_rows, "hbw", site, "2026-11", today=date(2026, 12, 2))
    assert len(now["weeks"]) == len(whole["weeks"]) and now["weeks"][-1]["ongoing"]
    assert now["weeks"][-1]["short"] == [] and now["weeks"][0]["short"] == ["A", "*"]
    assert _verdict(now["weeks"][-1], now["weeks"][-1]["zones"][0]) == "进行中 In progress"
    assert quality_figures(now)["visit_weeks_met"] == f"0/{len(whole['weeks']) - 1}"
    # a site with no household on file has no target: no figure rather than every week met
    untargeted = SiteDirectory.model_validate({"sites": {"ohs": {"name": "OT"}}}).sites["ohs"]
    none = month_figures(no_rows, "ohs", untargeted, "2026-11", today=date(2026, 12, 2))
    assert quality_figures(none)["visit_weeks_met"] is None
    december = month_figures(no_rows, "hbw", site, "2026-12", today=date(2026, 12, 2))
    assert december["weeks"] == []  # its first week starts on 7 December
