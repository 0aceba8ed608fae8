"""Stopping background tasks reliably."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable


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
