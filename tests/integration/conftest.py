"""Integration fixtures: the real services in-process, real SQLite stores, a real nats-server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from propdesk.runtime import SERVICES
from services.dispatch.entrypoint import DispatchService
from services.intake.entrypoint import IntakeService
from services.reporting.entrypoint import ReportingService
from shared.kernel.clock import FixedClock, SimulatedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.client import Bus
from shared.messaging.natsd import free_port
from shared.messaging.service import Service
from tests.conftest import BUS_SITES, SecuredNats, bus_root
from tests.integration.support import START, Desk
from tests.integration.webhook import Hook, served


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def settings(tmp_path: Path, store_settings: dict[str, Any]) -> Settings:
    """The services' settings: their own data directory and store (SQLite, or a database of
    its own on the session's PostgreSQL); the credentials and the site directory of the test's
    bus (tests/conftest.py); a console on a free port (the suite's workers start consoles at the
    same time)."""
    bus = bus_root(tmp_path)
    return Settings(
        data_dir=tmp_path / "data",
        credentials_dir=bus / "credentials",
        sites_file=bus / "sites.json",
        console_port=free_port(),
        **store_settings,
    )


@pytest.fixture(autouse=True)
def bus_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's functions called in-process (replay, verify, report …) find the test bus's
    credentials as an operator's shell would: through the environment."""
    monkeypatch.setenv("PROPDESK_CREDENTIALS_DIR", str(bus_root(tmp_path) / "credentials"))
    monkeypatch.setenv("PROPDESK_SITES_FILE", str(bus_root(tmp_path) / "sites.json"))


@pytest.fixture
async def desk(nats_server: SecuredNats) -> AsyncIterator[Desk]:
    desk = Desk(Bus(nats_server.url, nats_server.bus_settings, name="test-desk"))
    await desk.listen(BUS_SITES.sites)
    yield desk
    await desk.bus.close()


@pytest.fixture
async def services(
    nats_server: SecuredNats, settings: Settings, clock: FixedClock
) -> AsyncIterator[dict[str, Any]]:
    started = {
        "intake": IntakeService(settings, clock),
        "dispatch": DispatchService(settings, clock),
        "reporting": ReportingService(settings, clock),
    }
    for service in started.values():
        await service.start(nats_server.url)
    yield started
    for service in started.values():
        await service.stop()


# -- the escalation drills: every service on one simulated clock -----------------------------

DRILL_SITES = SiteDirectory.model_validate(
    {
        "sites": {
            "hbw": {"name": "Harbour View"},
            # counts office hours on working days, 08:30–17:30 (mainland holidays, 调休)
            "ohs": {
                "name": "Office-hours site",
                "sla": {
                    "counting": "office_hours",
                    "office_hours": {"opens": "08:30", "closes": "17:30"},
                },
            },
        }
    }
)


@pytest.fixture
def sim_clock(request: pytest.FixtureRequest) -> SimulatedClock:
    """The drill's simulated clock, at the test module's `CLOCK_STARTS` if it names one."""
    return SimulatedClock(getattr(request.module, "CLOCK_STARTS", START))


@pytest.fixture
def drill_sites() -> SiteDirectory:
    """The sites the drill's services serve (a test module overrides it for its own sites)."""
    return DRILL_SITES


@pytest.fixture
async def drill_services(
    nats_server: SecuredNats,
    settings: Settings,
    sim_clock: SimulatedClock,
    drill_sites: SiteDirectory,
) -> AsyncIterator[Callable[..., Awaitable[dict[str, Service]]]]:
    """Start services (default: all four) on the simulated clock, as one process would (the
    clock waits for all of them); stopped at the end."""
    running: dict[str, Service] = {}
    process: list[Service] = []

    async def start(*names: str) -> dict[str, Service]:
        for name in names or tuple(SERVICES):
            service = SERVICES[name](settings, sim_clock, drill_sites)
            running[name] = service
            process.append(service)
            service.process = process
            await service.start(nats_server.url)
        return running

    yield start
    for service in reversed(list(running.values())):
        await service.stop()


@pytest.fixture
def hook() -> Iterator[Hook]:
    """A local webhook the notification channel posts to (tests/integration/webhook.py)."""
    with served() as hook:
        yield hook
