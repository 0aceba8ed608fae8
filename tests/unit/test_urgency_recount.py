"""A work order's own clocks after a supervisor overrides its urgency (R7.1): each counts as work
of the new urgency counts — calendar time for urgent work, as the site counts for general work —
again from its start, its pauses still not counting: the deadline the procedures give an order of
that urgency (R7.6, R7.7). A site counting office hours, 08:30–17:30; Friday 27 November 2026,
then Monday 30 November."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

from services.escalation.domain import SYSTEM, Cause, TicketClocks
from services.escalation.domain.clock_run import Run
from shared.kernel.sites import SiteConfig
from shared.kernel.sla import DEFAULT_CLOCKS, Counting
from shared.kernel.vocabulary import ClockName

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAUSE = Cause(SYSTEM, "corr-1", None)
OFFICE = SiteConfig.model_validate(
    {"sla": {"counting": "office_hours", "office_hours": {"opens": "08:30", "closes": "17:30"}}}
)
WORK = OFFICE.worktime
COLLECTED = ClockName.order_collected_household  # 2 min (R7.6)
ON_SITE = ClockName.on_site_household  # 15 min (R7.7)
COLLECT_KEY, ON_SITE_KEY = "order_collected_household:W1", "on_site_household:W1"


def friday(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 27, hour, minute, tzinfo=SHANGHAI)


def monday(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 30, hour, minute, tzinfo=SHANGHAI)


def started(clock: ClockName, counting: Counting, at: datetime,
            due_by: datetime | None = None) -> TicketClocks:  # fmt: skip
    """A board with work order W1's `clock` counting `counting` from `at`."""
    b = TicketClocks.open(
        site="ohs", ticket_id=uuid4(), ticket_no="OHS-202611-0001", kind="repair",
        received_at=friday(17, 0), at=friday(17, 0), correlation_id="corr-1", causation_id=None,
    )  # fmt: skip
    b.start_clock(clock.value, DEFAULT_CLOCKS[clock], WORK, at, at, CAUSE, "W1", counting, due_by)
    return b


def recounted(b: TicketClocks, clock: ClockName, counting: Counting, at: datetime) -> Run:
    """W1's `clock` counted `counting` from `at` on, as the board's events rebuild it (a store
    keeps the events, not the state)."""
    key = f"{clock.value}:W1"
    b.recount_clock(key, DEFAULT_CLOCKS[clock], counting, at, CAUSE, WORK)
    copy = None
    for event in b.pending_events:
        copy = event.mutate(copy)
    assert isinstance(copy, TicketClocks)
    return copy.clocks[key]


def test_an_order_made_urgent_is_due_two_minutes_after_its_issue_not_on_monday_R7_1_R7_6() -> None:
    b = started(COLLECTED, "site", friday(17, 29))
    # issued general a minute before closing: one office minute Friday, one Monday
    assert b.clocks[COLLECT_KEY]["deadline"] == monday(8, 31)

    clock = recounted(b, COLLECTED, "calendar", friday(17, 35))

    assert (clock["counting"], clock["state"], clock["run"]) == ("calendar", "running", 1)
    assert clock["deadline"] == friday(17, 31)  # two minutes from its issue, in calendar time
    assert b.next_due() == friday(17, 30) + timedelta(seconds=36)  # its warning: 80 %
    before = len(b.pending_events)
    b.decide(friday(17, 35))
    assert [type(e).__name__ for e in b.pending_events[before:]] == [
        "ClockWarned", "ClockBreached",
    ]  # fmt: skip


def test_an_order_made_general_no_longer_counts_the_night_R7_1_R7_7() -> None:
    b = started(ON_SITE, "calendar", friday(17, 41))
    assert b.clocks[ON_SITE_KEY]["deadline"] == friday(17, 56)

    clock = recounted(b, ON_SITE, "site", friday(17, 45))

    assert clock["counting"] == "site"
    assert clock["deadline"] == monday(8, 45)  # after closing nothing counted: 15 office minutes
    assert clock["warn_due"] == monday(8, 42)


def test_a_paused_clock_stays_paused_and_is_counted_again_from_its_start_R7_14() -> None:
    b = started(ON_SITE, "calendar", friday(17, 25))
    b.pause_clock(ON_SITE_KEY, friday(17, 35), CAUSE, WORK, "customer_consent", "quote given")
    assert b.clocks[ON_SITE_KEY]["counted"] == 600  # ten calendar minutes

    clock = recounted(b, ON_SITE, "site", friday(18, 0))
    assert (clock["state"], clock["deadline"], clock["counted"]) == ("paused", None, 300)

    b.resume_clock(ON_SITE_KEY, monday(9, 0), CAUSE, WORK)
    # five office minutes before closing counted, ten left after the consent
    assert b.clocks[ON_SITE_KEY]["deadline"] == monday(9, 10)


def test_an_appointment_window_is_still_the_earliest_it_is_due_by_R7_15() -> None:
    b = started(ON_SITE, "site", friday(9, 0), due_by=friday(11, 0))  # a visit booked 09:00–11:00
    clock = recounted(b, ON_SITE, "calendar", friday(10, 0))
    assert clock["deadline"] == friday(11, 0)  # not 09:15, 15 minutes from the window's start


def test_a_clock_that_counts_so_already_or_has_stopped_records_nothing() -> None:
    b = started(ON_SITE, "site", friday(10, 0))
    count = len(b.pending_events)
    b.recount_clock(ON_SITE_KEY, DEFAULT_CLOCKS[ON_SITE], "site", friday(10, 5), CAUSE, WORK)
    b.stop_clock(ON_SITE_KEY, friday(10, 6), CAUSE, WORK)
    b.recount_clock(ON_SITE_KEY, DEFAULT_CLOCKS[ON_SITE], "calendar", friday(10, 7), CAUSE, WORK)
    assert [type(e).__name__ for e in b.pending_events[count:]] == ["ClockStopped"]
