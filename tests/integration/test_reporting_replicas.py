"""More than one reporting: replicas, each with its own views and durable consumers on one bus,
answer the queries as one queue group; with one stopped the other answers, and a restarted one
catches up from its own position (docs/RELIABILITY.md, More than one of each)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from propdesk.cli import parked as parked_cli
from propdesk.cli import stream as stream_cli
from propdesk.cli.rebuild import reporting_ops
from propdesk.cli.replay import replay_view
from propdesk.cli.verify import verify_view
from services.dispatch.entrypoint import DispatchService
from services.intake.entrypoint import IntakeService
from services.reporting.entrypoint import ReportingService
from services.reporting.ops.registry import PROJECTIONS
from services.reporting.ops.replay import rebuild_path
from shared.kernel.clock import FixedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging import subjects
from shared.messaging.identity import ANALYTICS
from shared.messaging.subjects import STREAM
from tests.conftest import BUS_SITES, SecuredNats, bus_root
from tests.integration.support import Desk, eventually, report_tickets

pytestmark = pytest.mark.integration

REPLICA = "b"
QUALITY = subjects.query(subjects.COMPANY, "report.quality")


@pytest.fixture
async def nats_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """The test bus, whose hub grants reporting's replica `b` (PROPDESK_REPORTING_REPLICAS)."""
    monkeypatch.setenv("PROPDESK_REPORTING_REPLICAS", REPLICA)
    server = SecuredNats(bus_root(tmp_path), BUS_SITES)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def writers(
    nats_server: SecuredNats, settings: Settings, clock: FixedClock
) -> AsyncIterator[None]:
    started = [IntakeService(settings, clock), DispatchService(settings, clock)]
    for service in started:
        await service.start(nats_server.url)
    yield
    for service in started:
        await service.stop()


class Replicas:
    """The two reporting replicas of the test, started and stopped as a story needs."""

    def __init__(self, url: str, settings: Settings, clock: FixedClock) -> None:
        self.url, self.clock = url, clock
        self.settings = {
            None: settings,
            REPLICA: settings.model_copy(update={"replica": REPLICA}),  # same data directory
        }
        self.running: dict[str | None, ReportingService] = {}

    async def start(self, replica: str | None) -> ReportingService:
        service = ReportingService(self.settings[replica], self.clock)
        self.running[replica] = service
        await service.start(self.url)
        return service

    async def stop(self, replica: str | None) -> None:
        await self.running.pop(replica).stop()


@pytest.fixture
async def replicas(
    nats_server: SecuredNats, settings: Settings, clock: FixedClock, writers: None
) -> AsyncIterator[Replicas]:
    both = Replicas(nats_server.url, settings, clock)
    for replica in (None, REPLICA):
        await both.start(replica)
    yield both
    for replica in list(both.running):
        await both.stop(replica)


async def view_state(desk: Desk, replica: str | None, projection: str) -> dict[str, Any]:
    """What a replica's own ops subject says of its view (desk.ops.reporting[.<replica>].…)."""
    reply = await desk.request(reporting_ops(replica, "checksum"), {"projection": projection})
    assert reply["ok"], reply
    return reply


async def caught_up(desk: Desk, *names: str | None) -> dict[str, str]:
    """Every view of the replicas `names` reflects all of DESK, and they agree row for row."""

    async def done() -> dict[str, str] | None:
        count = await desk.stream_count()
        sums = {}
        for projection in PROJECTIONS:
            states = [await view_state(desk, name, projection) for name in names]
            if any(s["position"] != count for s in states):
                return None
            assert len({s["checksum"] for s in states}) == 1, states
            sums[projection] = states[0]["checksum"]
        return sums

    return await eventually(done, timeout=15.0)


