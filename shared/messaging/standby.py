"""A writer's standby (settings.standby: `propdesk serve <service> --standby`): started with the
same settings as the running one, it waits, off the bus, while that one holds the store (its
flock, and on PostgreSQL its advisory lock: shared/eventstore/writer_lock.py), then starts as
the service. Without standby, a held store or a taken name refuses the start at once.

What it takes over carries on exactly once: the store is the same, the durable consumer resumes
after the last position recorded in it, and the outbox relay after the last event it published
(its Nats-Msg-Id dedupes one published again)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from nats.aio.client import Client
from nats.aio.subscription import Subscription

from shared.eventstore.store import StoreInUse
from shared.messaging.instance import AlreadyRunning, Instance, claim

if TYPE_CHECKING:
    from shared.messaging.service import Service

POLL = 1.0  # seconds between a standby's looks


async def take_stores(service: Service) -> None:
    """Open the service's stores; a standby waits while another process holds them."""

    async def open_stores() -> None:
        service.open_stores()

    if await _wait_turn(service, open_stores, StoreInUse, "service.standby"):
        service.log.warning("service.taking_over", service=service.name)


async def claim_name(service: Service, nc: Client, me: Instance) -> Subscription:
    """The service's name on the bus (shared/messaging/instance.py). A standby that took over
    the store keeps asking while the bus still names the one it replaces: a process whose host
    vanished keeps its name until nats-server finds its connection dead."""
    claimed: list[Subscription] = []

    async def take_name() -> None:
        claimed.append(await claim(nc, me))

    await _wait_turn(service, take_name, AlreadyRunning, "service.standby_claim")
    return claimed[0]


async def _wait_turn(
    service: Service,
    attempt: Callable[[], Awaitable[None]],
    held: type[Exception],
    said: str,
) -> bool:
    """Try until `attempt` is not refused with `held`; only a standby tries again (saying so
    once), anything else is refused at once. True when it had to wait."""
    waiting = False
    while True:
        try:
            await attempt()
            return waiting
        except held as exc:
            if not service.settings.standby:
                raise
            if not waiting:
                service.log.warning(said, service=service.name, held=str(exc))
                waiting = True
        await asyncio.sleep(POLL)
