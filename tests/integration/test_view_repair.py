"""A corrupted reporting view is a disposable one: found at start and on error, rebuilt from DESK
at the replay's speed, and said so (log, health, metric)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from services.reporting.entrypoint import ReportingService
from services.reporting.ops.registry import PROJECTIONS
from shared.messaging.subjects import OPS_REPORTING_CHECKSUM
from tests.integration.support import Desk, eventually, report_tickets

pytestmark = pytest.mark.integration

TICKETS = PROJECTIONS["tickets"]


def corrupt(path: Path) -> None:
    """Overwrite a stretch in the middle of the file with garbage, as a failing disk would."""
    with sqlite3.connect(path) as db:  # everything into the main file first
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(size // 3)
        f.write(os.urandom(size // 3))


async def checksum(desk: Desk) -> dict:
    return await desk.request(OPS_REPORTING_CHECKSUM, {"projection": "tickets"})


async def ticket_list(desk: Desk) -> dict:
    return await desk.query("hbw", "ticket.list", {"limit": 100})


async def test_a_view_corrupted_while_reporting_was_stopped_is_rebuilt_at_start(
    desk: Desk, services, settings, clock
) -> None:
    reporting = services["reporting"]
    await report_tickets(desk, *(f"c{n}" for n in range(30)))
    await caught_up(desk, reporting, 30)
    before, listed = await checksum(desk), await ticket_list(desk)
    await reporting.stop()
    corrupt(TICKETS.path(settings.data_dir))

    restarted = ReportingService(settings, clock)
    services["reporting"] = restarted
    await restarted.start(desk.bus.url)

    async def answers() -> dict | None:
        reply = await ticket_list(desk)
        return reply if reply["ok"] else None

    assert await eventually(answers) == listed
    assert await checksum(desk) == before


async def caught_up(desk: Desk, reporting, events: int) -> None:
    """DESK holds `events` events and the ticket view reflects them all."""

    async def done() -> bool:
        count = await desk.stream_count()
        return count >= events and reporting.view.position() == count

    await eventually(done)


async def test_a_view_corrupted_while_reporting_runs_is_rebuilt_when_a_query_finds_it(
    desk: Desk, services, settings
) -> None:
    reporting = services["reporting"]
    await report_tickets(desk, *(f"c{n}" for n in range(30)))
    await caught_up(desk, reporting, 30)
    before, listed = await checksum(desk), await ticket_list(desk)

    corrupt(TICKETS.path(settings.data_dir))
    first = await ticket_list(desk)  # the query that finds it
    assert first["ok"] is False and first["error"]["code"] == "unavailable"

    async def answers() -> dict | None:
        reply = await ticket_list(desk)
        return reply if reply["ok"] else None

    assert await eventually(answers) == listed
    assert await checksum(desk) == before
    assert reporting.repairs["tickets"]["position"] == before["position"]
    # and it goes on following DESK
    (later,) = await report_tickets(desk, "after")
    assert (await desk.ticket("hbw", later))["ticket_id"] == later


async def test_a_view_corrupted_while_reporting_runs_is_rebuilt_when_the_inbox_finds_it(
    desk: Desk, services, settings
) -> None:
    reporting = services["reporting"]
    await report_tickets(desk, *(f"c{n}" for n in range(30)))
    await caught_up(desk, reporting, 30)

    corrupt(TICKETS.path(settings.data_dir))
    await report_tickets(desk, *(f"d{n}" for n in range(5)))  # the inbox applies them: it finds it

    await eventually(lambda: _repaired(reporting))
    await caught_up(desk, reporting, 35)
    listed = await ticket_list(desk)
    assert len(listed["tickets"]) == 35


async def _repaired(reporting) -> bool:
    return "tickets" in reporting.repairs
