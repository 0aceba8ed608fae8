"""The console as a process of its own (`propdesk up`, `propdesk serve console`): Starlette under
uvicorn on the event loop the services share, the desk's contract through the one client with
each site's identity, and the console's own store of accounts and sessions."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import socket
from collections.abc import Iterator
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from services.console.adapters.account_store import AccountStore
from services.console.adapters.desk import Desk
from services.console.adapters.http_pages import Pages
from services.console.adapters.live import feed
from services.console.application.accounts import Accounts
from services.console.application.front_desk import FrontDesk
from shared.kernel.clock import Clock, SystemClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory, WatchedDirectory
from shared.logging import get_logger
from shared.messaging.client import Bus

log = get_logger("console")


class _Server(uvicorn.Server):
    """uvicorn without its signal handlers: the process's own stop (propdesk/runtime.py) ends
    it."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def build_app(pages: Pages) -> Starlette:
    return Starlette(routes=pages.routes())


class ConsoleProcess:
    """`start` serves HTTP and returns the console's URL; `stop` ends it."""

    name = "console"

    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        sites: SiteDirectory | WatchedDirectory | None = None,
        *,
        session_clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.session_clock = session_clock or SystemClock()
        self.sites = sites or WatchedDirectory(settings.sites_path)
        self.store: AccountStore | None = None
        self.desk: Desk | None = None
        self.server: _Server | None = None
        self._serving: asyncio.Task[None] | None = None
        self._socket: socket.socket | None = None
        self.url = ""

    @property
    def store_path(self) -> Path:
        return self.settings.data_dir / "console" / "accounts.sqlite3"

    async def start(self, nats_url: str) -> str:
        self.store = AccountStore(self.store_path)
        bus = Bus(nats_url, self.settings, name="propdesk-console", creds=self.settings.creds)
        self.desk = Desk(bus)
        pages = Pages(
            Accounts(self.store, self.sites, self.session_clock),
            FrontDesk(self.desk, self.clock), self.sites, self.clock,
            live=functools.partial(feed, bus),
        )  # fmt: skip
        host, port = self.settings.console_host, self.settings.console_port
        self._socket = socket.create_server((host, port), reuse_port=False)
        bound = self._socket.getsockname()[1]
        config = uvicorn.Config(
            build_app(pages), log_config=None, access_log=False, lifespan="off",
            server_header=False, timeout_graceful_shutdown=2,
        )  # fmt: skip
        self.server = _Server(config)
        self._serving = asyncio.create_task(self.server.serve(sockets=[self._socket]))
        while not self.server.started:
            if self._serving.done():
                self._serving.result()  # raise what stopped it
                raise RuntimeError("the console stopped while starting")
            await asyncio.sleep(0.02)
        self.url = f"http://{host}:{bound}"
        log.info("console.started", url=self.url)
        return self.url

    async def stop(self) -> None:
        if self.server is not None and self._serving is not None:
            self.server.should_exit = True
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._serving, 5)
        self.server = self._serving = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self.desk is not None:
            await self.desk.close()
            self.desk = None
        if self.store is not None:
            self.store.close()
            self.store = None
        log.info("console.stopped")
