"""Injectable time. Nothing in PropDesk reads the wall clock except `SystemClock`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(tz=UTC)


class FixedClock:
    """A clock that moves only when told to (tests, drills)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        if delta < timedelta(0):
            raise ValueError("time never goes backwards")
        self._now += delta

    def set(self, when: datetime) -> None:
        self.advance(when.astimezone(UTC) - self._now)


class SimulatedClock(FixedClock):
    """`propdesk up --clock simulated`: starts at a given time and moves only when a drill sets it
    (desk.sim.clock.set), so a month of deadlines can be exercised in seconds."""

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("the time needs an offset (ISO 8601, e.g. 2026-10-01T09:00+08:00)")
        if when.astimezone(UTC) < self._now:
            raise ValueError(f"time never goes backwards: the clock reads {self._now.isoformat()}")
        super().set(when)
