"""The command batcher in front of a service's application: the commands that arrive while a
commit is under way wait, and go together into the next one (group commit,
shared/eventstore/group_commit.py). One caller alone is not held back: its command is committed at
once. Each caller is answered after the commit that holds its command, with its reply or its
error."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

from shared.contracts.replies import ErrorCode
from shared.messaging.errors import DeskError

T = TypeVar("T")

# a batch of commands -> for each, its reply or the error it is answered with
STOPPED = "the service is stopping; retry"
Run = Callable[[Sequence[T]], Awaitable[Sequence[Any]]]


class CommandBatcher(Generic[T]):
    def __init__(self, run: Run[T], *, limit: int = 64) -> None:
        self._run = run
        self._limit = max(1, limit)  # commands per commit at most
        self._waiting: list[tuple[T, asyncio.Future[Any]]] = []
        self._draining: asyncio.Task[None] | None = None
        self._closed = False

    async def submit(self, command: T) -> Any:
        """The command's reply once the commit that holds it is done (or its error, raised)."""
        if self._closed:
            raise DeskError(ErrorCode.unavailable, STOPPED)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting.append((command, future))
        if self._draining is None or self._draining.done():
            self._draining = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._waiting:
            batch = [(c, f) for c, f in self._waiting[: self._limit] if not f.done()]
            del self._waiting[: self._limit]  # a caller that gave up is not run
            if not batch:
                continue
            try:
                outcomes = await self._run([command for command, _ in batch])
            except asyncio.CancelledError:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(DeskError(ErrorCode.unavailable, STOPPED))
                raise
            except Exception as exc:  # the batch as a whole: every caller hears it
                outcomes = [exc] * len(batch)
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():  # its caller gave up meanwhile
                    continue
                if isinstance(outcome, BaseException):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)

    async def close(self) -> None:
        """Take no more commands, and wait for the batch under way (its callers are answered);
        those still waiting are told to retry."""
        self._closed = True
        waiting, self._waiting = self._waiting, []
        for _, future in waiting:
            if not future.done():
                future.set_exception(DeskError(ErrorCode.unavailable, STOPPED))
        if self._draining is not None:
            await asyncio.gather(self._draining, return_exceptions=True)
            self._draining = None
