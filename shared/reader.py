"""Reading a stream from a sequence on, without a consumer: JetStream's batched direct get.

Ops and analytics read DESK this way (replay, verify, export): the server hands out stored
messages by sequence and creates nothing, so their credentials need no right to create
consumers, which would also let them re-create a service's durable one (shared/natsconf.py).
It reads about as fast as an ordered consumer and half as fast as the ephemeral pull consumer
replay used before the bus was closed: nats-py parses the eight headers of every reply
(docs/PERFORMANCE.md, "the benchmarks on the closed bus").
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
    replies: asyncio.Queue[Msg] = asyncio.Queue()

    async def take(msg: Msg) -> None:
        replies.put_nowait(msg)

    inbox = nc.new_inbox()
    sub = await nc.subscribe(inbox, cb=take, pending_msgs_limit=4 * batch + 16)
    try:
        while seq <= upto:
            request: dict[str, object] = {"seq": seq, "batch": min(batch, upto - seq + 1)}
            if subject is not None:
                request["next_by_subj"] = subject
            await nc.publish(f"$JS.API.DIRECT.GET.{stream}", json.dumps(request).encode(), inbox)
            out: list[Stored] = []
            while True:
                msg = await asyncio.wait_for(replies.get(), timeout)
                status = msg.headers.get("Status") if msg.headers else None
                if status is None:
                    headers = msg.headers or {}
                    stored = Stored(
                        int(headers["Nats-Sequence"]), headers["Nats-Subject"], msg.data, headers
                    )
                    if stored.seq <= upto:
                        out.append(stored)
                    continue
                if status not in (END_OF_BATCH, NO_MESSAGES):
                    description = msg.headers.get("Description", "")
                    raise RuntimeError(f"reading {stream} failed: {status} {description}".strip())
                break
            if out:
                yield out
            if not out or status == NO_MESSAGES:
                return  # nothing (more) of `subject` up to `upto`
            seq = out[-1].seq + 1
    finally:
        with contextlib.suppress(Exception):
            await sub.unsubscribe()
