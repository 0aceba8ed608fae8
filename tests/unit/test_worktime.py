"""Counting service-level time: calendar time, and office hours on mainland working days
(holidays and adjusted working days 调休 from the holidays package)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.kernel.sites import SiteDirectory
from shared.kernel.sla import CalendarConfig
from shared.kernel.worktime import (
    LAST_NOTICE_YEAR,
    CalendarTime,
    OfficeHours,
    WorkingDays,
    is_working_day,
    knows_year,
)

SH = ZoneInfo("Asia/Shanghai")
OFFICE = OfficeHours(SH, time(8, 30), time(17, 30))
HOUR = 3600.0


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


def test_calendar_time_counts_every_second() -> None:
    start = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    clock = CalendarTime()
    assert clock.add(start, 300) == start + timedelta(minutes=5)
    assert clock.elapsed(start, start + timedelta(days=2)) == 2 * 24 * HOUR
    assert clock.elapsed(start, start - timedelta(minutes=1)) == 0
    assert clock.budget(timedelta(days=2)) == 2 * 24 * HOUR


@pytest.mark.parametrize(
    ("start", "seconds", "due"),
    [
        (at(11, 24, 9), 2 * HOUR, at(11, 24, 11)),  # within one day
        (at(11, 24, 16, 30), 2 * HOUR, at(11, 25, 9, 30)),  # across the night
        (at(11, 27, 17), HOUR, at(11, 30, 9)),  # Friday evening → Monday
        (at(11, 24, 20), 0, at(11, 25, 8, 30)),  # after closing: counting starts at opening
        (at(11, 24, 9), 8.5 * HOUR, at(11, 24, 17, 30)),  # ends at closing, not next morning
        # National Day 2026: 1–7 October off; 2 office hours from 16:30 on 30 September
        (at(9, 30, 16, 30), 2 * HOUR, at(10, 8, 9, 30)),
        (at(10, 3, 10), 5 * 60, at(10, 8, 8, 35)),  # reported on a holiday
        # Saturday 10 October is an adjusted working day (调休), Sunday 11 is not
        (at(10, 9, 17), HOUR, at(10, 10, 9)),
        (at(10, 10, 17), HOUR, at(10, 12, 9)),
        (at(9, 18, 17), HOUR, at(9, 20, 9)),  # Fri → Sunday 20 September, a working day (调休)
        (at(9, 24, 17), HOUR, at(9, 28, 9)),  # Mid-Autumn Festival, 25 September, is off
    ],
)
def test_office_hours_count_only_office_time_on_working_days(
    start: datetime, seconds: float, due: datetime
) -> None:
    assert OFFICE.add(start, seconds) == due
    if seconds:
        assert OFFICE.elapsed(start, due) == pytest.approx(seconds)


def test_elapsed_across_the_holiday_counts_only_office_time() -> None:
    # 30 Sep 10:00–17:30 (7.5 h) + 8 Oct (9 h) + 9 Oct 08:30–10:00 (1.5 h)
    assert OFFICE.elapsed(at(9, 30, 10), at(10, 9, 10)) == 18 * HOUR


def test_whole_days_of_a_target_are_office_days() -> None:
    assert OFFICE.day_length == 9 * HOUR
    assert OFFICE.budget(timedelta(days=2)) == 18 * HOUR
    assert OFFICE.budget(timedelta(hours=72)) == 27 * HOUR
    assert OFFICE.budget(timedelta(minutes=5)) == 300


def test_a_year_without_holiday_data_falls_back_to_monday_to_friday() -> None:
    friday = datetime(2040, 1, 6, 17, 0, tzinfo=SH)
    assert friday.weekday() == 4
    assert OFFICE.add(friday, HOUR) == datetime(2040, 1, 9, 9, 0, tzinfo=SH)


def test_a_site_counting_office_hours_counts_eight_to_five_unless_it_says_otherwise_R15_13() -> (
    None
):
    sites = SiteDirectory.model_validate({"sites": {
        "hbw": {"sla": {"counting": "office_hours"}},
        "ohs": {"sla": {"counting": "office_hours",
                        "office_hours": {"opens": "08:30", "closes": "17:30"}}},
    }})  # fmt: skip
    default, own = sites.get("hbw").worktime, sites.get("ohs").worktime
    assert isinstance(default, OfficeHours) and isinstance(own, OfficeHours)
    assert (default.opens, default.closes) == (time(8, 0), time(17, 0))
    assert (own.opens, own.closes) == (time(8, 30), time(17, 30))


def test_office_hours_must_open_before_they_close() -> None:
    with pytest.raises(ValueError):
        OfficeHours(SH, time(17), time(9))
    with pytest.raises(ValueError):
        OfficeHours(SH, time(9), time(9))


def test_a_fractional_start_ending_at_closing_stays_at_closing() -> None:
    # Tue 16:52:22.274064 → closing: 37 min 37.725936 s; Wed a full office day: 9 h
    start = datetime(2026, 11, 24, 16, 52, 22, 274064, tzinfo=SH)
    counted = 37 * 60 + 37.725936 + 9 * HOUR
    assert OFFICE.elapsed(start, at(11, 25, 20)) == pytest.approx(counted)
    assert OFFICE.add(start, counted) == at(11, 25, 17, 30)  # not Thursday's opening


def test_deadlines_are_in_utc() -> None:
    due = OFFICE.add(at(11, 24, 9), HOUR)
    assert due.tzinfo is UTC
    assert due == datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


# The State Council's notice for 2026 (国务院办公厅关于2026年部分节假日安排的通知, 4 Nov 2025):
# days off (放假调休) and the weekend days worked (上班).
NOTICE_2026_OFF = [
    (1, 1, 1, 3), (2, 15, 2, 23), (4, 4, 4, 6), (5, 1, 5, 5), (6, 19, 6, 21), (9, 25, 9, 27),
    (10, 1, 10, 7),
]  # fmt: skip
NOTICE_2026_WORKED = [(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)]


def test_2026_follows_the_state_council_notice_day_by_day() -> None:
    off = {
        date(2026, m1, d1) + timedelta(days=n)
        for m1, d1, m2, d2 in NOTICE_2026_OFF
        for n in range((date(2026, m2, d2) - date(2026, m1, d1)).days + 1)
    }
    worked = {date(2026, m, d) for m, d in NOTICE_2026_WORKED}
    day = date(2026, 1, 1)
    while day.year == 2026:
        expected = day in worked or (day.weekday() < 5 and day not in off)
        assert is_working_day(day) is expected, day
        day += timedelta(days=1)
    assert knows_year(2026)


def test_a_year_without_a_notice_is_not_known_and_keeps_its_statutory_holidays() -> None:
    """holidays 0.109 has no notice for 2027 (no adjusted working days): 2027 is not known, and
    its statutory holidays are still off (before: Monday to Friday, New Year's Day worked)."""
    assert LAST_NOTICE_YEAR == 2026
    assert not knows_year(2027)
    assert not is_working_day(date(2027, 1, 1))  # New Year's Day, a Friday
    assert not is_working_day(date(2027, 10, 1))  # National Day, a Friday
    assert is_working_day(date(2027, 1, 4))


def test_a_deadline_counted_across_an_unknown_year_names_it() -> None:
    start = at(12, 31, 17, 28)
    due = OFFICE.add(start, 5 * 60)
    assert due == at(1, 4, 8, 33, year=2027)
    assert OFFICE.guessed_years(start, due) == (2027,)
    assert OFFICE.guessed_years(at(11, 24, 9), at(11, 25, 9)) == ()
    assert CalendarTime().guessed_years(start, start + timedelta(days=400)) == ()


def test_a_site_adds_its_own_days_off_and_working_days_and_may_enter_a_year() -> None:
    days = WorkingDays(days_off=[date(2027, 1, 4)], working_days=[date(2027, 1, 2)], years=[2027])
    own = OfficeHours(SH, time(8, 30), time(17, 30), days)
    start = at(12, 31, 17, 28)
    assert own.add(start, 5 * 60) == at(1, 2, 8, 33, year=2027)  # Saturday worked
    assert own.add(at(1, 2, 17, 0, year=2027), HOUR) == at(1, 5, 9, 0, year=2027)  # 4 Jan off
    assert own.guessed_years(start, at(1, 5, 9, year=2027)) == ()


def test_a_site_calendar_cannot_have_a_day_both_off_and_worked() -> None:
    with pytest.raises(ValueError, match="both off and worked"):
        CalendarConfig(days_off=(date(2027, 1, 4),), working_days=(date(2027, 1, 4),))
