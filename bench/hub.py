"""The benchmarks' bus: a closed hub as `propdesk up` runs it (every identity with its NKey, the
generated configuration, an account per site), and, only for comparison with the figures of
before the bus was closed, an open nats-server holding a copy of DESK.

The reads both modules measure:

- `direct_read`: DESK read as ops reads it (batched direct gets, shared/messaging/reader.py), the
way
  `propdesk replay` and `verify` read it; the raw rate a rebuild is compared with.
- `ordered_read`: an ordered consumer, the raw rate of the benchmarks before the bus was closed.
  No identity of a closed hub may create one (ops and analytics create no consumer, a service
  only its own durables), so it runs on an open server fed with the same messages.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nats.aio.client import Client

from propdesk.processes import stat
from propdesk.trust import Hub
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteConfig, SiteDirectory
from shared.messaging.bus import BusAccess, connect, ensure_stream
from shared.messaging.client import Bus
from shared.messaging.natsd import EmbeddedNats, free_port
from shared.messaging.reader import read_stream
from shared.messaging.subjects import EVENTS_ALL, STREAM


@dataclass
class ClosedHub:
    """A running closed hub; `settings` point the services and clients at its credentials and
    its site directory."""

    server: EmbeddedNats
    settings: Settings

    def __post_init__(self) -> None:
        # no reconnecting: a benchmark that loses the server should fail, not wait
        self.bus = Bus(self.url, self.settings, name="bench", max_reconnect_attempts=0)

    @property
    def url(self) -> str:
        return self.server.url

    async def connect(self, identity: str) -> Client:
        """A connection as `identity`, with its own credential."""
        return await self.bus.connection(identity)

    def server_cpu(self) -> float:
        """nats-server's CPU seconds so far (its /proc times)."""
        process = self.server.process
        line = stat(process.pid) if process is not None else None
        return line.cpu_seconds if line is not None else 0.0

    async def stop(self) -> None:
        await self.bus.close()
        await self.server.stop()


async def open_connection(url: str) -> Client:
    """A connection to an open nats-server (no identity, no credential): only for the figures
    compared with those of before the bus was closed."""
    return await connect(BusAccess(url, "bench", None), "bench-open", max_reconnect_attempts=0)


async def start_hub(root: Path, sites: Iterable[str]) -> ClosedHub:
    """A closed hub under `root` serving `sites`, started as tests/conftest.py's SecuredNats
    starts it: credentials issued, configuration generated, site directory saved."""
    settings = Settings(data_dir=root)
    directory = SiteDirectory(sites={site: SiteConfig() for site in sites})
    hub = Hub(settings)
    port = free_port()
    config = hub.prepare(directory, hub.embedded_options(port))
    directory.save(settings.sites_path)
    server = EmbeddedNats(hub.nats_dir, port, config=config)
    await server.start()
    return ClosedHub(server, settings)


async def direct_read(ops: Client, total: int) -> float:
    """Seconds to read DESK's first `total` messages with batched direct gets, doing nothing
    with them (ops's read: no consumer)."""
    read = 0
    t0 = time.perf_counter()
    async for batch in read_stream(ops, STREAM, total):
        read += len(batch)
    seconds = time.perf_counter() - t0
    assert read == total, (read, total)
    return seconds


async def ordered_read(js: Any, total: int) -> float:
    """Seconds to read DESK's first `total` messages with an ordered consumer, doing nothing."""
    sub = await js.subscribe(EVENTS_ALL, ordered_consumer=True, stream=STREAM)
    t0 = time.perf_counter()
    try:
        for _ in range(total):
            await sub.next_msg(timeout=10)
        return time.perf_counter() - t0
    finally:
        await sub.unsubscribe()


async def open_copy(ops: Client, total: int, store: Path, window: int = 512) -> EmbeddedNats:
    """An open nats-server (no configuration: no accounts, no credentials) whose DESK holds the
    same `total` messages as the closed hub's, same subjects, bytes and message ids, copied in
    order. For the ordered consumer's raw rate only."""
    server = EmbeddedNats(store, free_port())
    await server.start()
    nc = await open_connection(server.url)
    try:
        js = nc.jetstream()
        await ensure_stream(js)
        inflight: set[asyncio.Future[Any]] = set()
        async for batch in read_stream(ops, STREAM, total):
            for m in batch:
                msg_id = m.headers.get("Nats-Msg-Id")
                headers = {"Nats-Msg-Id": msg_id} if msg_id else None
                inflight.add(asyncio.ensure_future(js.publish(m.subject, m.data, headers=headers)))
                if len(inflight) >= window:
                    done, inflight = await asyncio.wait(
                        inflight, return_when=asyncio.FIRST_COMPLETED
                    )
                    for f in done:
                        f.result()
        for ack in await asyncio.gather(*inflight):
            assert not ack.duplicate
        copied = (await js.stream_info(STREAM)).state.messages
        assert copied == total, (copied, total)
    except BaseException:
        await nc.close()
        await server.stop()
        raise
    await nc.close()
    return server
