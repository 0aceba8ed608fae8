"""`propdesk up` and `propdesk serve`: start services (and embedded nats-server), stop cleanly.

The services run in this process, or (`separate`: `up` with the system clock) each in a process
of its own (propdesk/children.py). A simulated clock lives in memory and is shared by the services
(shared/messaging/catchup.py): `up --clock simulated` and `propdesk demo` keep them in one."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import shutil
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from propdesk.children import Backoff, ChildProcess, start_together, warm_up
from propdesk.console_health import CONSOLE  # the front desk's web console: beside the services
from propdesk.merged_health import ChildrenMonitor
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


class Part(Protocol):
    """What a System starts and stops: a service, the console, or either as a child process."""

    name: str

    async def start(self, nats_url: str) -> object: ...

    async def stop(self) -> None: ...


class System:
    """The services (and, with `embedded`, nats-server under the data dir) of one `up` or `serve`:
    `start` returns the NATS URL, `stop` stops whatever was started, also after a failed start.
    `run` (propdesk up/serve) and `propdesk demo` share it. With `separate`, each service and the
    console run as a child process (propdesk/children.py) and /health merges theirs."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        names: list[str],
        *,
        embedded: bool,
        default_sites: bool = False,
        separate: bool = False,
        alerts: bool = True,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.names = [name for name in names if name != CONSOLE]  # the bus's services
        self.with_console = CONSOLE in names
        self.embedded = embedded
        self.default_sites = default_sites  # `up`: write the default site directory if none
        self.separate = separate
        self.alerts = alerts  # this process's monitor alerts ops (`serve --no-alerts`: not)
        self.natsd: EmbeddedNats | None = None
        # started in this order, stopped in the reverse one: the services, then the console
        # (stopped first: no page sends a command to a stopping service)
        self.parts: list[Part] = []
        self.services: list[Service] = []  # those of this process, which its monitor reads
        self.failure: asyncio.Future[BaseException] | None = None  # a child that cannot go on
        self._watching: asyncio.Task[None] | None = None
        self._keeping_nats: asyncio.Task[None] | None = None
        self.monitor: Monitor | ChildrenMonitor | None = None
        self._nats_lock: StoreLock | None = None
        self._metrics_dir: Path | None = None

    async def start(self) -> str:
        settings = self.settings
        if self.separate:  # the children's fork server, and where they count (System.stop drops it)
            self._metrics_dir = warm_up(settings.metrics_port is not None)
        if self.embedded:  # before anything of the data directory is touched
            self._nats_lock = _hold_nats_dir(Hub(settings).nats_dir)
        sites = ensure_site_directory(settings, write_default=self.default_sites)
        hub = Hub(settings)
        self.failure = asyncio.get_running_loop().create_future()
        # health and metrics first: a port in use stops the start; /health says "starting"
        self.monitor = self._monitor(hub.nats_dir if self.embedded else store_dir_of(settings))
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
            self._keeping_nats = asyncio.create_task(self._keep_nats(self.natsd))
        else:
            assert settings.nats_url, "nats_url is required when not embedded"
            url = settings.nats_url
        if self.separate:
            children = self._children()
            self.parts.extend(children)  # before start, so a half-started one is stopped too
            await start_together(children, url)
            return url
        services = build_services(self.names, settings, self.clock)
        for service in services:
            service.process = services  # a simulated clock waits for all of them
        console = [ConsoleProcess(settings, self.clock)] if self.with_console else []
        for part in [*services, *console]:
            self.parts.append(part)  # before start, so a half-started one is stopped too
            if isinstance(part, Service):
                self.services.append(part)
            await part.start(url)
        return url

    def _monitor(self, store_dir: Path | None) -> Monitor | ChildrenMonitor:
        console = (lambda: self.console_url) if self.with_console else None
        if not self.separate:
            return Monitor(
                self.services, self.settings, self.clock, names=self.names,
                store_dir=store_dir, alerts=self.alerts, console=console,
            )  # fmt: skip
        return ChildrenMonitor(
            self.parts, self.settings, self.clock, self.names, self._metrics_dir, console=console
        )

    def _children(self) -> list[ChildProcess]:
        names = [*self.names, CONSOLE] if self.with_console else self.names
        watcher = self.names[0]  # one child watches the JetStream store and alerts ops
        metrics = self._metrics_dir  # the console counts nothing (/health asks it over HTTP)
        child = functools.partial(ChildProcess, self.settings, on_fatal=self._fail)
        return [
            child(name, alerts=name == watcher, metrics_dir=None if name == CONSOLE else metrics)
            for name in names
        ]

    def _fail(self, exc: BaseException) -> None:
        if self.failure is not None and not self.failure.done():
            self.failure.set_result(exc)

    @property
    def console_url(self) -> str | None:
        return next((p.url for p in self.parts if isinstance(p, ConsoleProcess | ChildProcess)
                     and p.name == CONSOLE), None)  # fmt: skip

    @property
    def health_url(self) -> str | None:
        server = self.monitor.server if self.monitor is not None else None
        return f"http://{self.settings.metrics_host}:{server.port}" if server else None

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

    async def _keep_nats(self, natsd: EmbeddedNats) -> None:
        """The embedded nats-server killed or crashed: said at error level (`nats.died`, its exit
        code) and started again on its store and configuration, after 0.5 s doubling to 30 s while
        it keeps dying, as a child service is; the services reconnect by themselves. Before, `up`
        said nothing and started nothing: every service logged reconnect errors for ever."""
        backoff = Backoff()
        while True:
            assert natsd.process is not None
            pid, code = natsd.process.pid, await natsd.process.wait()
            log.error("nats.died", pid=pid, exit_code=code, restart_in=backoff.died(),
                      log_file=str(natsd.log_file))  # fmt: skip
            while True:
                await backoff.pause()
                try:
                    await natsd.start()
                except (OSError, RuntimeError, TimeoutError) as exc:
                    log.error("nats.restart_failed", error=str(exc), restart_in=backoff.delay)
                    continue
                break
            backoff.started()
            log.info("nats.restarted", pid=natsd.process.pid, url=natsd.url)

    async def stop(self) -> None:
        if self._keeping_nats is not None:  # a server stopped now is not started again
            await cancel_and_wait([self._keeping_nats])
            self._keeping_nats = None
        if self.monitor is not None:  # no look at a store while it closes
            await self.monitor.stop()
            self.monitor = None
        if self._watching is not None:
            await cancel_and_wait([self._watching])
            self._watching = None
        for part in reversed(self.parts):  # the console first, then the services
            with contextlib.suppress(Exception):
                await part.stop()
        self.parts, self.services = [], []
        if self.natsd is not None:
            await self.natsd.stop()
            self.natsd = None
        if self._nats_lock is not None:
            self._nats_lock.release()
            self._nats_lock = None
        if self._metrics_dir is not None:
            shutil.rmtree(self._metrics_dir, ignore_errors=True)
            self._metrics_dir = None


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
    on_ready: Callable[[str, System], None],
    **options: bool,
) -> None:
    """Run until SIGINT or SIGTERM, or until a child process cannot go on (`separate`). With
    `embedded`, also run nats-server under the data dir. `on_ready` is told the NATS URL and the
    started system (its console's URL, its /health's). `options`: System's."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    system = System(settings, clock, names, embedded=embedded, **options)

    async def start() -> None:
        url = await system.start()
        # What starting made (modules, schemas, the stores' caches) lives as long as the
        # process: out of the collector's sight, a full collection walks only what serving
        # keeps, and no longer stops every request for tens to hundreds of milliseconds
        # (docs/PERFORMANCE.md, session 7).
        gc.collect()
        gc.freeze()
        on_ready(url, system)

    starting = asyncio.create_task(start())
    stopping = asyncio.create_task(stop.wait())
    try:
        # A signal while still starting (say, NATS not reachable yet) stops the start.
        await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if starting.done():
            starting.result()  # raise what made the start fail
            assert system.failure is not None
            await asyncio.wait({stopping, system.failure}, return_when=asyncio.FIRST_COMPLETED)
        log.info("propdesk.stopping")
    finally:
        await cancel_and_wait([starting, stopping])
        await system.stop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    if system.failure is not None and system.failure.done():
        raise system.failure.result()
