"""A site that counts office hours (08:30–17:30 on working days) across the National Day holiday
of 2026: 2026-10-01…07 off, Saturday 2026-10-10 an adjusted working day (调休)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.drill import SECOND, Drill, parse, shanghai
from tests.integration.support import Desk, report_body

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 9, 30, 10, 0)


async def test_office_hours_skip_the_national_day_holiday_and_count_the_adjusted_saturday(
    desk: Desk, drill_services
) -> None:
    """Ordinary work counts office hours: a general repair's order (R7.6) and the follow-up
    call (R11.3). Urgent work, help requests and the ladder count calendar time whatever the
    site counts (test_escalation_calendar_time.py): this test used a help request and the
    ladder before issue 13, which now no longer wait for office hours."""
    await drill_services("intake", "escalation", "reporting")  # nobody issues the order
    drill = Drill(desk, "ohs")
    await drill.set_clock(shanghai(2026, 9, 30, 17, 27))
    body = report_body("r-1", kind="repair", category="plumbing", content="厨房水龙头滴水")
    repair = await desk.command("ohs", "report", body)
    assert repair["ok"], repair
    started = await drill.started(repair["ticket_id"], "order_issued_household")
    # 5 office minutes: 3 before closing on 30 Sep, 2 after opening on 8 Oct
    assert parse(started["deadline"]) == shanghai(2026, 10, 8, 8, 32)
    assert parse(started["warn_at"]) == shanghai(2026, 10, 8, 8, 31)

    assert (
        await drill.decided_at(shanghai(2026, 10, 7, 23, 59)) == set()
    )  # the whole holiday: nothing
    key = "order_issued_household"
    assert ("clock_warned", key) in await drill.decided_at(shanghai(2026, 10, 8, 8, 31))
    assert ("clock_breached", key) not in await drill.decided_at(
        shanghai(2026, 10, 8, 8, 32) - SECOND
    )
    assert ("clock_breached", key) in await drill.decided_at(shanghai(2026, 10, 8, 8, 32))

    await drill.set_clock(shanghai(2026, 10, 9, 10, 0))  # Friday
    body = report_body("q-1", kind="inquiry", category="other", content="物业费怎么交")
    inquiry = await desk.command("ohs", "report", body)
    resolved = await desk.command(
        "ohs", "resolve",
        {"ticket_id": inquiry["ticket_id"], "resolution": "已告知", "staff_id": "S1"},
    )  # fmt: skip
    assert resolved["ok"], resolved
    follow_up = await drill.started(inquiry["ticket_id"], "follow_up")
    # 24 h = one office day of 9 h: 7.5 h on Friday 9 Oct, 1.5 h on Saturday 10 Oct (调休)
    assert parse(follow_up["deadline"]) == shanghai(2026, 10, 10, 10, 0)
    assert await drill.decided_at(shanghai(2026, 10, 10, 10, 0) - timedelta(minutes=1)) == {
        ("clock_warned", "follow_up")
    }
    assert ("clock_breached", "follow_up") in await drill.decided_at(shanghai(2026, 10, 10, 10, 0))
