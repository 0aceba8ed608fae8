"""How service-level time is counted: every second (calendar time), or only office hours on
working days. Working days follow mainland China's public holidays and adjusted working days (调休)
as published by the State Council, from the maintained chinese-calendar package; for a year it has
no data for yet, Monday to Friday. Nothing here reads the wall clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import chinese_calendar

MAX_DAYS = 3660  # a deadline further than ten years of office days away is a configuration error


class WorkTime(Protocol):
    def add(self, start: datetime, seconds: float) -> datetime:
        """The instant at which `seconds` of counted time have passed since `start`."""

    def elapsed(self, start: datetime, end: datetime) -> float:
        """Counted seconds between start and end (0 if end <= start)."""

    def budget(self, target: timedelta) -> float:
        """The counted seconds a target stands for."""


class CalendarTime:
    """Every second counts."""

    def add(self, start: datetime, seconds: float) -> datetime:
        return (start + timedelta(seconds=seconds)).astimezone(UTC)

    def elapsed(self, start: datetime, end: datetime) -> float:
        return max((end - start).total_seconds(), 0.0)

    def budget(self, target: timedelta) -> float:
        return target.total_seconds()


@lru_cache(maxsize=4096)
def is_working_day(day: date) -> bool:
    """A working day in mainland China: holidays off, adjusted weekend days (调休) on."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # a year the package does not know yet
        return day.weekday() < 5


class OfficeHours:
    """Only time between `opens` and `closes` (local time of `zone`) on working days counts."""

    def __init__(self, zone: ZoneInfo, opens: time, closes: time) -> None:
        if opens >= closes:
            raise ValueError("office hours must open before they close")
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
            if is_working_day(day):
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
            if is_working_day(day):
                opening, closing = self._window(day)
                overlap = min(end, closing) - max(start, opening)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total.total_seconds()
