"""Holding a service's writes while `propdesk backup` copies its store (desk.ops.<service>.hold
and .release; docs/contract.md §24.3).

Copies of several stores are one consistent backup only if nothing is written between them: a
store copied before another could miss what the other already reacted to (a work order for a
ticket that intake's copy does not have). So the backup holds every service that writes (intake,
dispatch, escalation) at once, copies their stores and notes DESK's last sequence, then
releases them. A held service:

- has published everything it recorded (its relay's backlog is 0) and written its relay's
  position: DESK holds every event of the copy, and nothing of the copy is left to publish twice;
- records nothing: commands and escalation's ticker wait (the service's command lock), and so do
  the inbox's batches and the relay (the store's write lock);
- lets go after `seconds` even if nobody releases it (a backup that died).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from shared.contracts.replies import ErrorCode
from shared.logging import get_logger
from shared.messaging.errors import DeskError
from shared.messaging.relay import Relay

log = get_logger("holding")
FLUSH_WAIT = 10.0  # seconds the relay has to publish what is recorded before the hold is refused


class WriteHold:
    def __init__(
        self,
        service: str,
        commands: asyncio.Lock,
        writing: Callable[[], threading.Lock],
        relay: Callable[[], Relay | None],
        offload: Callable[..., Awaitable[Any]],
    ) -> None:
        self._service = service
        self._commands = commands  # the service's own lock of commands (and ticks)
        self._writing = writing  # the store's write lock, once the store is open
        self._relay = relay
        self._offload = offload
        self._expiry: asyncio.TimerHandle | None = None

    @property
    def held(self) -> bool:
        return self._expiry is not None

    async def hold(self, seconds: float) -> None:
        if self.held:
            raise DeskError(ErrorCode.conflict, f"{self._service} is held by another backup")
        try:
            await asyncio.wait_for(self._commands.acquire(), FLUSH_WAIT)
        except TimeoutError:
            raise DeskError(ErrorCode.unavailable, "a command did not end in time; retry") from None
        try:
            await self._take_writing()
        except BaseException:
            self._commands.release()
            raise
        loop = asyncio.get_running_loop()
        self._expiry = loop.call_later(seconds, self._expired)
        log.info("backup.held", service=self._service, seconds=seconds)

    def release(self) -> bool:
        """Let writes go on; False when nothing was held."""
        if self._expiry is None:
            return False
        self._expiry.cancel()
        self._expiry = None
        self._writing().release()
        self._commands.release()
        log.info("backup.released", service=self._service)
        return True

    def _expired(self) -> None:
        log.warning("backup.hold_expired", service=self._service)
        self.release()

    async def _take_writing(self) -> None:
        """The store's write lock, at a moment its relay has published everything."""
        lock, relay = self._writing(), self._relay()
        deadline = asyncio.get_running_loop().time() + FLUSH_WAIT
        while True:
            if await self._acquire(lock):
                if relay is None or await self._offload(relay.backlog) == 0:
                    if relay is not None:  # the copy's position is what was published
                        await self._offload(relay.record_held)
                    return
                lock.release()
            if relay is not None:
                relay.wake()
            if asyncio.get_running_loop().time() > deadline:
                raise DeskError(
                    ErrorCode.unavailable,
                    f"{self._service} could not publish everything it recorded in time "
                    "(is NATS reachable?); retry",
                )
            await asyncio.sleep(0.05)

    async def _acquire(self, lock: threading.Lock) -> bool:
        """Take `lock` in a worker thread (a batch may hold it a moment); if this is cancelled
        meanwhile, a lock the thread took is given back."""
        attempt = asyncio.ensure_future(self._offload(lock.acquire, True, 1.0))
        try:
            return bool(await asyncio.shield(attempt))
        except asyncio.CancelledError:
            attempt.add_done_callback(lambda done: _give_back(done, lock))
            raise


def _give_back(done: asyncio.Future[Any], lock: threading.Lock) -> None:
    if not done.cancelled() and done.exception() is None and done.result():
        lock.release()
