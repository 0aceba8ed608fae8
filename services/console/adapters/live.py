"""Live updates (server-sent events): a page that shows the desk's state subscribes to `/live`,
which is fed by a NATS subscription, as the site's desk, to the site's notices and events (both
allowed to a site's identity, contract §22). The browser is told only that something changed, and
the role of a new notice; it reads what changed through the pages, as always."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from shared.messaging import subjects
from shared.messaging.client import Bus
from shared.messaging.identity import site_identity

HEARTBEAT = 15.0  # seconds: a comment line keeps proxies from closing an idle stream


async def feed(bus: Bus, site: str, role: str) -> AsyncIterator[bytes]:
    """`event: changed` when an event of the site is published (at most one a second), `event:
    notice` when a notice goes to `role`."""
    queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue(maxsize=100)
    nc = await bus.connection(site_identity(site))

    async def heard(msg: Any) -> None:
        if msg.subject.startswith(subjects.notice(site, "")):
            try:
                notice = json.loads(msg.data)
            except ValueError:
                return
            if notice.get("role") == role:
                kind, data = "notice", {"ticket_no": notice.get("ticket_no"), "role": role}
            else:
                kind, data = "changed", {}
        else:
            kind, data = "changed", {"event_type": subjects.event_type_of(msg.subject)}
        with contextlib.suppress(asyncio.QueueFull):  # a slow page misses nothing it needs
            queue.put_nowait((kind, data))

    subscriptions = [
        await nc.subscribe(subjects.notice(site, ">"), cb=heard),
        await nc.subscribe(subjects.site_events(site), cb=heard),
    ]
    try:
        yield b"retry: 5000\n\n"
        while True:
            try:
                kind, data = await asyncio.wait_for(queue.get(), HEARTBEAT)
            except TimeoutError:
                yield b": still here\n\n"
                continue
            await asyncio.sleep(1.0)  # one message for a burst of events (a command makes several)
            while not queue.empty():
                later, later_data = queue.get_nowait()
                if later == "notice":
                    kind, data = later, later_data
            yield f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()
    finally:
        for subscription in subscriptions:
            with contextlib.suppress(Exception):
                await subscription.unsubscribe()
