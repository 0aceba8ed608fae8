"""Stopping background tasks reliably, and the blocking work they started."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
# How a loop runs a blocking call: asyncio.to_thread, or a service's Offload.
Blocking = Callable[..., Awaitable[Any]]


async def cancel_and_wait(
    tasks: Iterable[asyncio.Task], timeout: float = 10.0
) -> set[asyncio.Task]:
    """Cancel tasks and wait until they end; returns those still running after `timeout`.

    On Python 3.11 `asyncio.wait_for` can swallow a cancellation that arrives just as its inner
    future completes (fixed in 3.12); nats-py and our own loops use it, so a single cancel() may
    be lost. The cancel is therefore repeated until the task really ends.
    """
    pending = {t for t in tasks if not t.done()}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while pending and loop.time() < deadline:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=0.2)
    return pending


class Offload:
    """Runs a service's blocking store work in its own threads, and lets the stop wait for it.

    Cancelling a task that awaits `asyncio.to_thread` does not stop the thread: the store call
    runs on. Closing a SQLite connection under a query that is still running can crash the
    whole process (seen as SIGSEGV at stop), so a service stops its tasks, then `drain`s, then
    closes its stores.
    """

    def __init__(self, name: str, workers: int = 4) -> None:
        self._name = name
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None

    async def __call__(self, fn: Callable[..., T], /, *args: Any) -> T:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix=self._name)
        context = contextvars.copy_context()
        return await asyncio.wrap_future(self._pool.submit(context.run, fn, *args))

    async def drain(self) -> None:
        """Wait for the work in flight to end; the next call starts a fresh pool."""
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)


async def to_thread(fn: Callable[..., T], /, *args: Any) -> T:
    """The default offload of the relay and the inbox when no service owns them (tests, bench)."""
    return await asyncio.to_thread(fn, *args)
