"""One of each: a second copy of a service refuses to start, on the same data directory (its
store's lock) and on another one on the same bus (the claim on its name), and the first copy
keeps serving alone."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from propdesk.runtime import SERVICES
from shared.eventstore.store import StoreInUse
from shared.kernel.clock import FixedClock
from shared.kernel.settings import Settings
from shared.messaging.instance import AlreadyRunning
from shared.messaging.service import Service
from tests.conftest import SecuredNats
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

NAMES = list(SERVICES)


def elsewhere(settings: Settings, tmp_path: Path) -> Settings:
    """The same bus and credentials, another data directory (another host, say)."""
    return settings.model_copy(update={"data_dir": tmp_path / "elsewhere"})


@pytest.fixture
async def first(
    nats_server: SecuredNats, settings: Settings, clock: FixedClock
) -> dict[str, Service]:
    running = {name: SERVICES[name](settings, clock) for name in NAMES}
    for service in running.values():
        await service.start(nats_server.url)
    yield running
    for service in running.values():
        await service.stop()


@pytest.mark.parametrize("name", NAMES)
async def test_a_second_copy_on_the_same_data_directory_is_refused(
    nats_server: SecuredNats, settings: Settings, clock: FixedClock, first, name: str
) -> None:
    second = SERVICES[name](settings, clock)
    with pytest.raises(StoreInUse, match=f"{name}'s store is in use by another process"):
        await second.start(nats_server.url)
    await second.stop()
    assert second.nc is None  # it never went on the bus


@pytest.mark.parametrize("name", NAMES)
async def test_a_second_copy_with_another_data_directory_on_the_bus_is_refused(
    nats_server: SecuredNats, settings: Settings, clock: FixedClock, first, tmp_path, name: str
) -> None:
    second = SERVICES[name](elsewhere(settings, tmp_path), clock)
    with pytest.raises(AlreadyRunning, match=str(settings.data_dir.resolve())):
        await second.start(nats_server.url)
    await second.stop()
    assert second.broker is None  # it answered nothing


async def test_the_first_copy_answers_alone_after_a_second_was_refused(
    desk: Desk, nats_server: SecuredNats, settings: Settings, clock: FixedClock, first, tmp_path
) -> None:
    second = SERVICES["intake"](elsewhere(settings, tmp_path), clock)
    with pytest.raises(AlreadyRunning):
        await second.start(nats_server.url)
    await second.stop()

    numbers = [
        (await desk.command("hbw", "report", report_body(f"r-{n}")))["ticket_no"]
        for n in range(1, 4)
    ]

    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003"]

    async def published() -> bool:  # the relay publishes after the reply
        return await desk.stream_count() >= 3

    await eventually(published)


async def test_of_two_copies_started_at_the_same_moment_at_most_one_runs(
    nats_server: SecuredNats, settings: Settings, clock: FixedClock, tmp_path
) -> None:
    for attempt in range(3):
        copies = [
            SERVICES["dispatch"](elsewhere(settings, tmp_path / f"{attempt}-{n}"), clock)
            for n in range(2)
        ]
        started = await asyncio.gather(
            *(c.start(nats_server.url) for c in copies), return_exceptions=True
        )
        for copy in copies:
            await copy.stop()

        assert all(r is None or isinstance(r, AlreadyRunning) for r in started), started
        assert sum(r is None for r in started) <= 1
