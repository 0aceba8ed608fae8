"""Counting service-level time: calendar time, and office hours on mainland working days
(holidays and adjusted working days 调休 from chinese-calendar)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.kernel.worktime import CalendarTime, OfficeHours

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
