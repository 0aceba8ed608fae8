"""Inbox: consumes DESK with exactly-once effect.

A consumer's view records the stream sequence it has applied in the same transaction as its own
writes (`apply` below). The inbox reads batches from a durable pull consumer that starts right after
that recorded position, hands each batch to `apply`, and acks only after `apply` has committed
(one ack for the batch: the consumer's policy is "all", the last message's ack covers those
before it).
A redelivery or a duplicate is recognised by its sequence (at or below the recorded position) and
changes nothing; a crash before the ack just means redelivery.

An event the consumer cannot apply does not stop it: shared/messaging/parking.py tries it a few
times, then
parks it (with the error) and records the position past it, in one transaction, and the inbox
moves on; ops see it, and retry it once fixed (docs/RELIABILITY.md).

A consumer nobody waits for in milliseconds (reporting's analytics view; escalation and dispatch,
briefly) may `linger`: when it has caught up, after the first message of a batch it waits a moment
for more, so that it applies many in one transaction rather than a few in each (a backlog is taken
at once); whoever does wait for it (`applied_through`: the simulated clock, escalation's
decisions) cuts the wait short (`hurry`). docs/PERFORMANCE.md, session 8.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from pydantic import ValidationError

from shared.contracts.envelope import SCHEMA_VERSION
from shared.contracts.events import EVENT_TYPES, Envelope, parse_event
from shared.logging import get_logger
from shared.messaging.parking import PAUSE, Park, Stuck, settle
from shared.messaging.stream_mark import StreamChanged, StreamMark
from shared.messaging.subjects import EVENTS_ALL, STREAM, event_type_of
from shared.messaging.tasks import Blocking, to_thread

log = get_logger("inbox")
MARK_POLL = 1.0  # seconds between looks at a stopped reader's mark
FOLLOW = 0.05  # seconds to fetch the messages known to be waiting


class DeliveryLost(Exception):
    """A delivery of the consumer did not reach the inbox."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message of the stream: its sequence and its envelope (None when not ours to read, or
    when it cannot be read: then `error` says why, and it is parked, not skipped)."""

    seq: int
    envelope: Envelope | None
    subject: str = ""
    error: str | None = None
    data: bytes = b""  # as published: kept with its park


Apply = Callable[[Sequence[Delivery]], None]


def decode(seq: int, data: bytes, subject: str = "") -> Delivery:
    try:
        return Delivery(seq, parse_event(data), subject, None, data)
    except ValidationError as exc:
        # Unknown event types and newer schemas belong to other services or later versions:
        # skipped, the position still recorded. A known one that does not validate is
        # unreadable: parked, not skipped.
        return Delivery(seq, None, subject, _unreadable(subject, data, exc), data)


class SharedDecoding:
    """Decoding shared by the inboxes of one process that read the same messages (reporting's
    views, each with its own consumer of DESK): a message is validated once, and each inbox gets
    the same `Delivery` (its envelope is frozen; projections never change what they read). A
    delivery is kept until each of the `readers` has taken it, so what is kept is only how far
    the inboxes are apart (nothing, when they read in step): thousands of kept envelopes made
    every full collection of the process's heap walk them (docs/PERFORMANCE.md, session 7). At
    most `size` are kept, the oldest dropped first (an inbox stopped or far behind decodes its
    own)."""

    def __init__(self, readers: int, size: int = 8192) -> None:
        # (sequence, subject) -> the delivery and how many readers are still to take it, in
        # the order decoded
        self._seen: dict[tuple[int, str], tuple[Delivery, int]] = {}
        self._readers = readers
        self._size = size

    def __call__(self, seq: int, data: bytes, subject: str = "") -> Delivery:
        key = (seq, subject)
        found = self._seen.get(key)
        if found is not None and found[0].data == data:
            delivery, waiting = found
            if waiting > 1:
                self._seen[key] = (delivery, waiting - 1)
            else:
                del self._seen[key]
            return delivery
        delivery = decode(seq, data, subject)
        if self._readers > 1:
            self._seen[key] = (delivery, self._readers - 1)
            if len(self._seen) > self._size:
                del self._seen[next(iter(self._seen))]
        return delivery

    def __len__(self) -> int:
        return len(self._seen)


def _unreadable(subject: str, data: bytes, exc: ValidationError) -> str | None:
    """Why a message on the subject of an event type this version knows, at a schema version it
    knows, does not validate: an event it cannot apply. None for what is rightly skipped."""
    event_type = event_type_of(subject)
    model = EVENT_TYPES.get(event_type)
    if model is None:
        return None
    try:
        body = json.loads(data)
        version = body.get("schema_version") if isinstance(body, dict) else None
    except (ValueError, RecursionError):
        version = None
    known = getattr(model.model_fields["data"].annotation, "SCHEMA_VERSION", SCHEMA_VERSION)
    if isinstance(version, int) and not isinstance(version, bool) and version > known:
        return None  # a newer schema of a known type (docs/contract.md §13.1)
    errors = exc.errors(include_url=False)[:3]
    # the field first where there is one ("data.at: …"); not JSON at all has none
    summary = "; ".join(
        f"{'.'.join(map(str, e['loc']))}: {e['msg']}" if e["loc"] else e["msg"] for e in errors
    )
    return f"unreadable {event_type}: {summary}"[:500]


class Inbox:
    def __init__(
        self,
        js: JetStreamContext,
        *,
        durable: str,
        apply: Apply,
        position: Callable[[], int],
        filter_subject: str | Sequence[str] = EVENTS_ALL,
        batch_size: int = 256,
        ack_wait: float = 30.0,
        on_applied: Callable[[], None] | None = None,
        offload: Blocking = to_thread,
        park: Park | None = None,
        on_parked: Callable[[Stuck], Awaitable[None]] | None = None,
        pause: float = PAUSE,
        mark: StreamMark | None = None,
        on_stream_changed: Callable[[str], Awaitable[None]] | None = None,
        decoding: Callable[[int, bytes, str], Delivery] = decode,
        linger: float = 0.0,
    ) -> None:
        self._js = js
        self.durable = durable
        self._apply = apply
        self._position = position
        # one subject, or several (the event types a service reacts to): what the server sends
        self._filters = [filter_subject] if isinstance(filter_subject, str) else [*filter_subject]
        self._batch_size = batch_size
        self._ack_wait = ack_wait
        self._offload = offload  # the owning service's threads, so its stop can wait for them
        self._on_applied = on_applied  # e.g. wake the relay that publishes what was applied
        self._park = park  # without it, an event that cannot be applied is retried for ever
        self._on_parked = on_parked  # e.g. tell ops
        self._pause = pause  # between the tries of an event that fails
        self.mark = mark  # which DESK the position was taken in (shared/messaging/stream_mark.py)
        self._on_stream_changed = on_stream_changed  # e.g. tell ops
        self._decode = decoding  # e.g. a SharedDecoding, for inboxes reading the same messages
        self._linger = linger  # seconds a batch waits for more after its first message
        self._hurry = asyncio.Event()  # someone waits: the batch takes what is there now
        self.offset = 0  # the store's position = this stream's sequence + offset
        self.changed: str | None = None  # why it stopped: DESK is not the stream it followed
        self._sub: JetStreamContext.PullSubscription | None = None
        self._delivered = 0  # the consumer's number of the last delivery received
        # Test hook: called after commit and before ack, to provoke a crash in between.
        self.before_ack: Callable[[Sequence[Delivery]], None] | None = None

    def position(self) -> int:
        """The last stream position the consumer's store recorded (blocking)."""
        return self._position()

    async def open(self) -> None:
        """(Re)create the durable consumer right after the view's recorded position, in the
        stream that position was taken in (StreamChanged if DESK is another one)."""
        position = await self._offload(self._position)
        if self.mark is not None:
            self.offset = (await self.mark.check(self._js, position)).offset
        start = position - self.offset + 1
        with contextlib.suppress(NotFoundError):
            await self._js.delete_consumer(STREAM, self.durable)
        await self._js.add_consumer(
            STREAM,
            ConsumerConfig(
                durable_name=self.durable,
                filter_subject=self._filters[0] if len(self._filters) == 1 else None,
                filter_subjects=self._filters if len(self._filters) > 1 else None,
                deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
                opt_start_seq=start,
                ack_policy=AckPolicy.ALL,  # a batch's last ack acknowledges the batch
                ack_wait=self._ack_wait,
                max_ack_pending=self._batch_size * 4,
            ),
        )
        self._sub = await self._js.pull_subscribe_bind(self.durable, stream=STREAM)
        self._delivered = 0  # a new consumer numbers its deliveries from 1

    def hurry(self) -> None:
        """Someone waits for what this consumer applies: a lingering batch stops waiting."""
        self._hurry.set()

    async def applied_through(self, seq: int) -> bool:
        """Whether every message of DESK up to `seq` that this consumer reads is applied. A
        filtered consumer's position stops at the last message it reads, so when that is below
        `seq` the server is asked: nothing left to deliver, nothing delivered unacknowledged
        (the inbox acknowledges only what it committed)."""
        try:
            if await self._offload(self._position) >= seq:
                return True
            info = await self._js.consumer_info(STREAM, self.durable)
        except Exception:  # a view being switched, the consumer not (re)created yet, the bus
            self.hurry()
            return False  # away: not known to be applied
        if info.num_pending or info.num_ack_pending:
            self.hurry()
            return False
        return True

    async def close(self) -> None:
        if self._sub is not None:
            with contextlib.suppress(Exception):
                await self._sub.unsubscribe()
            self._sub = None

    async def poll(self, timeout: float = 1.0) -> int:
        """Fetch one batch, apply it, ack it. Returns the number of messages handled."""
        assert self._sub is not None, "open() first"
        try:
            # One message as soon as there is one, then those the server says are waiting: a
            # fetch of a whole batch can linger until the batch is full or its timeout ends,
            # which held an event up to a second when few came (each hop of a reaction, and a
            # simulated clock waiting for it, paid that).
            msgs = await self._sub.fetch(1, timeout=timeout)
        except (TimeoutError, NatsTimeout):
            return 0
        first = msgs[0].metadata
        # redelivered messages (an ack that never came) are not counted as pending
        waiting = first.num_pending or (self._batch_size if first.num_delivered > 1 else 0)
        if self._linger and not waiting and not self._hurry.is_set():
            # caught up (a backlog is taken at once): more may come while it waits
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._hurry.wait(), self._linger)
            waiting = self._batch_size  # what came meanwhile: the server sends what it has
        self._hurry.clear()
        waiting = min(waiting, self._batch_size - 1)
        if waiting:
            with contextlib.suppress(TimeoutError, NatsTimeout):
                msgs += await self._sub.fetch(waiting, timeout=FOLLOW)
        self._check_delivered(msgs)
        deliveries = [
            self._decode(m.metadata.sequence.stream + self.offset, m.data, m.subject) for m in msgs
        ]
        parked = await self._offload(self._settle, deliveries)
        if self.before_ack is not None:
            self.before_ack(deliveries)
        await msgs[-1].ack()  # and every message before it (AckPolicy.ALL): one ack a batch
        if self._on_applied is not None:
            self._on_applied()
        for stuck in parked:
            log.error("inbox.parked", durable=self.durable, seq=stuck.delivery.seq,
                      subject=stuck.delivery.subject, error=stuck.error)  # fmt: skip
            if self._on_parked is not None:
                await self._on_parked(stuck)
        return len(msgs)

    def _check_delivered(self, msgs: list[Msg]) -> None:
        """Every delivery of the consumer must reach the inbox: the server numbers them (a
        redelivery too), and one sent on a connection that then broke (a node killed) never
        arrives. An ack of a later message would acknowledge it too (ack policy all), and it
        would never be applied: on a gap, nothing of the batch is applied or acked and the
        consumer is created again at the recorded position (`run`)."""
        for msg in msgs:
            delivered = msg.metadata.sequence.consumer
            if delivered != self._delivered + 1:
                raise DeliveryLost(
                    f"{self.durable}: delivery {delivered} after {self._delivered}: "
                    f"{delivered - self._delivered - 1} not received"
                )
            self._delivered = delivered

    def _settle(self, deliveries: list[Delivery]) -> list[Stuck]:
        if self._park is None:
            self._apply(deliveries)
            return []
        return settle(deliveries, self._apply, self._park, pause=self._pause)

    async def run(self) -> None:
        try:
            while True:
                try:
                    if self._sub is None:
                        await self.open()
                    await self.poll()
                except asyncio.CancelledError:
                    raise
                except StreamChanged as exc:
                    await self._stopped(str(exc))
                except Exception as exc:
                    # Nothing unapplied was acked: start again from the recorded position.
                    log.warning("inbox.retry", durable=self.durable, error=repr(exc))
                    await self.close()
                    await asyncio.sleep(1.0)
        finally:
            await self.close()

    async def _stopped(self, why: str) -> None:
        """A loud stop: nothing is applied until ops adopt the stream (the mark is rewritten)."""
        await self.close()
        self.changed = why
        log.error("inbox.stream_changed", durable=self.durable, error=why)
        if self._on_stream_changed is not None:
            await self._on_stream_changed(why)
        assert self.mark is not None
        seen = self.mark.stamp()
        while self.mark.stamp() == seen:
            await asyncio.sleep(MARK_POLL)
        self.changed = None
        log.info("inbox.stream_adopted", durable=self.durable)
