"""How service-level time is counted: every second (calendar time), or only office hours on
working days. Working days follow mainland China's public holidays and adjusted working days (调休)
as published by the State Council each year, from the maintained `holidays` package
(holidays.China), and a site's own days off and working days. Nothing here reads the wall clock.

A year is **known** when the package carries the State Council's notice for it (the years of its
adjusted days, `NOTICE_YEARS`) or the site has entered the year itself. For any other year the
package has only the statutory holidays (with its estimated make-up days off) and no adjusted
working days: office time in such a year is counted from that estimate, and every deadline that
counts across it says so (`guessed_years`), never silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays
from holidays.countries.china import ChinaStaticHolidays

MAX_DAYS = 3660  # a deadline further than ten years of office days away is a configuration error

# The years of the State Council's notices in the package (2001 onwards, as the package checks
# them): the last is the latest year whose holidays and adjusted working days are published.
FIRST_NOTICE_YEAR = 2001
LAST_NOTICE_YEAR = max(ChinaStaticHolidays.special_public_holidays)
NOTICE_YEARS = range(FIRST_NOTICE_YEAR, LAST_NOTICE_YEAR + 1)

# loaded once for the years a deadline can reach (the object would otherwise add a year the first
# time it is asked about it, from whichever thread asks)
_CHINA = holidays.China(years=range(FIRST_NOTICE_YEAR, LAST_NOTICE_YEAR + 25))


class WorkTime(Protocol):
    def add(self, start: datetime, seconds: float) -> datetime:
        """The instant at which `seconds` of counted time have passed since `start`."""

    def elapsed(self, start: datetime, end: datetime) -> float:
        """Counted seconds between start and end (0 if end <= start)."""

    def budget(self, target: timedelta) -> float:
        """The counted seconds a target stands for."""

    def guessed_years(self, start: datetime, end: datetime) -> tuple[int, ...]:
        """Years between start and end whose working days are not known (see the module)."""


class CalendarTime:
    """Every second counts."""

    def add(self, start: datetime, seconds: float) -> datetime:
        return (start + timedelta(seconds=seconds)).astimezone(UTC)

    def elapsed(self, start: datetime, end: datetime) -> float:
        return max((end - start).total_seconds(), 0.0)

    def budget(self, target: timedelta) -> float:
        return target.total_seconds()

    def guessed_years(self, start: datetime, end: datetime) -> tuple[int, ...]:
        return ()  # no day is skipped: no calendar to guess


@lru_cache(maxsize=4096)
def is_working_day(day: date) -> bool:
    """A working day in mainland China: holidays off, adjusted weekend days (调休) on. For a year
    with no notice (`NOTICE_YEARS`): the statutory holidays as the package estimates them."""
    if day in _CHINA.weekend_workdays:
        return True
    return day.weekday() < 5 and day not in _CHINA


def knows_year(year: int) -> bool:
    """Whether the State Council's notice for `year` is in the calendar."""
    return year in NOTICE_YEARS


class WorkingDays:
    """The mainland calendar with a site's own days off and working days (the site directory's
    `sla.calendar`); `years`: years the site has entered in full (a notice the package has not
    caught up with), which count as known."""

    def __init__(self, days_off: Iterable[date] = (), working_days: Iterable[date] = (),
                 years: Iterable[int] = ()) -> None:  # fmt: skip
        self.days_off = frozenset(days_off)
        self.working_days = frozenset(working_days)
        self.years = frozenset(years)

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        if day in self.days_off:
            return False
        return is_working_day(day)

    def knows(self, year: int) -> bool:
        return year in self.years or knows_year(year)


NATIONAL = WorkingDays()


class OfficeHours:
    """Only time between `opens` and `closes` (local time of `zone`) on working days counts."""

    def __init__(self, zone: ZoneInfo, opens: time, closes: time,
                 days: WorkingDays = NATIONAL) -> None:  # fmt: skip
        if opens >= closes:
            raise ValueError("office hours must open before they close")
        self.days = days
        self.zone = zone
        self.opens = opens
        self.closes = closes
        today = date(2000, 1, 1)
        self.day_length = (
            datetime.combine(today, closes) - datetime.combine(today, opens)
        ).total_seconds()

    def budget(self, target: timedelta) -> float:
        """Whole days of a target are office days; the rest is office time."""
        return (
            target.days * self.day_length + (target - timedelta(days=target.days)).total_seconds()
        )

    def _window(self, day: date) -> tuple[datetime, datetime]:
        return (
            datetime.combine(day, self.opens, tzinfo=self.zone).astimezone(UTC),
            datetime.combine(day, self.closes, tzinfo=self.zone).astimezone(UTC),
        )

    def add(self, start: datetime, seconds: float) -> datetime:
        # Exact arithmetic on timedeltas (whole microseconds): with float seconds, a budget that
        # ends exactly at closing could come out a hair over and jump to the next opening.
        cursor = start.astimezone(UTC)
        day = cursor.astimezone(self.zone).date()
        remaining = max(timedelta(seconds=seconds), timedelta(0))
        for _ in range(MAX_DAYS):
            if self.days.is_working_day(day):
                opening, closing = self._window(day)
                begin = max(cursor, opening)
                if begin < closing:
                    available = closing - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
            day += timedelta(days=1)
        raise ValueError(f"no deadline within {MAX_DAYS} days of {start.isoformat()}")

    def elapsed(self, start: datetime, end: datetime) -> float:
        if end <= start:
            return 0.0
        total = timedelta(0)
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        while day <= last:
            if self.days.is_working_day(day):
                opening, closing = self._window(day)
                overlap = min(end, closing) - max(start, opening)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total.total_seconds()

    def guessed_years(self, start: datetime, end: datetime) -> tuple[int, ...]:
        first = start.astimezone(self.zone).year
        last = max(end, start).astimezone(self.zone).year
        return tuple(y for y in range(first, last + 1) if not self.days.knows(y))
