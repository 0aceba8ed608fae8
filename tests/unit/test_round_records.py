"""Inspection rounds in intake (docs/INSPECTION.md): the month's plan, a round recorded, its
findings opened as inspection tickets routed by type; bad input refused, nothing recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from shared.contracts.replies import ErrorCode
from shared.contracts.rounds import ListRounds, PlanRounds, RecordRound
from shared.kernel.inspection import daily_summary_due, quality_sheet_due
from shared.messaging.errors import DeskError

T0 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)  # the clock fixture's: Tuesday 10:00 in Shanghai
SHANGHAI = ZoneInfo("Asia/Shanghai")

SLOTS = [
    {"name": "daily-check", "frequency": "daily", "starts": "09:30", "ends": "10:00",
     "area": "全小区", "points": ["大堂", "电梯", "垃圾房"]},
    {"name": "weekly-check", "frequency": "weekly", "weekday": 2, "starts": "14:00",
     "ends": "15:00", "area": "公共区域", "points": ["绿化", "消防通道"]},
    {"name": "fire-safety", "frequency": "monthly", "day": 15, "starts": "09:00",
     "ends": "11:00", "area": "消防设施", "points": ["消防栓"], "department": "security"},
]  # fmt: skip


def plan(**overrides: Any) -> PlanRounds:
    return PlanRounds.model_validate(
        {"staff_id": "S001", "month": "2026-11", "slots": SLOTS} | overrides
    )


def walk(**overrides: Any) -> RecordRound:
    body: dict[str, Any] = {
        "staff_id": "S017",
        "round_ref": "hbw-2026-11-10-daily",
        "slot": "daily-check",
        "area": "全小区",
        "started_at": (T0 - timedelta(minutes=30)).isoformat(),
        "ended_at": T0.isoformat(),
        "points": [
            {"point": "大堂", "ok": True},
            {"point": "电梯", "ok": False},
            {"point": "垃圾房", "ok": False},
        ],
        "findings": [
            {"point": "电梯", "type": "facility", "category": "elevator",
             "description": "3号梯按钮损坏"},
            {"point": "垃圾房", "type": "staff", "category": "cleaning",
             "description": "保洁员未按时清运"},
            {"point": "垃圾房", "type": "violation", "location": "5-101",
             "description": "住户在垃圾房堆放装修垃圾"},
            {"point": "垃圾房", "type": "facility", "category": "public_facility",
             "description": "门锁松动", "fixed_on_spot": True, "measures": "当场紧固"},
        ],
    }  # fmt: skip
    return RecordRound.model_validate(body | overrides)


def test_a_month_plan_has_daily_weekly_and_monthly_slots_and_a_revision_R13_1(app, ctx):
    assert app.execute(ctx, plan())["revision"] == 1
    again = app.execute(ctx, plan(slots=SLOTS[:1], command_id="c-2"))
    assert (again["revision"], again["slots"]) == (2, 1)


def test_findings_are_routed_by_type_into_inspection_tickets_R13_15(app, ctx):
    """A finding not fixed on the spot goes to the front desk as an inspection ticket (R13.15a)."""
    app.execute(ctx, plan())
    reply = app.execute(ctx, walk())
    routed = [(f["type"], f["routed_to"], f["department"]) for f in reply["findings"]]
    assert routed == [
        ("facility", "repair", "engineering"),
        ("staff", "department_supervisor", "cleaning"),
        ("violation", "violation_case", None),
        ("facility", "fixed_on_spot", "engineering"),  # R13.13: no ticket
    ]
    tickets = [app.ticket(UUID(f["ticket_id"])) for f in reply["findings"][:3]]
    assert [(t.channel, t.kind, t.reporters) for t in tickets] == [
        ("inspection", "repair", []),  # dispatch issues its work order as for any repair
        ("inspection", "suggestion", []),  # not a customer's complaint
        ("inspection", "violation", []),  # the violation case takes over (R14)
    ]
    assert [f["ticket_no"] for f in reply["findings"]] == [
        "HBW-202611-0001", "HBW-202611-0002", "HBW-202611-0003", None
    ]  # fmt: skip
    assert reply["findings"][3]["ticket_id"] is None


@pytest.mark.parametrize("round_type", ["special", "complaint", "random"])
def test_a_round_is_scheduled_special_complaint_driven_or_random_R13_12(app, ctx, round_type):
    """Only a scheduled round names a slot of the plan; the others are walked when needed."""
    app.execute(ctx, plan())
    with pytest.raises(ValidationError, match="slot"):
        walk(round_type="scheduled", slot=None)
    reply = app.execute(ctx, walk(round_type=round_type, slot=None, round_ref=f"r-{round_type}"))
    assert reply["duplicate"] is False and len(reply["findings"]) == 4
    with pytest.raises(ValidationError, match="round_type"):
        walk(round_type="nightly")


def test_the_same_round_again_records_nothing_and_answers_as_before(app, ctx, recorded):
    app.execute(ctx, plan())
    first = app.execute(ctx, walk())
    before = recorded(app)
    again = app.execute(ctx, walk(staff_id="S020"))
    assert recorded(app) == before
    assert again["duplicate"] is True and again["findings"] == first["findings"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slot": "night-patrol"}, "slot"),  # not in the month's plan
        ({"findings": [{"point": "电梯", "type": "facility", "category": "roof",
                        "description": "x"}], "points": [{"point": "电梯", "ok": False}]},
         "findings.0.category"),
        ({"ended_at": (T0 + timedelta(hours=1)).isoformat()}, "ended_at"),
    ],
)  # fmt: skip
def test_a_round_the_site_cannot_accept_is_refused_and_records_nothing(
    app, ctx, recorded, change, field
):
    app.execute(ctx, plan())
    before = recorded(app)
    with pytest.raises(DeskError) as raised:
        app.execute(ctx, walk(**change))
    assert raised.value.code is ErrorCode.invalid
    assert field in str(raised.value.fields) or field in raised.value.message
    assert recorded(app) == before


@pytest.mark.parametrize(
    "change",
    [
        {"points": [{"point": "电梯", "ok": False}], "findings": []},  # a failed point unexplained
        {"findings": [{"point": "电梯", "type": "facility", "description": "坏了"}]},  # category
        {"slot": None},  # a scheduled round names its slot
        {"ended_at": (T0 - timedelta(hours=2)).isoformat()},  # ends before it starts
        {"findings": [{"point": "电梯", "type": "staff", "description": "x",
                       "fixed_on_spot": True}]},  # fixed on the spot: say how
    ],
)  # fmt: skip
def test_a_round_that_breaks_the_contract_is_refused_at_the_edge(change):
    with pytest.raises(ValidationError):
        walk(**change)


def test_a_slot_recurs_as_its_frequency_says():
    with pytest.raises(ValidationError, match="weekday"):
        plan(slots=[SLOTS[0] | {"weekday": 1}])
    with pytest.raises(ValidationError, match="day is given"):
        plan(slots=[SLOTS[1] | {"frequency": "monthly"}])
    with pytest.raises(ValidationError, match="own name"):
        plan(slots=[SLOTS[0], SLOTS[0]])


def test_the_day_lists_planned_slots_rounds_missed_ones_and_findings_R12_9(app, ctx):
    """Fixed slots recur on their days at their times, daily, weekly or monthly (R13.10)."""
    app.execute(ctx, plan())
    app.execute(ctx, walk())
    day = app.site_config("hbw").zone
    reply = list_day(app, date(2026, 11, 10))
    assert [s.name for s in reply.planned] == ["daily-check"]
    assert reply.missed == [] and len(reply.rounds) == 1
    assert [f.status for f in reply.findings] == ["received"] * 3 + ["fixed_on_spot"]
    assert reply.due_at == datetime(2026, 11, 10, 18, 30, tzinfo=day)  # R12.9
    week = list_day(app, date(2026, 11, 12), week=True)
    assert (week.first_day, week.last_day) == (date(2026, 11, 9), date(2026, 11, 15))
    assert "2026-11-09/daily-check" in week.missed and "2026-11-11/weekly-check" in week.missed
    assert "2026-11-15/fire-safety" in week.missed
    assert week.due_at == datetime(2026, 11, 13, 0, 0, tzinfo=day)  # before Friday (R1.5)


def list_day(app, day: date, *, week: bool = False):
    from services.intake.application.rounds_log import list_rounds

    return list_rounds(app, "hbw", ListRounds(day=day, week=week))


def test_the_summaries_fall_due_in_the_site_zone_R12_9_R1_5():
    assert daily_summary_due(date(2026, 12, 3), SHANGHAI).isoformat() == "2026-12-03T18:30:00+08:00"
    # a Thursday's and a Friday's week: the sheet is due before that week's Friday
    assert quality_sheet_due(date(2026, 12, 3), SHANGHAI).isoformat() == "2026-12-04T00:00:00+08:00"
    assert quality_sheet_due(date(2026, 12, 6), SHANGHAI).isoformat() == "2026-12-04T00:00:00+08:00"


def test_round_events_are_published_masked_and_day_books_are_not(app, ctx, translate):
    app.execute(ctx, plan())
    reply = app.execute(ctx, walk())
    published = [translate(n) for n in _events(app)]
    types = [e.event_type for e in published if e is not None]
    assert types == ["round.planned", *["ticket.reported"] * 3, "round.recorded"]
    recorded = next(e for e in published if e and e.event_type == "round.recorded")
    assert [f.ticket_no for f in recorded.data.findings] == [
        f["ticket_no"] for f in reply["findings"]
    ]
    assert recorded.data.local_day == date(2026, 11, 10)


def _events(app) -> list[Any]:
    return [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 100)]


def test_a_site_chooses_when_its_summaries_are_due(clock) -> None:
    from services.intake.application import IntakeApp
    from shared.kernel.sites import SiteDirectory

    choices = {"daily_summary_due": "17:00", "quality_sheet_due_weekday": 3}
    sites = SiteDirectory.model_validate({"sites": {"hbw": {"inspection": choices}}})
    app = IntakeApp({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock, sites)
    zone = sites.get("hbw").zone
    assert list_day(app, date(2026, 11, 10)).due_at == datetime(2026, 11, 10, 17, tzinfo=zone)
    week = list_day(app, date(2026, 11, 10), week=True)
    assert week.due_at == datetime(2026, 11, 12, tzinfo=zone)  # before Thursday
