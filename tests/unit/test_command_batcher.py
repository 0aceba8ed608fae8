"""The command batcher: what arrives while a commit is under way goes into the next one, each
caller hears its own outcome after that commit, a lone caller is not held back."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest

from shared.contracts.replies import ErrorCode
from shared.messaging.batcher import CommandBatcher
from shared.messaging.errors import DeskError


class Store:
    """Commits batches one at a time; `gate` holds a commit open until released."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.gate = asyncio.Event()
        self.gate.set()

    async def commit(self, commands: Sequence[int]) -> list[Any]:
        await self.gate.wait()
        self.batches.append(list(commands))
        return [ValueError(f"odd {n}") if n % 2 else n * 10 for n in commands]


def held(**options: Any) -> tuple[Store, CommandBatcher]:
    """A batcher whose store holds its next commit open until `store.gate.set()`."""
    store = Store()
    store.gate.clear()
    return store, CommandBatcher(store.commit, **options)


async def test_a_lone_command_is_committed_at_once() -> None:
    store = Store()
    batcher = CommandBatcher(store.commit)
    assert await asyncio.wait_for(batcher.submit(2), 1) == 20
    assert store.batches == [[2]]


async def test_commands_that_wait_for_a_commit_go_together_into_the_next() -> None:
    store, batcher = held()
    first = asyncio.create_task(batcher.submit(0))
    await asyncio.sleep(0)
    rest = [asyncio.create_task(batcher.submit(n)) for n in (2, 4, 6)]
    await asyncio.sleep(0)
    store.gate.set()
    assert await asyncio.gather(first, *rest) == [0, 20, 40, 60]
    assert store.batches == [[0], [2, 4, 6]]


async def test_each_caller_hears_its_own_error_and_the_others_their_replies() -> None:
    store, batcher = held()
    calls = [asyncio.create_task(batcher.submit(n)) for n in (2, 3, 4)]
    await asyncio.sleep(0)
    store.gate.set()
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    assert outcomes[0] == 20 and outcomes[2] == 40
    assert isinstance(outcomes[1], ValueError)
    assert store.batches == [[2, 3, 4]]


async def test_a_batch_is_at_most_its_limit() -> None:
    store, batcher = held(limit=2)
    calls = [asyncio.create_task(batcher.submit(n)) for n in (0, 2, 4, 6, 8)]
    await asyncio.sleep(0)
    store.gate.set()
    await asyncio.gather(*calls)
    assert store.batches == [[0, 2], [4, 6], [8]]


async def test_a_caller_that_gave_up_before_its_batch_is_not_run() -> None:
    store, batcher = held()
    first = asyncio.create_task(batcher.submit(0))
    await asyncio.sleep(0)
    gone = asyncio.create_task(batcher.submit(2))
    kept = asyncio.create_task(batcher.submit(4))
    await asyncio.sleep(0)
    gone.cancel()
    store.gate.set()
    assert await first == 0 and await kept == 40
    assert store.batches == [[0], [4]]


async def test_after_close_a_command_is_told_to_retry() -> None:
    store = Store()
    batcher = CommandBatcher(store.commit)
    assert await batcher.submit(2) == 20
    await batcher.close()
    with pytest.raises(DeskError) as refused:
        await batcher.submit(4)
    assert refused.value.code is ErrorCode.unavailable
