"""Reading a stream from a sequence on, without a consumer: JetStream's batched direct get.

Ops and analytics read DESK this way (replay, verify, export): the server hands out stored
messages by sequence and creates nothing, so their credentials need no right to create
consumers, which would also let them re-create a service's durable one
(shared/messaging/natsconf.py).
A batch's replies are collected by the subscription's callback and awaited once, for the status
that ends the batch: about 1.7× an ordered consumer's rate here, near the ephemeral pull
consumer replay used before the bus was closed (docs/PERFORMANCE.md, 2026-12-02).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import NamedTuple

from nats.aio.client import Client
from nats.aio.msg import Msg

BATCH = 2048
END_OF_BATCH = "204"
NO_MESSAGES = "404"


class Stored(NamedTuple):
    seq: int
    subject: str
    data: bytes
    headers: dict[str, str]  # as published (Nats-Msg-Id …), with the stream's own Nats-* ones


class _Batch:
    """The replies to the one request in flight: its messages, until the status that ends it."""

    def __init__(self) -> None:
        self.msgs: list[Stored] = []
        self._done: asyncio.Future[str] | None = None

    def expect(self) -> asyncio.Future[str]:
        self.msgs = []
        self._done = asyncio.get_running_loop().create_future()
        return self._done

    async def take(self, msg: Msg) -> None:
        headers = msg.headers or {}
        status = headers.get("Status")
        if status is None:
            seq = int(headers["Nats-Sequence"])
            self.msgs.append(Stored(seq, headers["Nats-Subject"], msg.data, headers))
        elif self._done is not None and not self._done.done():
            if status not in (END_OF_BATCH, NO_MESSAGES):
                status = f"{status} {headers.get('Description', '')}".strip()
            self._done.set_result(status)


async def read_stream(
    nc: Client,
    stream: str,
    upto: int,
    *,
    start: int = 1,
    subject: str | None = None,
    batch: int = BATCH,
    timeout: float = 10.0,
) -> AsyncIterator[list[Stored]]:
    """The messages of `stream` from sequence `start` to `upto` (whose subject matches
    `subject`, if given), in order, as batches."""
    seq = start
    pending = _Batch()
    inbox = nc.new_inbox()
    sub = await nc.subscribe(inbox, cb=pending.take, pending_msgs_limit=4 * batch + 16)
    try:
        while seq <= upto:
            request: dict[str, object] = {"seq": seq, "batch": min(batch, upto - seq + 1)}
            if subject is not None:
                request["next_by_subj"] = subject
            done = pending.expect()
            await nc.publish(f"$JS.API.DIRECT.GET.{stream}", json.dumps(request).encode(), inbox)
            status = await asyncio.wait_for(done, timeout)  # one wait a batch, not a message
            if status not in (END_OF_BATCH, NO_MESSAGES):
                raise RuntimeError(f"reading {stream} failed: {status}")
            out = [m for m in pending.msgs if m.seq <= upto]
            if out:
                yield out
            if not out or status == NO_MESSAGES:
                return  # nothing (more) of `subject` up to `upto`
            seq = out[-1].seq + 1
    finally:
        with contextlib.suppress(Exception):
            await sub.unsubscribe()
