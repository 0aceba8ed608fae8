"""The one client of the desk's subjects: every tool PropDesk ships (CLI, demo, benchmarks,
tests) sends its requests and reads DESK through `Bus`.

A subject says which identity may send it (docs/contract.md §22): a site's commands and queries
its desk (`site-<site>`), the company's reports analytics, the operators' subjects and the
simulated clock ops. `Bus` opens one connection per identity it needs, on first use, each with
that identity's credential.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from nats.aio.client import Client

from shared.kernel.settings import Settings
from shared.messaging.bus import access_for, connect
from shared.messaging.identity import ANALYTICS, OPS, is_identity, site_identity
from shared.messaging.reader import Stored, read_stream
from shared.messaging.subjects import COMPANY, SIM_CLOCK_SET, STREAM


def identity_for(subject: str) -> str:
    """The identity that sends (or, for notices and events, receives) `subject`."""
    parts = subject.split(".")
    if subject == SIM_CLOCK_SET or parts[:2] == ["desk", "ops"]:
        return OPS
    if len(parts) > 2 and parts[0] == "desk" and parts[1] in ("cmd", "qry", "ntf", "evt"):
        return ANALYTICS if parts[2] == COMPANY else site_identity(parts[2])
    raise ValueError(f"no identity sends {subject!r}")


class Bus:
    """Connections to the bus, one per identity. `creds` overrides every identity's own file
    (a person who holds one credential file: `--creds`)."""

    def __init__(
        self,
        url: str,
        settings: Settings | None = None,
        *,
        name: str = "propdesk",
        creds: Path | None = None,
        **connect_options: Any,
    ) -> None:
        self.url = url
        self.settings = settings or Settings()
        self.name = name
        self.creds = creds
        self.connect_options = connect_options
        self._connections: dict[str, Client] = {}
        self._opening: dict[str, asyncio.Lock] = {}

    async def connection(self, identity: str) -> Client:
        if self.creds is not None and is_identity(self.creds.stem):
            identity = self.creds.stem  # a file named for its identity (propdesk issues them so)
        lock = self._opening.setdefault(identity, asyncio.Lock())
        async with lock:
            nc = self._connections.get(identity)
            if nc is None or nc.is_closed:
                access = access_for(identity, self.url, self.settings, self.creds)
                nc = await connect(access, f"{self.name}-{identity}", **self.connect_options)
                self._connections[identity] = nc
            return nc

    async def request(
        self, subject: str, body: bytes | dict[str, Any], timeout: float = 5.0
    ) -> dict[str, Any]:
        """Send a request as the identity its subject calls for; the reply's JSON."""
        nc = await self.connection(identity_for(subject))
        payload = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        msg = await nc.request(subject, payload, timeout=timeout)
        return json.loads(msg.data)

    async def read_desk(
        self, *, start: int = 1, upto: int | None = None, subject: str | None = None
    ) -> AsyncIterator[list[Stored]]:
        """DESK's messages as ops reads them (direct gets; no consumer is created)."""
        nc = await self.connection(OPS)
        if upto is None:
            upto = (await nc.jetstream().stream_info(STREAM)).state.last_seq
        async for batch in read_stream(nc, STREAM, upto, start=start, subject=subject):
            yield batch

    async def close(self) -> None:
        for nc in self._connections.values():
            with contextlib.suppress(Exception):
                await nc.close()
        self._connections = {}

    async def __aenter__(self) -> Bus:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()
