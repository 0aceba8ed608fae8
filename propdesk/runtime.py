"""`propdesk up` and `propdesk serve`: start services (and embedded nats-server), stop cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable

from services.dispatch.entrypoint import DispatchService
from services.escalation.entrypoint import EscalationService
from services.intake.entrypoint import IntakeService
from services.reporting.entrypoint import ReportingService
from shared.clock import Clock
from shared.logging import get_logger
from shared.natsd import EmbeddedNats
from shared.service import Service
from shared.settings import Settings
from shared.tasks import cancel_and_wait

SERVICES: dict[str, type[Service]] = {
    "intake": IntakeService,
    "dispatch": DispatchService,
    "escalation": EscalationService,
    "reporting": ReportingService,
}

log = get_logger("propdesk")


def build_services(names: list[str], settings: Settings, clock: Clock) -> list[Service]:
    return [SERVICES[name](settings, clock) for name in names]


class System:
    """The services (and, with `embedded`, nats-server under the data dir) of one process:
    `start` returns the NATS URL, `stop` stops whatever was started, also after a failed start.
    `run` (propdesk up/serve) and `propdesk demo` share it."""

    def __init__(
        self, settings: Settings, clock: Clock, names: list[str], *, embedded: bool
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.names = names
        self.embedded = embedded
        self.natsd: EmbeddedNats | None = None
        self.services: list[Service] = []

    async def start(self) -> str:
        from propdesk.trust import Hub, ensure_site_directory

        settings = self.settings
        sites = ensure_site_directory(settings)
        if self.embedded:
            # a closed bus: a credential for every identity, and the configuration that grants
            # each its own work (docs/contract.md §22)
            hub = Hub(settings)
            config = hub.prepare(sites, hub.embedded_options(settings.nats_port))
            self.natsd = EmbeddedNats(hub.nats_dir, settings.nats_port, config=config)
            await self.natsd.start()
            url = self.natsd.url
        else:
            assert settings.nats_url, "nats_url is required when not embedded"
            url = settings.nats_url
        for service in build_services(self.names, settings, self.clock):
            self.services.append(service)  # before start, so a half-started one is stopped too
            await service.start(url)
        return url

    def relaying(self) -> bool:
        """Whether a service of this process has recorded events its relay has not published."""
        relays = (getattr(s, "relay", None) for s in self.services)
        return any(r.pending() for r in relays if r is not None)

    async def stop(self) -> None:
        for service in reversed(self.services):
            with contextlib.suppress(Exception):
                await service.stop()
        self.services = []
        if self.natsd is not None:
            await self.natsd.stop()
            self.natsd = None


async def run(
    settings: Settings,
    clock: Clock,
    names: list[str],
    *,
    embedded: bool,
    on_ready: Callable[[str], None],
) -> None:
    """Run until SIGINT or SIGTERM. With `embedded`, also run nats-server under the data dir."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    system = System(settings, clock, names, embedded=embedded)

    async def start() -> None:
        on_ready(await system.start())

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
