"""Decisions wait for what happened before them: escalation decides what is due only once it has
applied what DESK holds, and the simulated clock moves only once the services of the process
have published what they recorded and applied what DESK holds (docs/contract.md §20.5), so a
deadline at T is never decided before a change made just before T has been read."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from nats.js import JetStreamContext

from shared.contracts.replies import ErrorCode
from shared.messaging.errors import DeskError
from shared.messaging.subjects import STREAM

if TYPE_CHECKING:
    from shared.messaging.inbox import Inbox
    from shared.messaging.relay import Relay
    from shared.messaging.service import Service

POLL = 0.005  # seconds between looks
TIMEOUT = 3.0  # below a client's usual 5 s, so it hears `unavailable` rather than nothing


async def caught_up(
    services: Sequence[Service], js: JetStreamContext, timeout: float = TIMEOUT
) -> None:
    """Return once every relay of `services` has published what its store held and every
    consumer has applied DESK up to the stream's last sequence; then again, until a round finds
    nothing new: a reaction (dispatch issuing the order of a reported repair, intake resolving a
    signed-off ticket) is part of what happened before. `unavailable` after `timeout`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        relays = [r for s in services for r in s.relays()]
        held = [(relay, relay.recorded()) for relay in relays]
        await _until(
            lambda held=held: _published(held),
            deadline,
            "a relay has not yet published what it recorded",
        )
        consumers = [c for s in services for c in s.consumers()]
        last_seq = await applied_desk(consumers, js, deadline=deadline)
        if not any(relay.pending() for relay in relays) and await _last_seq(js) == last_seq:
            return


async def applied_desk(
    consumers: Sequence[Inbox], js: JetStreamContext, *, deadline: float | None = None
) -> int:
    """Wait until every consumer has applied DESK up to the stream's last sequence as it is
    now; returns that sequence. `unavailable` after the deadline (default: TIMEOUT from now)."""
    if deadline is None:
        deadline = asyncio.get_running_loop().time() + TIMEOUT
    last_seq = await _last_seq(js)
    for inbox in consumers:
        await _until(
            lambda inbox=inbox: inbox.applied_through(last_seq),
            deadline,
            f"{inbox.durable} has not yet applied DESK up to {last_seq}",
        )
    return last_seq


async def _published(held: list[tuple[Relay, int]]) -> bool:
    return all(relay.position() >= last for relay, last in held)


async def _last_seq(js: JetStreamContext) -> int:
    return (await js.stream_info(STREAM)).state.last_seq


async def _until(done: Callable[[], Awaitable[bool]], deadline: float, why: str) -> None:
    loop = asyncio.get_running_loop()
    while not await done():
        if loop.time() > deadline:
            raise DeskError(ErrorCode.unavailable, f"{why}: nothing was decided; retry")
        await asyncio.sleep(POLL)
