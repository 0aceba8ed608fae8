"""Urgent work, help requests and the complaint ladder do not wait for office hours (issue 13
items 1 and 2): at a site that counts office hours (08:30–17:30 on working days) for ordinary
work, an urgent repair (R7.3), a help request (R10.2) — what the hotline and emergencies are for
(R2.3, R15.14) — and the complaint ladder with its upgrade to major (R6.4–R6.7, R5.1c) count
calendar time. 30 September 2026 is the eve of the National Day holiday (1–7 October)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.drill import SECOND, Drill, parse, shanghai
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 9, 30, 17, 30)


async def test_a_lift_entrapment_at_an_office_hours_site_is_due_on_site_two_hours_later_R7_3(
    desk: Desk, drill_services
) -> None:
    """Reported at 17:30 on 30 Sep (closing time): on site by 19:30 the same evening and fixed
    by 17:30 on 1 Oct, not on 8 Oct after the holiday (R7.3, R15.14)."""
    await drill_services()
    drill = Drill(desk, "ohs")
    body = report_body("r-lift", kind="repair", category="elevator", content="电梯困人了")
    reply = await desk.command("ohs", "report", body)
    assert reply["ok"], reply
    assert reply["deadline"]["clock"] == "urgent_fixed"
    assert parse(reply["deadline"]["due_at"]) == shanghai(2026, 10, 1, 17, 30)
    ticket = reply["ticket_id"]

    on_site = await drill.started(ticket, "urgent_on_site")
    fixed = await drill.started(ticket, "urgent_fixed")
    assert parse(on_site["deadline"]) == shanghai(2026, 9, 30, 19, 30)
    assert parse(on_site["warn_at"]) == shanghai(2026, 9, 30, 19, 6)
    assert parse(fixed["deadline"]) == shanghai(2026, 10, 1, 17, 30)
    assert on_site["target_seconds"] == 2 * 3600

    # the order of an urgent repair is collected within 5 minutes, also after closing (R7.12)
    collected = [
        e["data"]
        for e in await drill.events("escalation.clock_started", ticket)
        if e["data"]["clock"] == "order_collected_public"
    ]
    assert [parse(c["deadline"]) for c in collected] == [shanghai(2026, 9, 30, 17, 35)]

    assert ("clock_breached", "urgent_on_site") not in await drill.decided_at(
        shanghai(2026, 9, 30, 19, 30) - SECOND
    )
    assert ("clock_breached", "urgent_on_site") in await drill.decided_at(
        shanghai(2026, 9, 30, 19, 30)
    )
    assert ("clock_breached", "urgent_fixed") in await drill.decided_at(
        shanghai(2026, 10, 1, 17, 30)
    )


async def test_a_help_request_after_closing_is_answered_within_five_minutes_R10_2_R2_3(
    desk: Desk, drill_services
) -> None:
    """A category-A help request (a medical emergency) at 17:31 is due a reply at 17:36, not
    on 8 Oct."""
    await drill_services()
    drill = Drill(desk, "ohs")
    await drill.set_clock(shanghai(2026, 9, 30, 17, 31))
    body = report_body("h-1", kind="help", help_category="A", category=None, content="老人晕倒")
    reply = await desk.command("ohs", "report", body)
    assert reply["ok"], reply
    assert parse(reply["deadline"]["due_at"]) == shanghai(2026, 9, 30, 17, 36)

    started = await drill.started(reply["ticket_id"], "help_reply")
    assert parse(started["deadline"]) == shanghai(2026, 9, 30, 17, 36)
    assert ("clock_breached", "help_reply") in await drill.decided_at(shanghai(2026, 9, 30, 17, 36))


async def test_the_complaint_ladder_counts_calendar_days_at_an_office_hours_site_R6_4_R5_1c(
    desk: Desk, drill_services
) -> None:
    """2 days, 1 week, 2 weeks and one month from receipt, holiday or not (R6.4–R6.7, R5.1c)."""
    await drill_services()
    drill = Drill(desk, "ohs")
    reply = await desk.command("ohs", "report", report_body("c-1"))
    assert reply["ok"], reply
    assert parse(reply["deadline"]["due_at"]) == shanghai(2026, 10, 2, 17, 30)
    [ladder] = await eventually(
        lambda: drill.events("escalation.ladder_started", reply["ticket_id"])
    )
    steps = {level: parse(due) for level, due in ladder["data"]["steps"].items()}
    assert steps == {
        "department_supervisor": shanghai(2026, 10, 2, 17, 30),
        "project_manager": shanghai(2026, 10, 7, 17, 30),
        "gm_office": shanghai(2026, 10, 14, 17, 30),
    }
    assert parse(ladder["data"]["upgrade_at"]) == shanghai(2026, 10, 30, 17, 30)

    decided = await drill.decided_at(shanghai(2026, 10, 2, 17, 30))  # in the holiday
    assert ("complaint_escalated", "department_supervisor") in decided
    assert ("complaint_escalated", "project_manager") in await drill.decided_at(
        shanghai(2026, 10, 7, 17, 30)
    )
    assert ("complaint_upgraded", "major") not in await drill.decided_at(
        shanghai(2026, 10, 30, 17, 30) - timedelta(minutes=1)
    )
    assert ("complaint_upgraded", "major") in await drill.decided_at(shanghai(2026, 10, 30, 17, 30))
