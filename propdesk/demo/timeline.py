"""Simulated time for the demo's stories: local times of the site, the service office's hours,
and the `Timeline` that releases stories waiting for a time in time order."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
from collections.abc import Coroutine
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.kernel.worktime import is_working_day

ZONE = ZoneInfo("Asia/Shanghai")


def local(day: date, hour: float) -> datetime:
    minutes = round(hour * 60)
    return datetime.combine(day, time(minutes // 60, minutes % 60), ZONE)


def grid(when: datetime, step: int = 5) -> datetime:
    """Up to the next `step` minutes (non-urgent steps share clock moves)."""
    when = when.astimezone(ZONE).replace(second=0, microsecond=0)
    extra = (-when.minute) % step
    return when + timedelta(minutes=extra)


def office(when: datetime, rng: random.Random, *, workdays: bool = False) -> datetime:
    """`when`, or the next opening of the service office (08:30–18:00, on working days when
    `workdays`) with a few minutes of its own."""
    when = when.astimezone(ZONE)
    day = when.date()
    if when.time() >= time(18, 0):
        day += timedelta(days=1)
    elif when.time() >= time(8, 30) and (not workdays or is_working_day(day)):
        return when
    while workdays and not is_working_day(day):
        day += timedelta(days=1)
    opening = local(day, 8.5) + timedelta(minutes=rng.randint(0, 75))
    return max(opening, when)


def month_days(month: str) -> list[date]:
    year, mon = (int(x) for x in month.split("-"))
    first = date(year, mon, 1)
    nxt = date(year + mon // 12, mon % 12 + 1, 1)
    return [first + timedelta(days=i) for i in range((nxt - first).days)]


# -- the timeline ----------------------------------------------------------------------------------


class Timeline:
    """Stories wait for simulated times; the driver releases them in time order."""

    def __init__(self, start: datetime) -> None:
        self.now = start
        self._heap: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._active = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.failure: BaseException | None = None
        self.closed = False

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        if self.closed:
            coro.close()
            return
        self._enter()
        task = asyncio.create_task(self._run(coro))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, coro: Coroutine[Any, Any, None]) -> None:
        try:
            await coro
        except asyncio.CancelledError:
            pass
        except Exception as exc:
            if self.failure is None:
                self.failure = exc
        finally:
            self._leave()

    async def until(self, when: datetime) -> None:
        """Wait until the driver has moved the clock to `when` (or now, if that is later)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._heap, (max(when, self.now), next(self._seq), future))
        self._leave()
        try:
            await future
        except asyncio.CancelledError:
            self._enter()  # balanced by _run's finally
            raise

    def next_time(self) -> datetime | None:
        return self._heap[0][0] if self._heap else None

    def release(self, when: datetime) -> None:
        self.now = when
        while self._heap and self._heap[0][0] <= when:
            _, _, future = heapq.heappop(self._heap)
            if not future.done():
                self._enter()
                future.set_result(None)

    async def settle(self) -> None:
        """Until every story waits for a later time, or has ended."""
        await self._idle.wait()
        if self.failure is not None:
            raise self.failure

    def waiting(self) -> int:
        return len(self._heap)

    async def close(self) -> None:
        self.closed = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _enter(self) -> None:
        self._active += 1
        self._idle.clear()

    def _leave(self) -> None:
        self._active -= 1
        if self._active == 0:
            self._idle.set()
