"""A three-node JetStream cluster (deploy/cluster/) loses its stream leader in the middle of a
load, or two of its three nodes (no majority: DESK takes no write for a while), or a node hangs
with its connections open (SIGSTOP: a host that froze or was cut off silently): the services,
given every node's URL and DESK held by all three (R3), lose no acknowledged command, publish no
event twice, and every consumer catches up once the nodes are back (docs/RELIABILITY.md, "A NATS
cluster"). The load and the checks are the fault campaign's (bench/chaos.py)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from nats.errors import Error as NatsError

from bench.chaos import PREFIX, Ledger, check, desk, settled
from propdesk.runtime import SERVICES
from propdesk.trust import default_directory
from shared.kernel.clock import SystemClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.bus import ensure_stream
from shared.messaging.client import Bus
from shared.messaging.identity import OPS
from shared.messaging.service import Service
from shared.messaging.subjects import STREAM
from tests.conftest import SecuredCluster, bus_root
from tests.integration.support import eventually

pytestmark = pytest.mark.integration

LOAD = 15.0  # seconds the desks send commands
KILL_AFTER = 3.0  # seconds into the load
RESUME_WITHIN = 20.0  # seconds; measured here: 5–6 s (docs/RELIABILITY.md)


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[SecuredCluster]:
    cluster = SecuredCluster(bus_root(tmp_path), default_directory())
    await cluster.start()
    try:
        yield cluster
    finally:  # every node, by its own process, whatever happened
        await cluster.stop()


@pytest.fixture
async def services(cluster: SecuredCluster, tmp_path: Path) -> AsyncIterator[dict[str, Service]]:
    """The four services in one process, as `propdesk serve` runs each: every node's URL, and
    the streams declared R3 (PROPDESK_NATS_URL, PROPDESK_STREAM_REPLICAS) over streams that
    were R1, as on a hub that grew into a cluster."""
    settings = Settings(
        data_dir=tmp_path / "data",
        credentials_dir=cluster.credentials_dir,
        sites_file=cluster.sites_file,
        stream_replicas=3,
    )
    async with Bus(cluster.url, cluster.bus_settings, name="single-hub") as bus:
        await ensure_stream((await bus.connection("intake")).jetstream(), replicas=1)
    sites = SiteDirectory.load(cluster.sites_file)
    started: dict[str, Service] = {}
    try:
        for name, make in SERVICES.items():
            started[name] = make(settings, SystemClock(), sites)
            await started[name].start(cluster.url)
        yield started
    finally:
        for service in reversed(started.values()):
            await service.stop()


class Outage:
    """The stream leader killed with SIGKILL mid-load, and started again once DESK takes
    writes under a new leader."""

    def __init__(self) -> None:
        self.leader = ""
        self.resumed = 0.0  # seconds from the kill until DESK grew under a new leader
        self.acked_before = 0

    async def run(self, cluster: SecuredCluster, bus: Bus, ledger: Ledger) -> None:
        await asyncio.sleep(KILL_AFTER)
        js = (await bus.connection(OPS)).jetstream()
        info = await js.stream_info(STREAM)
        assert info.cluster is not None and info.cluster.leader
        self.leader, seq = info.cluster.leader, info.state.last_seq
        self.acked_before = len(ledger.acked)
        killed = time.monotonic()
        await cluster.nodes[self.leader].kill()
        while time.monotonic() - killed < 60:
            await asyncio.sleep(0.2)
            try:
                info = await asyncio.wait_for(js.stream_info(STREAM), 1.0)
            except (NatsError, OSError, TimeoutError):  # no leader yet, or ours was killed
                continue
            leader = info.cluster.leader if info.cluster else None
            if leader not in (None, self.leader) and info.state.last_seq > seq:
                break
        self.resumed = time.monotonic() - killed
        await cluster.nodes[self.leader].start()


class QuorumLost:
    """Two of the three nodes (the stream leader and one more) killed with SIGKILL mid-load:
    DESK has no majority and takes no write for `HELD` seconds; then both are started again."""

    HELD = 5.0

    def __init__(self) -> None:
        self.killed: list[str] = []
        self.acked_before = self.acked_during = 0
        self.whole_after = 0.0  # seconds from the restart until DESK has a leader again

    async def run(self, cluster: SecuredCluster, bus: Bus, ledger: Ledger) -> None:
        await asyncio.sleep(KILL_AFTER)
        js = (await bus.connection(OPS)).jetstream()
        info = await js.stream_info(STREAM)
        assert info.cluster is not None and info.cluster.leader
        other = next(name for name in cluster.nodes if name != info.cluster.leader)
        self.killed = [info.cluster.leader, other]
        self.acked_before = len(ledger.acked)
        for name in self.killed:
            await cluster.nodes[name].kill()
        await asyncio.sleep(self.HELD)
        self.acked_during = len(ledger.acked) - self.acked_before
        for name in self.killed:
            await cluster.nodes[name].start()
        back = time.monotonic()
        while time.monotonic() - back < 60:  # the majority elects a leader again
            with contextlib.suppress(NatsError, OSError, TimeoutError):
                info = await asyncio.wait_for(js.stream_info(STREAM), 1.0)
                if info.cluster and info.cluster.leader:
                    break
            await asyncio.sleep(0.2)
        self.whole_after = time.monotonic() - back


class Frozen:
    """The node intake is connected to stopped with SIGSTOP mid-load, as a host that hangs or is
    cut off without closing its connections looks to its peers and clients: its sockets stay
    open and silent. Continued with SIGCONT once intake is on another node and DESK grows again
    (or after `LONGEST`); if it led the stream, it comes back as a stale leader and must step
    down."""

    LONGEST = 40.0

    def __init__(self, services: dict[str, Service]) -> None:
        self.services = services
        self.node = ""
        self.resumed = 0.0  # seconds from the freeze until intake publishes through another node
        self.acked_before = 0

    async def run(self, cluster: SecuredCluster, bus: Bus, ledger: Ledger) -> None:
        await asyncio.sleep(KILL_AFTER)
        js = (await bus.connection(OPS)).jetstream()
        intake = self.services["intake"].nc
        assert intake is not None and intake.connected_url is not None
        port = intake.connected_url.port
        self.node = next(name for name, node in cluster.nodes.items() if node.port == port)
        self.acked_before = len(ledger.acked)
        process = cluster.nodes[self.node].process
        assert process is not None
        frozen = time.monotonic()
        process.send_signal(signal.SIGSTOP)
        try:
            seq = None  # DESK's last message once intake has left the frozen node
            while time.monotonic() - frozen < self.LONGEST:
                await asyncio.sleep(0.2)
                if intake.connected_url is None or intake.connected_url.port == port:
                    continue
                try:
                    info = await asyncio.wait_for(js.stream_info(STREAM), 1.0)
                except (NatsError, OSError, TimeoutError):  # no leader yet, or its node frozen
                    continue
                if seq is None:
                    seq = info.state.last_seq
                elif info.state.last_seq > seq:
                    break
            self.resumed = time.monotonic() - frozen
        finally:
            process.send_signal(signal.SIGCONT)


async def test_killing_the_stream_leader_mid_load_loses_no_command_and_doubles_no_event(
    cluster: SecuredCluster, services: dict[str, Service]
) -> None:
    outage = Outage()
    info, events, pending, ledger = await _load_through(cluster, services, outage)

    assert outage.resumed < RESUME_WITHIN, f"writes resumed after {outage.resumed:.1f} s"
    assert 0 < outage.acked_before < len(ledger.acked)  # commands before and after the kill
    _caught_up_exactly_once(services, info, events, pending, ledger)


async def test_a_cluster_without_a_majority_keeps_the_desks_answered_and_catches_up_once_whole(
    cluster: SecuredCluster, services: dict[str, Service]
) -> None:
    """Two nodes of three down: DESK takes no write, but the surviving node still carries the
    desks' commands; intake records them (store first) and its relay publishes them once the
    stream has its majority again — nothing lost, nothing twice."""
    outage = QuorumLost()
    load = KILL_AFTER + QuorumLost.HELD + 2.0  # and a little after the majority is back
    info, events, pending, ledger = await _load_through(cluster, services, outage, load)

    assert len(outage.killed) == 2 and outage.acked_before > 0
    assert outage.acked_during > 0  # the desks were answered while DESK could not be written
    assert outage.whole_after < RESUME_WITHIN, f"no leader {outage.whole_after:.1f} s after"
    _caught_up_exactly_once(services, info, events, pending, ledger)


async def test_a_frozen_stream_leader_is_left_behind_and_rejoins_without_losing_or_doubling(
    cluster: SecuredCluster, services: dict[str, Service]
) -> None:
    """A node that hangs with its connections open (or is cut off without a reset) is noticed by
    its peers, which elect a new leader, and by the services and desks connected to it, which
    go to another node; when it continues, its stale leadership is dropped."""
    frozen = Frozen(services)
    info, events, pending, ledger = await _load_through(cluster, services, frozen)

    assert frozen.resumed < RESUME_WITHIN, f"writes resumed after {frozen.resumed:.1f} s"
    assert 0 < frozen.acked_before < len(ledger.acked)
    _caught_up_exactly_once(services, info, events, pending, ledger)


async def _load_through(
    cluster: SecuredCluster,
    services: dict[str, Service],
    outage: Outage | QuorumLost | Frozen,
    load: float = LOAD,
) -> tuple[Any, list[dict[str, Any]], dict[str, Any], Ledger]:
    """The campaign's desks at every site for `load` seconds while `outage` runs; then the
    stream once every consumer is idle and every node current."""
    ledger = Ledger()

    async def disconnected(_: Exception) -> None:  # the outage is the point: counted
        ledger.connection_errors += 1

    bus = Bus(cluster.url, cluster.bus_settings, name="cluster-desk", max_reconnect_attempts=-1,
              reconnect_time_wait=0.3, error_cb=disconnected)  # fmt: skip
    try:
        until = time.monotonic() + load
        rngs = random.Random(15)
        desks = [desk(bus, ledger, site, random.Random(rngs.random()), until) for site in PREFIX]
        await asyncio.gather(outage.run(cluster, bus, ledger), *desks)
        durables = [d for service in services.values() for d in service.durables()]
        pending = await settled(bus, quiet=2.0, timeout=90, expected=durables)
        events = [json.loads(m.data) async for batch in bus.read_desk() for m in batch]
        js = (await bus.connection(OPS)).jetstream()

        async def every_node_current() -> bool:
            try:
                info = await js.stream_info(STREAM)
            except (NatsError, OSError, TimeoutError):  # still electing: not yet
                return False
            replicas = info.cluster.replicas if info.cluster else None
            return bool(replicas) and all(r.current and not r.offline for r in replicas or [])

        await eventually(every_node_current, timeout=30)
        # a service started without PROPDESK_STREAM_REPLICAS takes no copy away
        await ensure_stream((await bus.connection("intake")).jetstream(), replicas=1)
        info = await js.stream_info(STREAM)
    finally:
        await bus.close()
    return info, events, pending, ledger


def _caught_up_exactly_once(
    services: dict[str, Service],
    info: Any,
    events: list[dict[str, Any]],
    pending: dict[str, Any],
    ledger: Ledger,
) -> None:
    assert ledger.refused == []
    assert {rule: bad for rule, bad in check(events, ledger).items() if bad} == {}
    assert pending and not any(pending.values()), pending  # every consumer read and acked all
    assert info.config.num_replicas == 3 and info.cluster and len(info.cluster.replicas or []) == 2
    assert len(events) == info.state.last_seq
    reporting = services["reporting"]
    assert reporting.view.position() == info.state.last_seq  # type: ignore[attr-defined]
