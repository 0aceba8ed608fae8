"""Outbox relay: publishes a service's notification log to DESK, in order, exactly once.

The service commits to its own store first. The relay reads the store's notification log after
its last recorded position, translates each domain event into its published contract (or skips
it), publishes with `Nats-Msg-Id` = `event_id`, then records the new position in the same store.
What the application has just recorded and that continues the position without a gap is taken
from the application itself (shared/eventstore/recent.py) instead of being read back and decoded
from the store: the same notifications, in the same order; anything else is read as ever.
A crash between publish and record republishes the same events with the same ids, which the
stream's duplicate window drops.

Publishes go out without waiting for each ack (nats-py `publish_async`), at most `window` of
them in flight, in the store's order on one connection; the acks are awaited in that order, and
the relay's position (in memory) passes a window once every ack of it came. A failed or missing
ack stops the batch: it is published again from that position (duplicates dropped by id).

The position is written to the store behind what was published, at most every `record_every`
seconds or `batch_size` events (and at a stop, or when a backup holds the store): one small
transaction, and one fsync, for many commands instead of one for each. A crash before it was
written republishes what it had not recorded, which the stream's duplicate window (2 hours)
drops, as it drops a crash's between a publish and its record.

One case is not ordered by this: had the stream refused an event and stored a later one of the
same window (no such refusal is known, an outage drops a suffix), the refused one would be
stored after it on the retry.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import threading
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ClassVar

from eventsourcing.application import Application
from eventsourcing.persistence import ProcessRecorder, Tracking
from nats.js import JetStreamContext

from shared.contracts.events import Envelope
from shared.logging import get_logger
from shared.messaging.stream_mark import StreamChanged, StreamMark
from shared.messaging.subjects import STREAM, subject_of
from shared.messaging.tasks import Blocking, to_thread

log = get_logger("relay")
MARK_POLL = 1.0  # seconds between looks at a stopped relay's mark
ACK_WAIT = 5.0  # seconds for the stream's ack of one publish (nats-py's default request timeout)

Translate = Callable[[object], Envelope | None]


class Relay:
    # Tests set it: each batch taken from what the application has just recorded is checked
    # against the store (the same ids, translated alike; what differs is noted in `mismatches`)
    # and the store's is published.
    check_recent: ClassVar[bool] = False
    mismatches: ClassVar[list[str]] = []

    def __init__(
        self,
        app: Application,
        js: JetStreamContext,
        translate: Translate,
        *,
        name: str = "relay",
        batch_size: int = 256,
        window: int = 256,
        poll_interval: float = 1.0,
        write_lock: threading.Lock | None = None,
        offload: Blocking = to_thread,
        mark: StreamMark | None = None,
        on_stream_changed: Callable[[str], Awaitable[None]] | None = None,
        record_every: float = 0.2,
    ) -> None:
        if not isinstance(app.recorder, ProcessRecorder):
            raise TypeError("the relay records its position in a process recorder")
        self._app = app
        self._recorder: ProcessRecorder = app.recorder
        self._js = js
        self._translate = translate
        self._name = name
        self._batch_size = batch_size
        self._window = max(1, window)  # publishes awaiting their ack, at most
        self._poll_interval = poll_interval
        self._offload = offload
        self._wake = asyncio.Event()
        self._write_lock = write_lock or threading.Lock()
        self.mark = mark  # which DESK it publishes to (shared/messaging/stream_mark.py)
        self._on_stream_changed = on_stream_changed
        self.changed: str | None = None  # why it stopped: DESK is not the stream it followed
        self._record_every = record_every
        self._published: int | None = None  # the last notification whose ack came
        self._stored = 0  # the position as the store holds it (read with the first)
        self._stored_at = -math.inf  # loop time it was last written (never: the first is due)

    def position(self) -> int:
        """The last notification published (its ack came). The store's record of it may be
        behind by at most `record_every` seconds (`unrecorded`)."""
        if self._published is None:
            self._published = self._stored = self._recorder.max_tracking_id(self._name) or 0
        return self._published

    def unrecorded(self) -> int:
        """How far the store's record of the position is behind what was published."""
        return self.position() - self._stored

    def recorded(self) -> int:
        """The last notification the store holds, published or not."""
        return self._recorder.max_notification_id() or 0

    def pending(self) -> bool:
        """Whether the store holds events this relay has not published yet."""
        return self.backlog() > 0

    def backlog(self) -> int:
        """How many records of the store this relay has not published yet (some are never
        published: command receipts, counters; they count until the relay passes them)."""
        return max(0, self.recorded() - self.position())

    def wake(self) -> None:
        """Called after a commit so the relay publishes without waiting for its next poll."""
        self._wake.set()

    async def flush(self) -> int:
        """Publish everything recorded after the last position and record the position;
        returns how many were read."""
        total = await self._publish_pending()
        await self.record()
        return total

    async def record(self) -> None:
        """Write the position to the store now, if it is behind."""
        if self.unrecorded():
            await self._offload(self._record_position, self.position())
        self._stored_at = asyncio.get_running_loop().time()

    async def _publish_pending(self) -> int:
        """Publish what the store holds after the position; how many were read."""
        total = 0
        if self._published is None:
            await self._offload(self.position)
        while True:
            pending = await self._next(self.position())
            for at in range(0, len(pending), self._window):
                window = pending[at : at + self._window]
                await self._publish_window(window)
                self._published = window[-1][0]
            total += len(pending)
            if len(pending) < self._batch_size:  # the rest: the next wake's
                return total
            if self.unrecorded() >= self._batch_size:
                await self.record()

    async def _next(self, position: int) -> list[tuple[int, Any]]:
        """The notifications after `position`, up to a batch, as (id, domain event): what the
        application has just recorded when it follows the position (shared/eventstore/recent.py:
        not read back), else what the store holds, decoded."""
        recent = getattr(self._app, "recent", None)
        kept = recent.after(position, self._batch_size) if recent is not None else None
        if kept:
            found = [(r.notification.id, r.domain_event) for r in kept]
            return await self._offload(self._check, found) if self.check_recent else found
        return self._decoded(
            await self._offload(self._recorder.select_notifications, position + 1, self._batch_size)
        )

    def _decoded(self, notifications: Sequence[Any]) -> list[tuple[int, Any]]:
        return [(n.id, self._app.mapper.to_domain_event(n)) for n in notifications]

    def _check(self, found: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
        """`check_recent`: what the store holds after the position, and whether the recent
        events are the same notifications and translate alike (else noted in `mismatches`)."""
        stored = self._decoded(
            self._recorder.select_notifications(found[0][0], len(found), found[-1][0])
        )
        if [i for i, _ in stored] != [i for i, _ in found]:
            Relay.mismatches.append(f"{self._name}: recent ids {found[0][0]}… are not the store's")
        for (notification_id, again), (_, kept) in zip(stored, found, strict=False):
            shown = [e and e.model_dump_json() for e in map(self._translate, (again, kept))]
            if shown[0] != shown[1]:
                Relay.mismatches.append(f"{self._name}: notification {notification_id} differs")
        return stored

    async def _publish_window(self, pending: Sequence[tuple[int, Any]]) -> None:
        """Publish the notifications' envelopes without waiting, then wait for their acks in
        order; at the first that failed, the rest are cancelled and its error raised."""
        sent: list[tuple[Envelope | None, list[asyncio.Future[Any]]]] = []
        try:
            for _, event in pending:
                envelope = self._translate(event)
                sent.append((envelope, await self.publish_async(envelope) if envelope else []))
            for envelope, acks in sent:
                for ack in acks:
                    # once the first has come most have too: no timer and loop turn for those
                    if not ack.done():
                        await asyncio.wait_for(ack, timeout=ACK_WAIT)
                    ack.result()  # its error, if it failed
                if envelope is not None:
                    await self.published(envelope)
        except BaseException:
            for _, acks in sent:
                for ack in acks:
                    ack.cancel()  # its slot in nats-py's window is given back
            raise

    async def publish_async(self, envelope: Envelope) -> list[asyncio.Future[Any]]:
        """Start publishing `envelope`: the acks to wait for, in order."""
        ack = await self._js.publish_async(
            subject_of(envelope),
            envelope.model_dump_json().encode(),
            stream=STREAM,
            headers={"Nats-Msg-Id": str(envelope.event_id)},
        )
        return [ack]

    async def published(self, envelope: Envelope) -> None:
        """After the acks of `envelope` came, before the position passes it (a subclass may tell
        someone; a crash before the position is recorded tells again)."""

    def _record_position(self, notification_id: int) -> None:
        with self._write_lock:  # the service's other writers share this store
            self.record_held(notification_id)

    def record_held(self, notification_id: int | None = None) -> None:
        """Write the position (or `notification_id`) with the store's write lock already held
        by the caller (a backup's hold)."""
        notification_id = self.position() if notification_id is None else notification_id
        if notification_id > self._stored:
            self._recorder.insert_tracking(Tracking(self._name, notification_id))
            self._stored = notification_id

    async def publish(self, envelope: Envelope) -> None:
        await self._js.publish(
            subject_of(envelope),
            envelope.model_dump_json().encode(),
            stream=STREAM,
            headers={"Nats-Msg-Id": str(envelope.event_id)},
        )

    async def republish(self) -> int:
        """Publish again everything this relay published (same ids), into a DESK that was
        created again: ops's part of the runbook (docs/RELIABILITY.md). Its position stays."""
        position, total, start = self.position(), 0, 1
        while start <= position:
            notifications = await self._offload(
                self._recorder.select_notifications, start, self._batch_size, position
            )
            if not notifications:
                break
            for _, event in self._decoded(notifications):
                envelope = self._translate(event)
                if envelope is not None:
                    await Relay.publish(self, envelope)  # DESK only: NOTICES was not recreated
                    total += 1
            start = notifications[-1].id + 1
        return total

    async def _follow(self) -> None:
        """Publish only into the stream this relay published to: on another, stop loudly until
        ops adopt it (the mark is rewritten)."""
        if self.mark is None:
            return
        while True:
            seen = self.mark.stamp()
            try:
                await self.mark.check(self._js)
            except StreamChanged as exc:
                self.changed = str(exc)
                log.error("relay.stream_changed", relay=self._name, error=self.changed)
                if self._on_stream_changed is not None:
                    await self._on_stream_changed(self.changed)
                while self.mark.stamp() == seen:
                    await asyncio.sleep(MARK_POLL)
                continue
            self.changed = None
            return

    async def run(self) -> None:
        while True:
            try:
                await self._follow()
                break
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # NATS not there yet: look again
                log.warning("relay.retry", relay=self._name, error=repr(exc))
                await asyncio.sleep(self._poll_interval)
        loop = asyncio.get_running_loop()
        try:
            while True:
                self._wake.clear()
                wait = self._poll_interval
                try:
                    await self._publish_pending()
                    if self.unrecorded():
                        due = self._stored_at + self._record_every - loop.time()
                        if due <= 0:
                            await self.record()
                        else:
                            wait = min(wait, due)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # keep relaying after a transient bus or store fault
                    log.warning("relay.retry", relay=self._name, error=repr(exc))
                    await asyncio.sleep(self._poll_interval)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=wait)
        finally:  # stopping: what was published is recorded (a kill leaves it to the window)
            self._record_at_stop()

    def _record_at_stop(self) -> None:
        if self._published is None or not self.unrecorded():
            return
        if not self._write_lock.acquire(timeout=5.0):
            log.warning("relay.position_not_recorded", relay=self._name)
            return
        try:
            self.record_held()
        except Exception as exc:  # the store may already be closed: the window covers it
            log.warning("relay.position_not_recorded", relay=self._name, error=repr(exc))
        finally:
            self._write_lock.release()
