"""Integration fixtures: the real services in-process, real SQLite stores, a real nats-server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import nats
import pytest

from services.dispatch.entrypoint import DispatchService
from services.intake.entrypoint import IntakeService
from services.reporting.entrypoint import ReportingService
from shared.clock import FixedClock
from shared.natsd import EmbeddedNats
from shared.settings import Settings
from tests.integration.support import START, Desk


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
async def desk(nats_server: EmbeddedNats) -> AsyncIterator[Desk]:
    nc = await nats.connect(nats_server.url)
    yield Desk(nc)
    await nc.close()


@pytest.fixture
async def services(
    nats_server: EmbeddedNats, settings: Settings, clock: FixedClock
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
