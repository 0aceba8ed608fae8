"""A site that counts office hours (08:30–17:30 on working days) across the National Day holiday
of 2026: 2026-10-01…07 off, Saturday 2026-10-10 an adjusted working day (调休)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.kernel.clock import SimulatedClock
from tests.integration.drill import SECOND, Drill, parse
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def sim_clock() -> SimulatedClock:
    return SimulatedClock(local(9, 30, 10, 0))


async def test_office_hours_skip_the_national_day_holiday_and_count_the_adjusted_saturday(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk, "ohs")
    complaint = await desk.command("ohs", "report", report_body("c-1"))
    assert complaint["ok"], complaint
    [ladder] = await eventually(
        lambda: drill.events("escalation.ladder_started", complaint["ticket_id"])
    )
    steps = {level: parse(due) for level, due in ladder["data"]["steps"].items()}
    # 2 office days = 18 office hours: 7.5 h on 30 Sep, 9 h on 8 Oct, 1.5 h on 9 Oct
    assert steps["department_supervisor"] == local(10, 9, 10, 0)
    # 7 office days = 63 h: 30 Sep, 8, 9, 10 (Saturday, 调休), 12, 13, 14 Oct, then 1.5 h
    assert steps["project_manager"] == local(10, 15, 10, 0)

    await drill.set_clock(local(9, 30, 17, 27))
    body = report_body("h-1", kind="help", help_category="G", category=None, content="门禁卡失灵")
    help_request = await desk.command("ohs", "report", body)
    started = await drill.started(help_request["ticket_id"], "help_reply")
    # 5 office minutes: 3 before closing on 30 Sep, 2 after opening on 8 Oct
    assert parse(started["deadline"]) == local(10, 8, 8, 32)
    assert parse(started["warn_at"]) == local(10, 8, 8, 31)

    assert await drill.decided_at(local(10, 7, 23, 59)) == set()  # the whole holiday: nothing
    assert ("clock_warned", "help_reply") in await drill.decided_at(local(10, 8, 8, 31))
    assert ("clock_breached", "help_reply") not in await drill.decided_at(
        local(10, 8, 8, 32) - SECOND
    )
    assert ("clock_breached", "help_reply") in await drill.decided_at(local(10, 8, 8, 32))
    supervisor = await drill.decided_at(local(10, 9, 10, 0))
    assert ("complaint_escalated", "department_supervisor") in supervisor
    assert await drill.decided_at(local(10, 15, 10, 0) - timedelta(minutes=1)) == set()
    assert ("complaint_escalated", "project_manager") in await drill.decided_at(
        local(10, 15, 10, 0)
    )
