"""The board of one ticket: clocks and the complaint ladder as rules (docs/DOMAIN.md §5, §3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.escalation.domain import SYSTEM, Cause, ClockError, TicketClocks
from shared.kernel.sla import DEFAULT_CLOCKS, SlaConfig
from shared.kernel.vocabulary import ClockName, Level
from shared.kernel.worktime import CalendarTime

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
WORK = CalendarTime()
CAUSE = Cause(SYSTEM, "corr-1", None)
HELP = DEFAULT_CLOCKS[ClockName.help_reply]  # 5 min, warn at 80 % (R10.2)


def board(kind: str = "help") -> TicketClocks:
    return TicketClocks.open(
        site="hbw", ticket_id=uuid4(), ticket_no="HBW-202611-0001", kind=kind, received_at=T0,
        at=T0, correlation_id="corr-1", causation_id=None,
    )  # fmt: skip


def started(kind: str = "help") -> TicketClocks:
    b = board(kind)
    b.start_clock("help_reply", HELP, WORK, T0, T0, CAUSE)
    return b


def decided(b: TicketClocks, at: datetime) -> list[str]:
    before = len(b.pending_events)
    b.decide(at)
    return [type(e).__name__ for e in b.pending_events[before:]]


def test_a_clock_warns_at_80_percent_then_breaches_once_at_its_target_R10_2() -> None:
    b = started()
    assert b.clocks["help_reply"]["deadline"] == T0 + timedelta(minutes=5)
    assert b.next_due() == T0 + timedelta(minutes=4)
    assert decided(b, T0 + timedelta(minutes=4) - timedelta(seconds=1)) == []
    assert decided(b, T0 + timedelta(minutes=4)) == ["ClockWarned"]
    assert b.next_due() == T0 + timedelta(minutes=5)
    assert decided(b, T0 + timedelta(minutes=5)) == ["ClockBreached"]
    assert decided(b, T0 + timedelta(days=5)) == []
    assert b.next_due() is None


def test_a_late_look_records_the_warning_before_the_breach() -> None:
    assert decided(started(), T0 + timedelta(hours=1)) == ["ClockWarned", "ClockBreached"]


def test_starting_a_running_clock_again_changes_nothing() -> None:
    b = started()
    count = len(b.pending_events)
    b.start_clock("help_reply", HELP, WORK, T0 + timedelta(minutes=1), T0, CAUSE)
    assert len(b.pending_events) == count


@pytest.mark.parametrize(
    ("stopped_after", "cancelled", "outcome"),
    [(timedelta(minutes=3), False, "met"), (timedelta(minutes=6), False, "late"),
     (timedelta(minutes=3), True, "cancelled")],
)  # fmt: skip
def test_a_stopped_clock_records_its_outcome(
    stopped_after: timedelta, cancelled: bool, outcome: str
) -> None:
    b = started()
    b.stop_clock("help_reply", T0 + stopped_after, CAUSE, WORK, cancelled=cancelled)
    assert b.clocks["help_reply"]["outcome"] == outcome
    assert decided(b, T0 + timedelta(hours=1)) == []


def test_paused_time_does_not_count() -> None:
    b = started()
    b.pause_clock("help_reply", T0 + timedelta(minutes=2), CAUSE, WORK, "access")
    with pytest.raises(ClockError):
        b.pause_clock("help_reply", T0 + timedelta(minutes=3), CAUSE, WORK, "access")
    assert decided(b, T0 + timedelta(hours=1)) == []
    b.resume_clock("help_reply", T0 + timedelta(hours=1), CAUSE, WORK)
    # 2 minutes counted before the pause: 3 minutes left, warning after 2 more
    assert b.clocks["help_reply"]["deadline"] == T0 + timedelta(hours=1, minutes=3)
    assert b.clocks["help_reply"]["warn_due"] == T0 + timedelta(hours=1, minutes=2)
    with pytest.raises(ClockError):
        b.resume_clock("help_reply", T0 + timedelta(hours=1), CAUSE, WORK)


def ladder(b: TicketClocks, sla: SlaConfig | None = None) -> TicketClocks:
    sla = sla or SlaConfig()
    steps = {level.value: T0 + sla.ladder_after(level) for level in Level}
    b.start_ladder(steps, T0 + sla.upgrade_after, T0, CAUSE)
    return b


def test_the_ladder_climbs_day_2_week_1_week_2_then_major_after_a_month_R6_4_to_R6_7() -> None:
    """The upgrade tells quality and, reported upward (R5.4), every level of the ladder (issue 13
    item 9: it used to tell quality only)."""
    b = ladder(board("complaint"))
    found = {day: decided(b, T0 + timedelta(days=day)) for day in range(1, 32)}
    assert {d: f for d, f in found.items() if f} == {
        2: ["ComplaintEscalated"],
        7: ["ComplaintEscalated"],
        14: ["ComplaintEscalated"],
        30: ["ComplaintUpgraded", "MajorReported", "MajorReported", "MajorReported"],
    }
    assert b.ladder["reached"] == ["department_supervisor", "project_manager", "gm_office"]
    assert b.severity == "major"
    reported = [e for e in b.pending_events if isinstance(e, TicketClocks.MajorReported)]
    assert [(e.reason, e.role) for e in reported] == [
        ("upgraded", "department_supervisor"),
        ("upgraded", "project_manager"),
        ("upgraded", "gm_office"),
    ]


def test_a_left_ladder_is_not_resumed_by_a_reopening_R5_6() -> None:
    b = ladder(board("complaint"))
    b.change_ladder("left", "communicative", T0, CAUSE)
    b.change_ladder("running", "reopened", T0, CAUSE)
    assert b.ladder["state"] == "left"
    assert decided(b, T0 + timedelta(days=40)) == []


def test_a_left_ladder_rejoined_takes_the_steps_due_since_receipt_at_once_in_order_R6_4_R5_1c() -> (
    None
):
    """Issue 13 item 8: a complaint found communicative, then corrected to valid on day 40, is
    re-evaluated from receipt: every step and the upgrade fall due at once, in ladder order."""
    b = ladder(board("complaint"))
    b.change_ladder("left", "communicative", T0, CAUSE)
    assert decided(b, T0 + timedelta(days=40)) == []
    b.change_ladder("running", "valid again", T0 + timedelta(days=40), CAUSE, rejoin=True)
    assert b.ladder["state"] == "running"
    before = len(b.pending_events)
    b.decide(T0 + timedelta(days=40))
    decisions = [getattr(e, "level", None) or type(e).__name__ for e in b.pending_events[before:]]
    assert decisions[:4] == [
        "department_supervisor", "project_manager", "gm_office", "ComplaintUpgraded"
    ]  # fmt: skip
    assert b.severity == "major"


def test_a_complaint_classified_major_is_reported_to_the_project_manager_at_once_R5_4() -> None:
    b = ladder(board("complaint"))
    b.record(
        TicketClocks.Classified, T0, CAUSE, kind="complaint", validity="valid", severity="major"
    )
    b.note_major(T0 + timedelta(minutes=1), CAUSE)
    assert b.next_due() == T0 + timedelta(minutes=1)
    assert decided(b, T0 + timedelta(minutes=1)) == ["MajorReported"]
    [reported] = [e for e in b.pending_events if isinstance(e, TicketClocks.MajorReported)]
    assert (reported.reason, reported.role) == ("classified", "project_manager")
    b.note_major(T0 + timedelta(minutes=2), CAUSE)  # told once
    assert decided(b, T0 + timedelta(days=31)) == [
        "ComplaintEscalated", "ComplaintEscalated", "ComplaintEscalated"
    ]  # fmt: skip  # major already: no upgrade


def test_the_third_raising_of_a_complaint_is_flagged_toward_major_once_R5_1a() -> None:
    b = ladder(board("complaint"))
    b.note_repeat(2, T0 + timedelta(hours=1), CAUSE)
    assert decided(b, T0 + timedelta(hours=1)) == []
    b.note_repeat(3, T0 + timedelta(hours=2), CAUSE)
    assert decided(b, T0 + timedelta(hours=2)) == ["MajorSuggested"]
    [flag] = [e for e in b.pending_events if isinstance(e, TicketClocks.MajorSuggested)]
    assert (flag.raised, flag.role) == (3, "receptionist")
    assert b.severity is None  # flagged for the desk to confirm, not upgraded
    b.note_repeat(4, T0 + timedelta(hours=3), CAUSE)
    assert decided(b, T0 + timedelta(hours=3)) == []


def test_the_supervisor_step_names_the_complaints_department_R6_3_R4_12() -> None:
    b = ladder(board("complaint"))
    b.note_department("cleaning", None, T0, CAUSE)
    decided(b, T0 + timedelta(days=7))
    escalated = [e for e in b.pending_events if isinstance(e, TicketClocks.ComplaintEscalated)]
    assert [(e.role, e.department) for e in escalated] == [
        ("department_supervisor", "cleaning"),
        ("project_manager", None),
    ]


def repair_with(*departments: str | None) -> TicketClocks:
    """A repair with one order per department (None: an order noted before departments were),
    each order's collection clock and the repair's own running."""
    b = board("repair")
    for n, department in enumerate(departments, 1):
        b.record(TicketClocks.OrderNoted, T0, CAUSE, order_id=uuid4(), order_no=f"W{n}",
                 urgency="general", scope="household", appointment_start=None,
                 department=department)  # fmt: skip
        b.start_clock("order_collected_household", COLLECTED, WORK, T0, T0, CAUSE, f"W{n}")
    b.start_clock("general_fixed", FIXED, WORK, T0, T0, CAUSE)
    return b


def breaches(b: TicketClocks, at: datetime) -> dict[str, tuple[str, str | None]]:
    b.decide(at)
    return {
        e.key: (e.role, e.department)
        for e in b.pending_events
        if isinstance(e, TicketClocks.ClockBreached)
    }


COLLECTED = DEFAULT_CLOCKS[ClockName.order_collected_household]  # 2 min (R7.6)
FIXED = DEFAULT_CLOCKS[ClockName.general_fixed]  # 72 h (R7.3)


def test_a_late_order_is_told_to_its_departments_supervisors_R7_6_R7_3() -> None:
    assert breaches(repair_with("engineering"), T0 + timedelta(days=4)) == {
        "order_collected_household:W1": ("department_supervisor", "engineering"),
        "general_fixed": ("department_supervisor", "engineering"),
    }


def test_a_repair_of_two_departments_is_late_for_every_supervisor_its_orders_each_their_own() -> (
    None
):
    assert breaches(repair_with("engineering", "cleaning"), T0 + timedelta(days=4)) == {
        "order_collected_household:W1": ("department_supervisor", "engineering"),
        "order_collected_household:W2": ("department_supervisor", "cleaning"),
        "general_fixed": ("department_supervisor", None),
    }


def test_an_order_noted_before_departments_were_is_told_to_every_supervisor() -> None:
    assert breaches(repair_with(None), T0 + timedelta(days=4)) == {
        "order_collected_household:W1": ("department_supervisor", None),
        "general_fixed": ("department_supervisor", None),
    }


def test_a_complaints_late_repair_is_told_to_the_complaints_department_R6_3() -> None:
    b = repair_with("engineering")
    b.note_department("cleaning", None, T0, CAUSE)
    assert breaches(b, T0 + timedelta(days=4))["general_fixed"] == (
        "department_supervisor",
        "cleaning",
    )


def test_a_reopened_complaint_climbs_on_from_where_it_stood() -> None:
    b = ladder(board("complaint"))
    decided(b, T0 + timedelta(days=3))
    b.change_ladder("stopped", "resolved", T0 + timedelta(days=3), CAUSE)
    assert decided(b, T0 + timedelta(days=10)) == []
    b.change_ladder("running", "reopened", T0 + timedelta(days=10), CAUSE)
    assert decided(b, T0 + timedelta(days=10)) == ["ComplaintEscalated"]  # the week-1 step
    assert b.ladder["reached"] == ["department_supervisor", "project_manager"]


def test_a_site_override_changes_a_target_and_keeps_the_rest() -> None:
    sla = SlaConfig.model_validate({"clocks": {"help_reply": {"target": "PT10M"}}})
    rule = sla.clock(ClockName.help_reply)
    assert rule.target == timedelta(minutes=10)
    assert rule.warn_at == 0.8 and rule.notify == HELP.notify
    with pytest.raises(ValueError, match="in order"):
        SlaConfig.model_validate({"ladder": {"department_supervisor": "P20D"}})
