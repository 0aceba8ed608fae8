"""Failover of a writer: a standby started with the same settings waits, off the bus, while the
running one holds the store, and takes over when it ends; its store, its durable consumer and
its outbox carry on exactly once (docs/RELIABILITY.md, More than one of each)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from services.intake.entrypoint import IntakeService
from shared.kernel.clock import FixedClock
from shared.kernel.settings import Settings
from tests.conftest import SecuredNats
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration


async def test_a_standby_waits_for_the_running_writer_and_takes_over_exactly_once(
    desk: Desk, nats_server: SecuredNats, settings: Settings, clock: FixedClock
) -> None:
    running = IntakeService(settings, clock)
    await running.start(nats_server.url)
    standby = IntakeService(settings.model_copy(update={"standby": True}), clock)
    waiting = asyncio.create_task(standby.start(nats_server.url))
    try:
        first = await desk.command("hbw", "report", report_body("r-1", command_id="c-1"))
        await asyncio.sleep(1.5)
        assert not waiting.done() and standby.nc is None  # waiting, and not on the bus

        await running.stop()  # or it died: either way its locks go with it
        await asyncio.wait_for(waiting, 15)

        again = await desk.command("hbw", "report", report_body("r-1", command_id="c-1"))
        second = await desk.command("hbw", "report", report_body("r-2"))
        await eventually(lambda: _at_least(desk, 2))  # the relay publishes after the commit
        await asyncio.sleep(0.5)  # and publishes nothing twice meanwhile
        published = await _reported(desk)
    finally:
        await running.stop()
        if not waiting.done():
            waiting.cancel()
        await standby.stop()

    assert first["ok"] and again == first  # the repeat finds the first reply in the same store
    assert second["ticket_no"][-4:] == "0002"  # numbering carries on
    assert len(published) == 2  # each published once, across the takeover


async def _reported(desk: Desk) -> list[Any]:
    return [e for e in await desk.events() if e.subject.endswith("ticket.reported")]


async def _at_least(desk: Desk, count: int) -> bool:
    return len(await _reported(desk)) >= count
