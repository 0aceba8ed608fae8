"""Requests answered after their commit, taken off the bus one at a time.

A command is answered only once the transaction that holds it is committed, together with the
commands that arrived with it (shared/messaging/batcher.py), so a service must hold many
requests at once. FastStream's concurrent subscriber (`max_workers`) does that by running each
message's whole consume — its task group, semaphores, memory stream, middlewares and the reply's
publisher — as a task of its own: about 0.3 ms of CPU a command on the benchmark machine, a
quarter of what a report costs intake (docs/PERFORMANCE.md, "the libraries' floor").

Here the subscriber stays FastStream's (its subject, its decoder, its place in AsyncAPI) but
consumes in order, one message after another, and its handler only starts the request's answer
as a task of this set and returns; the task validates, waits for the commit and responds to the
message's reply subject itself (the subscriber is declared `no_reply`). At most `limit` answers
are under way at once: the next message then waits on the bus, as it waited for a worker."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Coroutine
from typing import Any

from nats.aio.msg import Msg

from shared.logging import get_logger
from shared.messaging.tasks import cancel_and_wait

log = get_logger("deferred")


class Deferred:
    """The answers under way of one subscriber."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._slots: asyncio.Semaphore | None = None  # made on the loop that uses it
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, answering: Coroutine[Any, Any, None]) -> None:
        """Run `answering` as a task of its own, once fewer than `limit` are under way."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limit)
        try:
            await self._slots.acquire()
        except BaseException:
            answering.close()
            raise
        task = asyncio.create_task(answering)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        assert self._slots is not None
        self._slots.release()

    async def drain(self, timeout: float) -> None:
        """Wait for the answers under way (their callers are answered), at most `timeout`
        seconds; any left then are cancelled."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
        await cancel_and_wait(set(self._tasks))


def reply_headers(message: Msg) -> dict[str, str]:
    """The headers FastStream gives a handler's dict reply (its NatsFastProducer.publish): the
    JSON content type, and the request's `correlation_id`, or a new one if it had none. Not
    nats-py's `Msg.respond`, which sends the request's own headers back: its content type
    (text/plain from a client that sent a string, which FastStream's client then decodes as
    text) and the Nats-Request-Info the server added."""
    correlation_id = (message.headers or {}).get("correlation_id") or str(uuid.uuid4())
    return {"content-type": "application/json", "correlation_id": correlation_id}


async def respond(message: Msg | None, reply: dict[str, Any]) -> None:
    """`reply` to the request `message`, encoded as FastStream encodes a handler's dict."""
    if message is None or not message.reply:
        return  # published, not requested: nobody waits for an answer
    try:  # on the connection it came in on, as Msg.respond publishes (nats-py keeps it there)
        await message._client.publish(
            message.reply, json.dumps(reply).encode(), headers=reply_headers(message)
        )
    except Exception as exc:  # the connection went away meanwhile: the caller retries
        log.warning("reply.not_sent", subject=message.subject, error=repr(exc))
