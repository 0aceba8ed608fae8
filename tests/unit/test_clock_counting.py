"""How each clock counts its time (issue 13 items 1 and 2): the rule says it as data, a run
records it, and the ladder counts calendar time from receipt at any site."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from services.escalation.domain import SYSTEM, Cause, TicketClocks
from shared.kernel.sites import SiteConfig
from shared.kernel.sla import DEFAULT_CLOCKS, LADDER_COUNTS
from shared.kernel.vocabulary import ClockName, Kind, Level

SHANGHAI = ZoneInfo("Asia/Shanghai")
EVE = datetime(2026, 9, 30, 17, 30, tzinfo=SHANGHAI)  # closing time before National Day
CAUSE = Cause(SYSTEM, "corr-1", None)
OFFICE = SiteConfig.model_validate(
    {"sla": {"counting": "office_hours", "office_hours": {"opens": "08:30", "closes": "17:30"}}}
)


@pytest.mark.parametrize(
    ("clock", "urgent", "counting"),
    [
        (ClockName.help_reply, False, "calendar"),  # R10.2, R2.3
        (ClockName.urgent_on_site, True, "calendar"),  # R7.3, R15.14
        (ClockName.urgent_fixed, True, "calendar"),
        (ClockName.on_site_household, True, "calendar"),  # an urgent order's steps
        (ClockName.on_site_household, False, "site"),
        (ClockName.order_issued_public, True, "calendar"),
        (ClockName.order_issued_public, False, "site"),
        (ClockName.general_fixed, False, "site"),
        (ClockName.follow_up, False, "site"),
    ],
)
def test_each_clock_rule_says_how_it_counts(clock: ClockName, urgent: bool, counting: str) -> None:
    assert DEFAULT_CLOCKS[clock].counting(urgent=urgent) == counting


def test_the_ladder_counts_calendar_time() -> None:
    assert LADDER_COUNTS == "calendar"


def test_a_calendar_run_at_an_office_hours_site_counts_every_second_R7_3() -> None:
    b = TicketClocks.open(
        site="ohs", ticket_id=uuid4(), ticket_no="OHS-202609-0001", kind="repair",
        received_at=EVE, at=EVE, correlation_id="corr-1", causation_id=None,
    )  # fmt: skip
    rule = DEFAULT_CLOCKS[ClockName.urgent_on_site]
    b.start_clock("urgent_on_site", rule, OFFICE.worktime, EVE, EVE, CAUSE, counting="calendar")
    assert b.clocks["urgent_on_site"]["deadline"] == EVE + timedelta(hours=2)
    # paused and resumed in the evening: the evening counts
    b.pause_clock("urgent_on_site", EVE + timedelta(hours=1), CAUSE, OFFICE.worktime, "access")
    assert b.clocks["urgent_on_site"]["counted"] == 3600
    b.resume_clock("urgent_on_site", EVE + timedelta(hours=3), CAUSE, OFFICE.worktime)
    assert b.clocks["urgent_on_site"]["deadline"] == EVE + timedelta(hours=4)
    b.stop_clock("urgent_on_site", EVE + timedelta(hours=5), CAUSE, OFFICE.worktime)
    assert b.clocks["urgent_on_site"]["outcome"] == "late"

    # a run as the site counts (and one stored before runs recorded it) waits for office hours
    b.start_clock("general_fixed", DEFAULT_CLOCKS[ClockName.general_fixed], OFFICE.worktime,
                  EVE, EVE, CAUSE)  # fmt: skip
    assert b.clocks["general_fixed"]["counting"] == "site"
    assert b.clocks["general_fixed"]["deadline"] > EVE + timedelta(days=7)


def test_the_promise_for_urgent_work_and_the_ladder_is_calendar_time_at_office_hours_sites() -> (
    None
):
    def promised(kind: Kind, category: str | None, content: str) -> dict[str, datetime]:
        return {p.clock: p.due_at for p in OFFICE.promises(kind, "phone", category, content, EVE)}

    urgent = promised(Kind.repair, "elevator", "电梯困人")
    assert urgent == {
        "urgent_on_site": EVE + timedelta(hours=2),
        "urgent_fixed": EVE + timedelta(hours=24),
    }  # R7.3 in calendar time, though the site counts office hours
    assert promised(Kind.help, None, "老人晕倒") == {"help_reply": EVE + timedelta(minutes=5)}
    assert promised(Kind.complaint, "noise", "楼上装修噪音太大") == {
        "complaint_reply": EVE + timedelta(days=2)
    }  # R6.4: the ladder's first step, calendar time
    general = promised(Kind.repair, "plumbing", "厨房水龙头滴水")["general_fixed"]
    assert general > EVE + timedelta(days=8)  # after the holiday
    sla = OFFICE.sla
    assert sla.ladder_due(EVE, Level.project_manager) == EVE + timedelta(weeks=1)
    assert sla.upgrade_due(EVE) == EVE + timedelta(days=30)
