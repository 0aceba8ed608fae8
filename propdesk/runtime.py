"""`propdesk up` and `propdesk serve`: start services (and embedded nats-server), stop cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from pathlib import Path

from propdesk.monitor import Monitor, store_dir_of
from propdesk.trust import Hub, ensure_site_directory
from services.console.entrypoint import ConsoleProcess
from services.dispatch.entrypoint import DispatchService
from services.escalation.entrypoint import EscalationService
from services.intake.entrypoint import IntakeService
from services.reporting.entrypoint import ReportingService
from shared.eventstore.store import StoreInUse, StoreLock
from shared.kernel.clock import Clock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.logging import get_logger
from shared.messaging.natsd import EmbeddedNats
from shared.messaging.service import Service
from shared.messaging.tasks import cancel_and_wait

SERVICES: dict[str, type[Service]] = {
    "intake": IntakeService,
    "dispatch": DispatchService,
    "escalation": EscalationService,
    "reporting": ReportingService,
}

# the front desk's web console: a process beside the services, a client of their contract
# (services/console), started by `up` and `serve console`
CONSOLE = "console"

log = get_logger("propdesk")
SITES_POLL = 1.0  # seconds between looks at the site directory's modification time


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def build_services(names: list[str], settings: Settings, clock: Clock) -> list[Service]:
    return [SERVICES[name](settings, clock) for name in names]


class System:
    """The services (and, with `embedded`, nats-server under the data dir) of one process:
    `start` returns the NATS URL, `stop` stops whatever was started, also after a failed start.
    `run` (propdesk up/serve) and `propdesk demo` share it."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        names: list[str],
        *,
        embedded: bool,
        default_sites: bool = False,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.names = [name for name in names if name != CONSOLE]  # the bus's services
        self.with_console = CONSOLE in names
        self.console: ConsoleProcess | None = None
        self.embedded = embedded
        self.default_sites = default_sites  # `up`: write the default site directory if none
        self.natsd: EmbeddedNats | None = None
        self.services: list[Service] = []
        self._watching: asyncio.Task[None] | None = None
        self.monitor: Monitor | None = None
        self._nats_lock: StoreLock | None = None

    async def start(self) -> str:
        settings = self.settings
        if self.embedded:  # before anything of the data directory is touched
            self._nats_lock = _hold_nats_dir(Hub(settings).nats_dir)
        sites = ensure_site_directory(settings, write_default=self.default_sites)
        hub = Hub(settings)
        # health and metrics first: a port in use stops the start; /health says "starting"
        self.monitor = Monitor(
            self.services, settings, self.clock, names=self.names,
            store_dir=hub.nats_dir if self.embedded else store_dir_of(settings),
        )  # fmt: skip
        await self.monitor.start()
        if self.embedded:
            # a closed bus: a credential for every identity, and the configuration that grants
            # each its own work (docs/contract.md §22)
            options = hub.embedded_options(settings.nats_port, settings.jetstream_max_store)
            config = hub.prepare(sites, options)
            self.natsd = EmbeddedNats(hub.nats_dir, settings.nats_port, config=config)
            await self.natsd.start()
            url = self.natsd.url
            self._watching = asyncio.create_task(self._watch_sites(hub))
        else:
            assert settings.nats_url, "nats_url is required when not embedded"
            url = settings.nats_url
        services = build_services(self.names, settings, self.clock)
        for service in services:
            service.process = services  # a simulated clock waits for all of them
        for service in services:
            self.services.append(service)  # before start, so a half-started one is stopped too
            await service.start(url)
        if self.with_console:
            self.console = ConsoleProcess(self.settings, self.clock)
            await self.console.start(url)
        return url

    @property
    def console_url(self) -> str | None:
        return self.console.url if self.console is not None else None

    async def _watch_sites(self, hub: Hub) -> None:
        """A site directory edited by hand while `up` runs: its new sites get their desks'
        credentials, and the embedded server the configuration that names them (the services
        read the directory again by themselves)."""
        path = self.settings.sites_path
        seen = _stamp(path)
        while True:
            await asyncio.sleep(SITES_POLL)
            stamp = _stamp(path)
            if stamp == seen:
                continue
            seen = stamp
            try:
                sites = SiteDirectory.load(path)
                await asyncio.to_thread(hub.prepare, sites)
            except (OSError, ValueError) as exc:
                log.error("sites.unreadable", path=str(path), error=str(exc))
                continue
            assert self.natsd is not None
            await self.natsd.reload()
            log.info("nats.reloaded", sites=len(sites.sites))

    async def stop(self) -> None:
        if self.monitor is not None:  # no look at a store while it closes
            await self.monitor.stop()
            self.monitor = None
        if self.console is not None:  # first: no page sends a command to a stopping service
            await self.console.stop()
            self.console = None
        if self._watching is not None:
            await cancel_and_wait([self._watching])
            self._watching = None
        for service in reversed(self.services):
            with contextlib.suppress(Exception):
                await service.stop()
        self.services = []
        if self.natsd is not None:
            await self.natsd.stop()
            self.natsd = None
        if self._nats_lock is not None:
            self._nats_lock.release()
            self._nats_lock = None


def _hold_nats_dir(nats_dir: Path) -> StoreLock | None:
    """One embedded nats-server per data directory: a second `up` on it would start another
    server on the same JetStream store (and write its pid file) before finding the port taken."""
    nats_dir.mkdir(parents=True, exist_ok=True)
    lock = nats_dir / "nats-server.lock"
    try:
        return StoreLock.take(str(lock), "nats-server")
    except StoreInUse:
        raise StoreInUse(
            f"{nats_dir.parent} is in use by another `propdesk up` (it holds {lock}): "
            "one `up` per data directory"
        ) from None


async def run(
    settings: Settings,
    clock: Clock,
    names: list[str],
    *,
    embedded: bool,
    on_ready: Callable[[str, str | None], None],
    default_sites: bool = False,
) -> None:
    """Run until SIGINT or SIGTERM. With `embedded`, also run nats-server under the data dir.
    `on_ready` is told the NATS URL, and the console's URL when `names` has the console."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    system = System(settings, clock, names, embedded=embedded, default_sites=default_sites)

    async def start() -> None:
        on_ready(await system.start(), system.console_url)

    starting = asyncio.create_task(start())
    stopping = asyncio.create_task(stop.wait())
    try:
        # A signal while still starting (say, NATS not reachable yet) stops the start.
        await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if starting.done():
            starting.result()  # raise what made the start fail
            await stopping
        log.info("propdesk.stopping")
    finally:
        await cancel_and_wait([starting, stopping])
        await system.stop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
