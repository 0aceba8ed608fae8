"""Answers given by tasks of their own (shared/messaging/deferred.py): at most `limit` under way,
the next request waits on the bus until one is done; a stop waits for those under way and
cancels what outlives it."""

from __future__ import annotations

import asyncio

from shared.messaging.deferred import Deferred


async def test_at_most_limit_answers_are_under_way_and_the_next_waits_for_one() -> None:
    answers = Deferred(2)
    gate = asyncio.Event()
    done: list[int] = []

    async def answering(n: int) -> None:
        await gate.wait()
        done.append(n)

    await answers.start(answering(1))
    await answers.start(answering(2))
    third = asyncio.create_task(answers.start(answering(3)))
    await asyncio.sleep(0.05)
    assert not third.done()  # both slots taken: the third request is not taken yet
    gate.set()
    await asyncio.wait_for(third, 1)
    await answers.drain(timeout=1)
    assert sorted(done) == [1, 2, 3]


async def test_drain_waits_for_answers_under_way_and_cancels_what_outlives_it() -> None:
    answers = Deferred(4)
    quick_done = asyncio.Event()
    cancelled = asyncio.Event()

    async def quick() -> None:
        await asyncio.sleep(0.05)
        quick_done.set()

    async def stuck() -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    await answers.start(quick())
    await answers.start(stuck())
    await asyncio.wait_for(answers.drain(timeout=0.5), 5)
    assert quick_done.is_set() and cancelled.is_set()
    await asyncio.wait_for(answers.start(quick()), 1)  # its slots were given back
    await answers.drain(timeout=1)
