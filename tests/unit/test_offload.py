"""A service's blocking store work: the stop waits for it even after its task was cancelled."""

from __future__ import annotations

import asyncio
import threading

from shared.messaging.tasks import Offload, cancel_and_wait


async def test_drain_waits_for_work_whose_task_was_cancelled() -> None:
    offload = Offload("test")
    started, release = threading.Event(), threading.Event()
    finished: list[str] = []

    def store_call() -> str:
        started.set()
        release.wait(5)
        finished.append("done")
        return "done"

    task = asyncio.create_task(offload(store_call))
    await asyncio.to_thread(started.wait, 5)
    await cancel_and_wait([task])
    assert task.cancelled() and finished == []  # the thread runs on after the cancel

    draining = asyncio.create_task(offload.drain())
    await asyncio.sleep(0.05)
    assert not draining.done()  # a store closed now would be closed under the running call
    release.set()
    await draining
    assert finished == ["done"]


async def test_after_a_drain_the_next_call_gets_fresh_threads() -> None:
    offload = Offload("test")
    assert await offload(sum, [1, 2]) == 3
    await offload.drain()
    worker = await offload(lambda: threading.current_thread().name)
    assert worker.startswith("test")  # the service's own pool, not the loop's default one
    await offload.drain()
