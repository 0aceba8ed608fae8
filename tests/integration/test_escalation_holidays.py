"""Holidays past the calendar's last State Council notice (issue 13 item 5). The `holidays`
package (0.109) carries the notices up to 2026; for 2027 it has the statutory holidays only (New
Year's Day on Friday 1 January, estimated make-up days off, no adjusted working days 调休). A
deadline counted in office hours across 2027 is an estimate and says so, on its event, on the
desk's reply and in the log, and the log says at start which sites are affected; a site that
enters the year itself (its own days off and working days, `sla.calendar`) is counted by them.

Sites: `ohs` counts office hours 08:30–17:30 on the mainland calendar; `tech-park` (the bus's
name for it) the same hours, with 2027 entered by the site: Saturday 2 January worked, Monday
4 January off (a local holiday)."""

from __future__ import annotations

import pytest
from structlog.testing import capture_logs

from shared.kernel.sites import SiteDirectory
from tests.integration.drill import Drill, parse, shanghai
from tests.integration.support import Desk, report_body

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 12, 31, 17, 28)

HOURS = {"counting": "office_hours", "office_hours": {"opens": "08:30", "closes": "17:30"}}
SITES = SiteDirectory.model_validate(
    {
        "sites": {
            "ohs": {"sla": HOURS},
            "tech-park": {
                "sla": HOURS
                | {
                    "calendar": {
                        "years": [2027],
                        "working_days": ["2027-01-02"],
                        "days_off": ["2027-01-04"],
                    }
                }
            },
        }
    }
)


@pytest.fixture
def drill_sites() -> SiteDirectory:
    """This file's sites, for tests/integration/conftest.py's drill_services."""
    return SITES


async def report_repair(desk: Desk, site: str) -> dict:
    body = report_body(f"r-{site}", kind="repair", category="plumbing", content="厨房水龙头滴水")
    reply = await desk.command(site, "report", body)
    assert reply["ok"], reply
    return reply


async def test_a_deadline_counted_into_2027_is_an_estimate_and_says_so(
    desk: Desk, drill_services
) -> None:
    """Reported at 17:28 on 31 Dec 2026: 2 office minutes that day, then New Year's Day
    (Friday 1 Jan 2027, a statutory holiday) and the weekend are skipped: the order is due at
    08:33 on Monday 4 Jan, flagged as counted across 2027. Before: New Year's Day 2027 counted
    as a working day, silently (08:33 on 1 Jan)."""
    with capture_logs() as logs:
        await drill_services("intake", "escalation", "reporting")  # nobody issues the order
    unknown = [e for e in logs if e["event"] == "worktime.unknown_year"]
    assert {(e["site"], tuple(e["years"])) for e in unknown} >= {("ohs", (2027,))}
    assert "tech-park" not in {e["site"] for e in unknown}  # it entered 2027 itself

    drill = Drill(desk, "ohs")
    with capture_logs() as logs:
        reply = await report_repair(desk, "ohs")
        started = await drill.started(reply["ticket_id"], "order_issued_household")
    assert parse(started["deadline"]) == shanghai(2027, 1, 4, 8, 33)
    assert started["guessed_years"] == [2027]
    assert reply["deadline"]["clock"] == "general_fixed"
    assert reply["deadline"]["guessed_years"] == [2027]
    guessed = [e for e in logs if e["event"] == "worktime.guessed_deadline"]
    assert any(e["clock"] == "order_issued_household" and e["years"] == [2027] for e in guessed)


async def test_a_site_counts_the_days_it_entered_itself(desk: Desk, drill_services) -> None:
    """Saturday 2 Jan 2027 worked, Monday 4 Jan off, the year entered: due at 08:33 on
    2 Jan, and not flagged."""
    await drill_services("intake", "escalation", "reporting")
    drill = Drill(desk, "tech-park")
    reply = await report_repair(desk, "tech-park")
    started = await drill.started(reply["ticket_id"], "order_issued_household")
    assert parse(started["deadline"]) == shanghai(2027, 1, 2, 8, 33)
    assert started["guessed_years"] == []
    assert reply["deadline"]["guessed_years"] == []
    # general_fixed: 3 office days of 9 h from 17:28 on 31 Dec: 2 min, 9 h on 2 Jan, 9 h on
    # 5 Jan (4 Jan is the site's own day off), 8 h 58 min on 6 Jan
    assert parse(reply["deadline"]["due_at"]) == shanghai(2027, 1, 6, 17, 28)
