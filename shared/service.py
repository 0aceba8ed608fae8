"""What every PropDesk service process has in common: a NATS connection, a FastStream broker for
request/reply, background tasks (relay, inbox), and an orderly stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Coroutine
from typing import Any

from faststream.nats import NatsBroker, NatsRouter
from nats.aio.client import Client
from nats.js import JetStreamContext

from shared.bus import connect, ensure_stream
from shared.clock import Clock
from shared.logging import get_logger
from shared.settings import Settings
from shared.sites import SiteDirectory


class Service(ABC):
    name: str

    def __init__(
        self, settings: Settings, clock: Clock, sites: SiteDirectory | None = None
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.sites = sites or SiteDirectory.load(settings.sites_file)
        self.log = get_logger(self.name)
        self.nc: Client | None = None
        self.js: JetStreamContext | None = None
        self.broker: NatsBroker | None = None
        self._tasks: list[asyncio.Task[Any]] = []

    @abstractmethod
    def router(self) -> NatsRouter:
        """The service's subjects. Built without any I/O, so AsyncAPI can be generated from it."""

    @abstractmethod
    def open_stores(self) -> None:
        """Open the service's own stores (before any message is handled)."""

    @abstractmethod
    def close_stores(self) -> None:
        """Close the stores opened by open_stores."""

    def background(self) -> list[Coroutine[Any, Any, None]]:
        """Long-running tasks (relay, inbox) started once the service is connected."""
        return []

    async def start(self, nats_url: str) -> None:
        self.open_stores()
        self.nc = await connect(nats_url, f"propdesk-{self.name}")
        self.js = self.nc.jetstream()
        await ensure_stream(self.js)
        self.broker = NatsBroker(
            nats_url,
            name=f"propdesk-{self.name}-rpc",
            apply_types=False,
            logger=self.log,
            log_level=logging.DEBUG,
            graceful_timeout=5.0,
        )
        self.broker.include_router(self.router())
        await self.broker.start()
        self._tasks = [asyncio.create_task(coro) for coro in self.background()]
        self.log.info("service.started", service=self.name)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
        if self.broker is not None:
            await self.broker.stop()
            self.broker = None
        if self.nc is not None:
            with contextlib.suppress(Exception):
                await self.nc.drain()
            self.nc = None
        self.close_stores()
        self.log.info("service.stopped", service=self.name)
