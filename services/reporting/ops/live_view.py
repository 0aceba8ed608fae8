"""A projection's view as the running reporting service holds it (`LiveView`), so that it can be
switched for a rebuilt one (ops/switch.py: `propdesk replay`, or the repair of a corrupt view)
while queries and the inbox use it; and its parked events (`ViewLot`).

Every call on the view runs in one of the service's threads through `run`, which counts it. A
switch first stops new calls (`ready` is cleared, and a call that slipped through raises
`Switching` to be retried after the switch), then `close` waits until no call is running before
it closes the view: closing a SQLite connection under a running query can crash the process.
The inbox's batches and `state` take the write lock, so a position and a checksum are read from
the same rows. A call that finds the file corrupt tells `on_corrupt` (the service rebuilds the
view from DESK), whoever made it: a query, a batch of the inbox, a checksum.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from services.reporting.ops.corruption import is_corruption
from services.reporting.ops.registry import View
from shared.kernel.clock import Clock
from shared.messaging.errors import Retryable
from shared.messaging.inbox import Delivery

T = TypeVar("T")


class Switching(Retryable):
    """The view is being switched: retry once `ready` is set again."""


class LiveView:
    def __init__(self, view: View) -> None:
        self.view = view
        self.ready = asyncio.Event()  # cleared while switching
        self.ready.set()
        self._calls = threading.Condition()
        self._running = 0
        self._closed = False
        self._write = threading.Lock()
        # called in the worker thread with the error that showed the file corrupt
        self.on_corrupt: Callable[[BaseException], None] | None = None

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(view, *args), in the calling (worker) thread."""
        with self._calls:
            if self._closed:
                raise Switching
            self._running += 1
            view = self.view
        try:
            return fn(view, *args)
        except Exception as exc:
            if self.on_corrupt is not None and is_corruption(exc):
                self.on_corrupt(exc)
            raise
        finally:
            with self._calls:
                self._running -= 1
                self._calls.notify_all()

    # -- what the inbox calls ----------------------------------------------------------------

    def apply(self, deliveries: Sequence[Delivery]) -> None:
        with self._write:
            self.run(_apply, deliveries)

    def position(self) -> int:
        return self.run(_position)

    # -- parked events (services/reporting/views/parked.py) -------------------------------------

    def park(
        self, consumer: str, delivery: Delivery, error: str, attempts: int, at: datetime
    ) -> bool:
        with self._write:
            return self.run(lambda view: view.park(consumer, delivery, error, attempts, at))

    def parked(self) -> list[dict[str, Any]]:
        return self.run(lambda view: view.parked())

    def retry_parked(self, delivery: Delivery, at: datetime) -> None:
        with self._write:
            self.run(lambda view: view.retry_parked(delivery, at))

    # -- the switch --------------------------------------------------------------------------

    def state(self) -> tuple[int, str]:
        """The position and the checksum of the same rows."""
        with self._write:
            return self.run(_state)

    def close(self) -> None:
        """Refuse new calls, wait for the running ones to end, close the view (blocking)."""
        with self._calls:
            self._closed = True
            self._calls.wait_for(lambda: self._running == 0)
        self.view.close()

    def reopen(self, view: View) -> None:
        with self._calls:
            self.view = view
            self._closed = False


def _apply(view: View, deliveries: Sequence[Delivery]) -> None:
    view.apply(deliveries)


def _position(view: View) -> int:
    return view.position()


def _state(view: View) -> tuple[int, str]:
    return view.position(), view.checksum()


class ViewLot:
    """A projection's parked events, in its live view (shared/messaging/parking_desk.py Lot)."""

    def __init__(self, consumer: str, live: LiveView, clock: Clock) -> None:
        self.consumer, self._live, self._clock = consumer, live, clock

    def park(self, delivery: Delivery, error: str, attempts: int) -> bool:
        return self._live.park(self.consumer, delivery, error, attempts, self._clock.now())

    def parked(self) -> list[dict[str, Any]]:
        return self._live.parked()

    def retry(self, delivery: Delivery) -> None:
        self._live.retry_parked(delivery, self._clock.now())
