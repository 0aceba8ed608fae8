"""Whose CS assistant escalation tells: a notification to cs_assistant about a ticket names the
ticket's zone, so the assistant of the customer's zone has it (R1.3, R6.3); a ticket with no zone
(or from a schema-1 report, or a board stored before zones) names none: every CS assistant of the
site, as before. A notification to another role names no zone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.utils import get_topic
from typer.testing import CliRunner

from propdesk.cli import escalation as escalation_cli
from propdesk.cli.main import app as cli
from services.escalation.domain import TicketClocks
from shared.kernel.clock import FixedClock
from tests.support.stored import written_before
from tests.unit.test_escalation_application import T0, Feed, app_on, reported
from tests.unit.test_escalation_promises import notices

A_DAY_LATER = T0 + timedelta(days=1)


def told_after_a_day(**report) -> list[tuple[str, str, str | None]]:
    """(reason, role, zone) of each notification raised a day after a repair was reported."""
    clock = FixedClock(T0)
    app = app_on(clock)
    reported(Feed(app), **report)
    clock.set(A_DAY_LATER)
    app.tick()
    return [(n.reason, n.role.value, n.zone) for n in notices(app)]


def test_a_breach_told_to_cs_assistant_names_the_tickets_zone_R1_3_R6_3():
    """No work order issued in time (R7.6): the CS assistant of the customer's zone is told."""
    told = told_after_a_day(zone="A区", schema_version=2)
    assert told == [("clock_breached", "cs_assistant", "A区")]


def test_a_ticket_with_no_zone_tells_every_cs_assistant_R6_3():
    assert told_after_a_day(zone=None, schema_version=2) == [
        ("clock_breached", "cs_assistant", None)
    ]
    assert told_after_a_day() == [("clock_breached", "cs_assistant", None)]  # a schema-1 report


def test_a_notice_to_another_role_names_no_zone_R6_4():
    """The ladder's supervisor step is the department's, not the zone's (R6.4, R4.12); only the
    complaint's receipt, told to cs_assistant (R6.3), names the zone."""
    clock = FixedClock(T0)
    app = app_on(clock)
    reported(Feed(app), kind="complaint", category="cleaning", zone="A区", schema_version=2)
    clock.set(T0 + timedelta(days=2))
    app.tick()
    told = {(n.reason, n.role.value, n.zone) for n in notices(app)}
    assert ("complaint_escalated", "department_supervisor", None) in told
    assert {t for t in told if t[2] is not None} == {("complaint_received", "cs_assistant", "A区")}


def test_a_board_stored_before_zones_still_breaches_telling_every_cs_assistant():
    clock = FixedClock(T0)
    before = app_on(clock)
    reported(Feed(before), zone="A区", schema_version=2)
    stored = before.recorder.select_notifications(1, 1000)
    old = [written_before(e, {TicketClocks.Opened: ("zone",)}) for e in stored]
    assert not any(b"zone" in e.state for e in old if e.topic == get_topic(TicketClocks.Opened))

    clock.set(A_DAY_LATER)
    after = app_on(clock)
    after.recorder.insert_events(old)
    after.schedule.catch_up(after)
    after.tick()
    told = [(n.reason, n.role.value, n.zone) for n in notices(after)]
    assert told == [("clock_breached", "cs_assistant", None)]


def test_the_cli_lists_a_zones_notices_and_says_whose_R1_3(monkeypatch: pytest.MonkeyPatch):
    asked: list[dict[str, Any]] = []
    at = A_DAY_LATER.isoformat()
    row = {"notification_id": str(uuid4()), "role": "cs_assistant", "zone": "A区",
           "reason": "clock_breached", "ticket_no": "HBW-202611-0001",
           "clock": "order_issued_household", "level": None, "raised_at": at, "due_at": at,
           "acknowledged_at": None, "acknowledged_by": None}  # fmt: skip

    def fake_call_desk(url, subject, body, as_json):
        asked.append(body)
        return {"ok": True, "notices": [row], "next_cursor": None, "waiting": 1}

    monkeypatch.setattr(escalation_cli, "call_desk", fake_call_desk)
    runner = CliRunner(env={"COLUMNS": "200"})
    argv = ["notice", "list", "--site", "hbw", "--role", "cs_assistant"]
    result = runner.invoke(cli, [*argv, "--zone", "A区", "--zone", "B区"])
    assert result.exit_code == 0, result.output
    assert "cs_assistant (A区)" in result.output
    assert runner.invoke(cli, argv).exit_code == 0
    assert [body.get("zones") for body in asked] == [["A区", "B区"], None]
