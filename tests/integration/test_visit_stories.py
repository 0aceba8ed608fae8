"""Proactive visits and satisfaction surveys through NATS (docs/VISITS.md): stewards' visits
recorded, a week below and then at its 2 % target per zone, an issue raised on a visit opening a
ticket at the desk, the opinions heard never on the bus; a survey answered, its bad answers
refused, its statistics — and the month's report and the quality pack, the survey apart from the
follow-up."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from shared.kernel.sites import SiteDirectory
from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually
from tests.integration.test_desk_words import cli
from tests.integration.test_personal_data_at_rest import found_in_files, intake_files

pytestmark = pytest.mark.integration

OCCUPIED = {"A": 100, "B": 50}  # 2 %: A needs 2 households a week, B 1, the site 3
SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "visits": {"occupied": OCCUPIED}}}}
)
OPINION = "王美华女士说电梯等候太久, 电话13912345678"


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


def visit(ref: str, unit: str, zone: str, when: Any, **extra: Any) -> dict[str, Any]:
    return {"staff_id": "G01", "visit_ref": ref, "unit": unit, "zone": zone,
            "visited_at": when.isoformat(), **extra}  # fmt: skip


async def test_visits_against_the_weekly_target_and_a_survey_with_its_statistics_R11_6_R11_9(
    desk: Desk, drill_services, nats_server, tmp_path, settings
) -> None:
    await drill_services()
    drill = Drill(desk)
    last_week = START - timedelta(days=3)  # Friday 2026-11-20, the week of 16 November
    issue = {"kind": "repair", "category": "plumbing", "description": "厨房水管渗水"}
    first = await desk.command(
        "hbw", "record_visit", visit("v-1", "1-101", "A", last_week, opinions=OPINION,
                                     issues=[issue])
    )  # fmt: skip
    assert first["ok"] and first["tickets"] == ["HBW-202611-0001"], first

    short = await desk.query("hbw", "visit.week", {"day": "2026-11-18"})
    [week] = short["weeks"]
    assert (week["met"], week["short"]) == (False, ["A", "B", "*"])  # 1 of 2, 0 of 1, 1 of 3

    for n, (unit, zone) in enumerate([("1-102", "A"), ("1-103", "A"), ("2-201", "B")]):
        done = await desk.command(
            "hbw", "record_visit", visit(f"v-{n + 2}", unit, zone, START - timedelta(hours=1))
        )
        assert done["ok"] and done["tickets"] == [], done
    this = await desk.query("hbw", "visit.week", {"day": "2026-11-23"})
    [week] = this["weeks"]
    assert (week["met"], week["short"]) == (True, [])
    assert [(z["zone"], z["target"], z["visited"]) for z in week["zones"]] == [
        ("A", 2, 2), ("B", 1, 1), ("*", 3, 3)
    ]  # fmt: skip

    # the issue's ticket is a ticket like any other, reported before the visit that names it
    async def published_all() -> list[dict[str, Any]] | None:  # the relay publishes after commit
        found = await drill.events("visit.recorded")
        return found if len(found) == 4 else None

    recorded = await eventually(published_all)
    reported = await drill.events("ticket.reported")
    assert reported[0]["data"]["channel"] == "visit"
    assert [e["data"]["visit_ref"] for e in recorded] == ["v-1", "v-2", "v-3", "v-4"]
    assert recorded[0]["data"]["opinions_heard"] and recorded[0]["data"]["tickets"] == [
        "HBW-202611-0001"
    ]

    async def ordered() -> list[dict[str, Any]] | None:  # dispatch, as for any repair reported
        reply = await desk.query("hbw", "ticket.get", {"ticket_id": reported[0]["aggregate_id"]})
        return reply["ticket"]["work_orders"] or None if reply["ok"] else None

    [order] = await eventually(ordered)
    assert order["department"] == "engineering"
    published = [json.dumps(json.loads(m.data), ensure_ascii=False) for m in await desk.events()]
    assert not [m for m in published if "王美华" in m or "13912345678" in m]  # R11.6, §9
    # …and encrypted at rest in intake's store (R15.1; on PostgreSQL there is no file to read)
    stores = intake_files(settings.data_dir)
    assert stores or settings.persistence == "postgres"
    assert found_in_files(stores, "王美华", "13912345678") == set()

    # a survey, answered online and on paper; a bad answer changes nothing (R11.9)
    questions = [{"key": "overall", "text": "总体满意度"}, {"key": "cleaning", "text": "保洁"}]
    opened = await desk.command("hbw", "survey_open", {
        "staff_id": "M01", "survey_ref": "2026-11", "title": "11月满意度调查",
        "first_day": "2026-11-01", "last_day": "2026-11-30", "questions": questions,
    })  # fmt: skip
    assert opened["ok"], opened
    for unit, channel, overall, cleaning in (
        ("1-101", "online", 5, 4), ("1-102", "online", 4, 2), ("2-201", "paper", 2, 5),
    ):  # fmt: skip
        answered = await desk.command("hbw", "survey_respond", {
            "staff_id": "CS1", "survey_ref": "2026-11", "unit": unit, "channel": channel,
            "answered_at": START.isoformat(), "answers": {"overall": overall, "cleaning": cleaning},
            "comment": "王美华: 很满意",
        })  # fmt: skip
        assert answered["ok"], answered
    bad = await desk.command("hbw", "survey_respond", {
        "staff_id": "CS1", "survey_ref": "2026-11", "unit": "1-103", "channel": "online",
        "answered_at": START.isoformat(), "answers": {"overall": 7, "cleaning": 4},
    })  # fmt: skip
    assert bad["ok"] is False and bad["error"]["code"] == "invalid", bad
    stats = await desk.query("hbw", "survey.stats", {"survey_ref": "2026-11"})
    assert (stats["responses"], stats["households"], stats["response_rate"]) == (3, 150, 0.02)
    assert stats["by_channel"] == {"online": 2, "paper": 1}
    overall = stats["questions"][0]
    assert (overall["distribution"], overall["satisfied"]) == (
        {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}, 2,
    )  # fmt: skip
    assert stats["satisfaction_rate"] == 0.6667  # 4 of 6 answers at 4 or 5

    async def answers_published() -> list[dict[str, Any]] | None:
        found = await drill.events("survey.answered")
        return found if len(found) == 3 else None

    answers = await eventually(answers_published)
    assert [a["data"]["answers"]["overall"] for a in answers] == [5, 4, 2]
    assert "王美华" not in json.dumps(answers, ensure_ascii=False)  # the comments stay in intake
    sheet = tmp_path / "survey.xlsx"  # the statistics as a workbook, through the CLI
    listed = await cli(nats_server.url, "survey", "stats", "--site", "hbw", "--ref", "2026-11",
                       "--xlsx", str(sheet))  # fmt: skip
    assert listed.exit_code == 0 and "3/150 households" in listed.output, listed.output
    rows = [[c.value for c in row] for row in load_workbook(sheet).active.iter_rows()]
    [overall_row] = [r for r in rows if r[0] == "总体满意度"]
    assert overall_row[1:7] == [3, 0, 1, 0, 1, 1]  # answers, then 1 … 5 points
    week = await cli(nats_server.url, "visits", "week", "--site", "hbw", "--day", "2026-11-18")
    assert week.exit_code == 0 and "SHORT: A, B, *" in week.output, week.output

    async def in_report() -> dict[str, Any] | None:
        reply = await desk.query("hbw", "report.monthly", {"month": "2026-11"})
        found = reply["report"]["visits"] if reply["ok"] else {}
        surveys = found.get("surveys") or []
        return reply["report"] if surveys and surveys[0]["responses"] == 3 else None

    report = await eventually(in_report)
    weeks = {w["first_day"]: w["short"] for w in report["visits"]["weeks"]}
    assert (weeks["2026-11-16"], weeks["2026-11-23"]) == (["A", "B", "*"], [])
    assert report["visits"]["surveys"][0]["satisfaction_rate"] == 0.6667
    assert report["satisfaction"]["follow_ups"] == 0  # the survey is not a follow-up (R11.1)
    pack = await desk.request("desk.qry.company.report.quality", {"month": "2026-11"})
    [site] = pack["report"]["sites"]
    # as of Monday 23 November: three weeks ended short, the week under way already on target;
    # the week of 30 November has not begun, so it is not counted as missed
    assert (site["visit_weeks_met"], site["survey_satisfaction_rate"]) == ("1/4", 0.6667)
    assert site["satisfaction_rate"] is None  # no follow-up call was made
    # no special-care resident on file: no figure, as for a site without households (R11.10)
    assert (site["care_residents"], site["care_visits"], site["care_visits_overdue"]) == (
        None, None, None
    )  # fmt: skip
