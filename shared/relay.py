"""Outbox relay: publishes a service's notification log to DESK, in order, exactly once.

The service commits to its own store first. The relay reads the store's notification log after
its last recorded position, translates each domain event into its published contract (or skips
it), publishes with `Nats-Msg-Id` = `event_id` and waits for the stream's ack, then records the
new position in the same store. A crash between publish and record republishes the same events
with the same ids, which the stream's duplicate window drops.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable

from eventsourcing.application import Application
from eventsourcing.persistence import ProcessRecorder, Tracking
from nats.js import JetStreamContext

from shared.contracts.events import Envelope, event_subject
from shared.logging import get_logger
from shared.subjects import STREAM
from shared.tasks import Blocking, to_thread

log = get_logger("relay")

Translate = Callable[[object], Envelope | None]


class Relay:
    def __init__(
        self,
        app: Application,
        js: JetStreamContext,
        translate: Translate,
        *,
        name: str = "relay",
        batch_size: int = 256,
        poll_interval: float = 1.0,
        write_lock: threading.Lock | None = None,
        offload: Blocking = to_thread,
    ) -> None:
        if not isinstance(app.recorder, ProcessRecorder):
            raise TypeError("the relay records its position in a process recorder")
        self._app = app
        self._recorder: ProcessRecorder = app.recorder
        self._js = js
        self._translate = translate
        self._name = name
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._offload = offload
        self._wake = asyncio.Event()
        self._write_lock = write_lock or threading.Lock()

    def position(self) -> int:
        return self._recorder.max_tracking_id(self._name) or 0

    def recorded(self) -> int:
        """The last notification the store holds, published or not."""
        return self._recorder.max_notification_id() or 0

    def pending(self) -> bool:
        """Whether the store holds events this relay has not published yet."""
        return self.recorded() > self.position()

    def wake(self) -> None:
        """Called after a commit so the relay publishes without waiting for its next poll."""
        self._wake.set()

    async def flush(self) -> int:
        """Publish everything recorded after the last position; returns how many were read."""
        total = 0
        while True:
            start = self.position() + 1
            notifications = await self._offload(
                self._recorder.select_notifications, start, self._batch_size
            )
            if not notifications:
                return total
            for notification in notifications:
                envelope = self._translate(self._app.mapper.to_domain_event(notification))
                if envelope is not None:
                    await self.publish(envelope)
            last = notifications[-1].id
            await self._offload(self._record_position, last)
            total += len(notifications)

    def _record_position(self, notification_id: int) -> None:
        with self._write_lock:  # the service's other writers share this store
            self._recorder.insert_tracking(Tracking(self._name, notification_id))

    async def publish(self, envelope: Envelope) -> None:
        await self._js.publish(
            event_subject(envelope),
            envelope.model_dump_json().encode(),
            stream=STREAM,
            headers={"Nats-Msg-Id": str(envelope.event_id)},
        )

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self.flush()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # keep relaying after a transient bus or store fault
                log.warning("relay.retry", relay=self._name, error=repr(exc))
                await asyncio.sleep(self._poll_interval)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)
