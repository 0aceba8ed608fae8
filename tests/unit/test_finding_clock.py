"""An inspection finding's week on its board: extended later only while it runs (R13.16, C12),
and a staff finding referred to its department's supervisor once (R13.15b)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.escalation.application import EscalationApp
from services.escalation.application.schedule import Schedule
from services.escalation.domain import ClockError, TicketClocks
from shared.contracts.escalation_commands import ExtendClock
from shared.contracts.replies import ErrorCode
from shared.eventstore.desk_app import CommandContext
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteDirectory
from shared.kernel.sla import DEFAULT_CLOCKS
from shared.kernel.vocabulary import ClockName
from shared.messaging.errors import DeskError
from tests.unit.test_escalation_application import T0 as app_T0
from tests.unit.test_escalation_application import TICKET, Feed, reported
from tests.unit.test_escalation_board import CAUSE, T0, WORK, board, decided

WEEK = DEFAULT_CLOCKS[ClockName.finding_resolved]  # 7 calendar days, told to the manager
KEY = "finding_resolved"


def finding() -> TicketClocks:
    b = board("suggestion")
    b.start_clock(KEY, WEEK, WORK, T0, T0, CAUSE, counting="calendar")
    return b


def test_a_findings_week_is_seven_days_and_breaches_to_the_manager_R13_16() -> None:
    b = finding()
    assert b.clocks[KEY]["deadline"] == T0 + timedelta(days=7)
    assert b.clocks[KEY]["notify"] == "project_manager"


def test_an_extension_moves_the_deadline_and_the_warning_and_breaches_later_C12() -> None:
    b = finding()
    later = T0 + timedelta(days=10)
    b.extend_clock(KEY, later, T0 + timedelta(days=1), CAUSE, WORK, "外包合同更换")
    clock = b.clocks[KEY]
    assert (clock["deadline"], clock["budget"]) == (later, timedelta(days=10).total_seconds())
    assert clock["warn_due"] == T0 + timedelta(days=8)  # 80 % of the ten days
    assert decided(b, T0 + timedelta(days=7)) == []
    assert decided(b, later) == ["ClockWarned", "ClockBreached"]


@pytest.mark.parametrize(
    ("until", "at", "says"),
    [
        (T0 + timedelta(days=6), T0, "later than the deadline"),  # earlier: refused
        (T0 + timedelta(days=9), T0 + timedelta(days=7), "has passed"),  # too late
    ],
)
def test_an_extension_that_is_not_later_or_comes_too_late_is_refused(until, at, says) -> None:
    b = finding()
    before = len(b.pending_events)
    with pytest.raises(ClockError, match=says):
        b.extend_clock(KEY, until, at, CAUSE, WORK, "x")
    assert len(b.pending_events) == before


def test_a_stopped_clock_is_not_extended() -> None:
    b = finding()
    b.stop_clock(KEY, T0 + timedelta(days=1), CAUSE, WORK)
    with pytest.raises(ClockError, match="not running"):
        b.extend_clock(KEY, T0 + timedelta(days=9), T0 + timedelta(days=2), CAUSE, WORK, "x")


def test_a_staff_finding_is_referred_to_its_supervisor_once_R13_15b() -> None:
    b = finding()
    b.note_finding("cleaning", "C07", T0, CAUSE)
    b.note_finding("cleaning", "C07", T0, CAUSE)  # the round's event again: nothing new
    assert b.next_due() == T0
    assert decided(b, T0) == ["FindingReferred"]
    [referred] = [e for e in b.pending_events if isinstance(e, TicketClocks.FindingReferred)]
    assert (referred.role, referred.department) == ("department_supervisor", "cleaning")
    assert decided(b, T0 + timedelta(days=1)) == []


def staffed(clock: FixedClock, approvers: list[str]) -> EscalationApp:
    """Escalation at a site that lists its staff and names who extends a finding's week."""
    staff = {"SUP": {"role": "department_supervisor"}, "M01": {"role": "project_manager"}}
    sites = {"hbw": {"staff": staff, "inspection": {"extension_approvers": approvers}}}
    return EscalationApp(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock,
        SiteDirectory.model_validate({"sites": sites}), schedule=Schedule(":memory:"),
    )  # fmt: skip


def extend(app: EscalationApp, staff: str) -> dict:
    until = (app_T0 + timedelta(days=9)).isoformat()
    cmd = ExtendClock.model_validate(
        {"staff_id": staff, "ticket_id": str(TICKET), "until": until, "reason": "特殊情况"}
    )
    return app.execute(CommandContext("hbw", "corr-9"), cmd)


@pytest.mark.parametrize(
    ("approvers", "allowed", "refused"),
    [(["project_manager"], "M01", "SUP"), (["department_supervisor"], "SUP", "M01")],
)
def test_the_site_names_who_extends_a_findings_week_and_refuses_the_rest_C12(
    approvers: list[str], allowed: str, refused: str
) -> None:
    app = staffed(FixedClock(app_T0), approvers)
    reported(Feed(app), channel="inspection", kind="suggestion", category="cleaning", unit=None)
    before = app.recorder.max_notification_id()
    with pytest.raises(DeskError) as error:
        extend(app, refused)
    assert error.value.code is ErrorCode.forbidden and approvers[0] in error.value.message
    assert app.recorder.max_notification_id() == before
    assert extend(app, allowed)["clocks"] == [KEY]