async def test_each_replica_follows_desk_into_its_own_views_and_they_agree(
    desk: Desk, replicas: Replicas, settings: Settings
) -> None:
    await report_tickets(desk, *(f"r-{n}" for n in range(5)))

    await caught_up(desk, None, REPLICA)

    js = (await desk.ops()).jetstream()
    consumers = {c.name for c in await js.consumers_info(STREAM)}
    for projection in PROJECTIONS.values():
        assert {projection.consumer(), projection.consumer(REPLICA)} <= consumers
        assert projection.path(settings.data_dir).exists()
        assert projection.path(settings.data_dir, REPLICA).exists()


async def test_a_query_is_answered_once_by_one_of_the_replicas(
    desk: Desk, replicas: Replicas
) -> None:
    await report_tickets(desk, "r-1")
    await caught_up(desk, None, REPLICA)
    # analytics asks inside the services' account: every responder's answer would reach it
    nc = await desk.bus.connection(ANALYTICS)
    replies: asyncio.Queue[Any] = asyncio.Queue()
    inbox = nc.new_inbox()
    await nc.subscribe(f"{inbox}.*", cb=replies.put)
    await nc.flush()

    for n in range(4):
        await nc.publish(QUALITY, b'{"month": "2026-11"}', reply=f"{inbox}.{n}")
    await nc.flush()
    await asyncio.sleep(0.5)  # long enough for a second answer to each, were there one

    answers = [json.loads(replies.get_nowait().data) for _ in range(replies.qsize())]
    assert len(answers) == 4 and all(a["ok"] for a in answers), answers


async def test_queries_are_answered_while_a_replica_is_stopped_and_it_catches_up_on_restart(
    desk: Desk, replicas: Replicas
) -> None:
    first = await report_tickets(desk, "before-1", "before-2")
    await caught_up(desk, None, REPLICA)

    await replicas.stop(None)
    later = await report_tickets(desk, "while-1", "while-2", "while-3")
    for ticket_id in first + later:  # the queue group has one member left: it answers each
        assert (await desk.ticket("hbw", ticket_id))["ticket_id"] == ticket_id
    listed = await desk.query("hbw", "ticket.list", {"limit": 100})
    assert listed["ok"] and len(listed["tickets"]) == 5
    behind = await view_state(desk, REPLICA, "tickets")

    await replicas.start(None)  # from its own position, on its own durable consumers
    sums = await caught_up(desk, None, REPLICA)

    assert sums["tickets"] == behind["checksum"]
    for _ in range(6):  # whichever replica answers, the answer is the same
        again = await desk.query("hbw", "ticket.list", {"limit": 100})
        assert again == listed


async def test_replay_and_verify_address_the_replica_they_are_given(
    desk: Desk, replicas: Replicas, nats_server: SecuredNats, settings: Settings
) -> None:
    await report_tickets(desk, "r-1", "r-2")
    sums = await caught_up(desk, None, REPLICA)
    sites = SiteDirectory(strict=False)
    tickets = PROJECTIONS["tickets"]

    # the rebuild is written beside b's view and switched to by b, not by the first replica
    assert await replay_view(nats_server.url, tickets, settings.data_dir, sites, REPLICA) == 0
    assert await verify_view(nats_server.url, tickets, sites, replica=REPLICA) == 0

    assert not rebuild_path(tickets.path(settings.data_dir, REPLICA)).exists()  # switched to
    assert (await caught_up(desk, None, REPLICA)) == sums


async def test_each_replica_answers_the_operators_for_its_own_readers_and_parked_events(
    desk: Desk, replicas: Replicas
) -> None:
    status = await desk.request(subjects.ops_stream(f"reporting.{REPLICA}", "status"), {})
    parked = await desk.request(subjects.ops_parked(f"reporting.{REPLICA}", "list"), {})

    readers = {r["reader"] for r in status["readers"]}
    assert readers == {p.consumer(REPLICA) for p in PROJECTIONS.values()}
    assert parked["ok"] and parked["parked"] == []
    # the operators' tools ask it too, when PROPDESK_REPORTING_REPLICAS names it (as here)
    assert f"reporting.{REPLICA}" in stream_cli._readers()
    assert parked_cli.owners()[PROJECTIONS["tickets"].consumer(REPLICA)] == f"reporting.{REPLICA}"
