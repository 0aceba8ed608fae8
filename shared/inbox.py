"""Inbox: consumes DESK with exactly-once effect.

A consumer's view records the stream sequence it has applied in the same transaction as its own
writes (`apply` below). The inbox reads batches from a durable pull consumer that starts right after
that recorded position, hands each batch to `apply`, and acks only after `apply` has committed.
A redelivery or a duplicate is recognised by its sequence (at or below the recorded position) and
changes nothing; a crash before the ack just means redelivery.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from pydantic import ValidationError

from shared.contracts.events import Envelope, parse_event
from shared.logging import get_logger
from shared.subjects import EVENTS_ALL, STREAM
from shared.tasks import Blocking, to_thread

log = get_logger("inbox")
FOLLOW = 0.05  # seconds to fetch the messages known to be waiting


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message of the stream: its sequence and its envelope (None when not ours to read)."""

    seq: int
    envelope: Envelope | None


Apply = Callable[[Sequence[Delivery]], None]


def decode(seq: int, data: bytes) -> Delivery:
    try:
        return Delivery(seq, parse_event(data))
    except ValidationError:
        # Unknown event types belong to other services or newer contract versions: skip them,
        # but record the position so the consumer moves on.
        return Delivery(seq, None)


class Inbox:
    def __init__(
        self,
        js: JetStreamContext,
        *,
        durable: str,
        apply: Apply,
        position: Callable[[], int],
        filter_subject: str = EVENTS_ALL,
        batch_size: int = 256,
        ack_wait: float = 30.0,
        on_applied: Callable[[], None] | None = None,
        offload: Blocking = to_thread,
    ) -> None:
        self._js = js
        self.durable = durable
        self._apply = apply
        self._position = position
        self._filter = filter_subject
        self._batch_size = batch_size
        self._ack_wait = ack_wait
        self._offload = offload  # the owning service's threads, so its stop can wait for them
        self._on_applied = on_applied  # e.g. wake the relay that publishes what was applied
        self._sub: JetStreamContext.PullSubscription | None = None
        # Test hook: called after commit and before ack, to provoke a crash in between.
        self.before_ack: Callable[[Sequence[Delivery]], None] | None = None

    async def open(self) -> None:
        """(Re)create the durable consumer right after the view's recorded position."""
        start = await self._offload(self._position) + 1
        with contextlib.suppress(NotFoundError):
            await self._js.delete_consumer(STREAM, self.durable)
        await self._js.add_consumer(
            STREAM,
            ConsumerConfig(
                durable_name=self.durable,
                filter_subject=self._filter,
                deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
                opt_start_seq=start,
                ack_policy=AckPolicy.EXPLICIT,
                ack_wait=self._ack_wait,
                max_ack_pending=self._batch_size * 4,
            ),
        )
        self._sub = await self._js.pull_subscribe_bind(self.durable, stream=STREAM)

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
            return False  # away: not known to be applied
        return not info.num_pending and not info.num_ack_pending

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
        waiting = min(waiting, self._batch_size - 1)
        if waiting:
            with contextlib.suppress(TimeoutError, NatsTimeout):
                msgs += await self._sub.fetch(waiting, timeout=FOLLOW)
        deliveries = [decode(m.metadata.sequence.stream, m.data) for m in msgs]
        await self._offload(self._apply, deliveries)
        if self.before_ack is not None:
            self.before_ack(deliveries)
        for m in msgs:
            await m.ack()
        if self._on_applied is not None:
            self._on_applied()
        return len(msgs)

    async def run(self) -> None:
        try:
            while True:
                try:
                    if self._sub is None:
                        await self.open()
                    await self.poll()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    # Nothing unapplied was acked: start again from the recorded position.
                    log.warning("inbox.retry", durable=self.durable, error=repr(exc))
                    await self.close()
                    await asyncio.sleep(1.0)
        finally:
            await self.close()
