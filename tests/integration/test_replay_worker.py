"""A large rebuild applies its batches in a worker process (services/reporting/ops/replay_worker.py)
while it reads the next ones: the view it builds must be the one built in one process, what it
cannot apply is parked as there, and a worker that fails leaves no file behind."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import nats
import pytest
from eventsourcing.persistence import InterfaceError
from nats.aio.client import Client

from services.reporting.ops.registry import PROJECTIONS
from services.reporting.ops.replay import rebuild
from services.reporting.ops.replay_worker import WorkerDied
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteDirectory
from shared.messaging.bus import ensure_stream
from shared.messaging.natsd import EmbeddedNats, free_port
from shared.messaging.subjects import STREAM
from tests.support.generated import GeneratedHistory

pytestmark = pytest.mark.integration

SITES = SiteDirectory(strict=False)
AT = datetime(2026, 12, 3, 9, tzinfo=UTC)
UNREADABLE = "desk.evt.hbw.ticket.reported"  # a type this version knows, a body it cannot read


class DyingClock(FixedClock):
    """A clock that ends the process asking it the time: the worker, when it parks."""

    def now(self) -> datetime:
        os._exit(1)


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Client]:
    """An open nats-server whose DESK holds a few days of two sites, as the services publish
    them, with an event no projection can apply among them."""
    server = EmbeddedNats(tmp_path / "nats", free_port())
    await server.start()
    nc = await nats.connect(server.url)
    js = nc.jetstream()
    await ensure_stream(js)
    history = GeneratedHistory(sites=2, seed=11)
    for day in range(3):
        history.day(day, tickets=10)
    for n, pending in enumerate(history.rest()):
        if n == 100:
            await js.publish(UNREADABLE, b'{"event_type": "ticket.reported"}', stream=STREAM)
        await js.publish(pending.subject, pending.payload, stream=STREAM)
    yield nc
    await nc.close()
    await server.stop()


@pytest.mark.parametrize("name", list(PROJECTIONS))
async def test_a_view_applied_in_a_worker_is_the_view_applied_in_one_process(
    desk: Client, tmp_path: Path, name: str
) -> None:
    seen: list[int] = []
    clock = FixedClock(AT)

    here = await rebuild(desk, name, tmp_path / "here.sqlite3", sites=SITES, clock=clock)
    there = await rebuild(
        desk,
        name,
        tmp_path / "there.sqlite3",
        progress=lambda seq, _: seen.append(seq),
        sites=SITES,
        batch=64,
        clock=clock,
        worker=True,
    )
    parked = PROJECTIONS[name].open(str(tmp_path / "there.sqlite3"), SITES).parked()

    assert here.events == there.events == there.position > 300
    assert here.checksum == there.checksum  # the parked event included, stamped by `clock`
    assert seen[0] == 0 and seen[-1] == there.position and seen == sorted(seen)
    assert len(seen) > there.events // 64
    assert [p["seq"] for p in parked] == [101]
    assert not (tmp_path / "there.sqlite3-wal").exists()  # closed by the worker


async def test_a_worker_that_cannot_build_the_view_fails_the_rebuild_and_leaves_no_file(
    desk: Client, tmp_path: Path
) -> None:
    path = tmp_path / "missing" / "view.sqlite3"  # a directory that is not there
    with pytest.raises(InterfaceError) as here:
        await rebuild(desk, "tickets", path, sites=SITES, worker=False)

    with pytest.raises(InterfaceError) as there:
        await rebuild(desk, "tickets", path, sites=SITES, worker=True)

    assert str(there.value) == str(here.value)  # the worker's own error, as in one process
    assert not path.exists()


async def test_a_worker_that_dies_fails_the_rebuild_and_leaves_no_file(
    desk: Client, tmp_path: Path
) -> None:
    path = tmp_path / "view.sqlite3"

    with pytest.raises(WorkerDied):
        await rebuild(desk, "tickets", path, sites=SITES, clock=DyingClock(AT), worker=True)

    assert not path.exists()
