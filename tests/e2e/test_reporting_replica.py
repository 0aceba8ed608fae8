"""A reporting replica as an operator runs it: `propdesk serve reporting --replica b` beside a
running `up` whose hub grants it (PROPDESK_REPORTING_REPLICAS), killed and started again."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shared.kernel.settings import Settings
from shared.messaging.client import Bus
from shared.messaging.natsd import free_port
from tests.e2e.conftest import Process
from tests.e2e.test_propdesk_up import contact

pytestmark = pytest.mark.e2e


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    """`propdesk up` whose embedded hub grants reporting's replica b: (nats url, data dir)."""
    port, var = free_port(), tmp_path / "var"
    monkeypatch.setenv("PROPDESK_DATA_DIR", str(var))
    monkeypatch.setenv("PROPDESK_REPORTING_REPLICAS", "b")
    process = Process("up", "--data-dir", str(var), "--nats-port", str(port))
    process.wait_ready()
    yield f"nats://127.0.0.1:{port}", var
    process.stop()


def replica(url: str, var: Path) -> Process:
    process = Process(
        "serve", "reporting", "--replica", "b", "--nats-url", url, "--data-dir", str(var)
    )
    process.wait_ready()
    return process


async def views_agree(bus: Bus) -> dict[str, Any]:
    """Both replicas' ticket views at the same position with the same rows."""
    for _ in range(100):
        first, b = [
            await bus.request(f"desk.ops.{name}.checksum", {"projection": "tickets"})
            for name in ("reporting", "reporting.b")
        ]
        if first["ok"] and first == b:
            return b
        await asyncio.sleep(0.1)
    raise AssertionError(f"the replicas' views differ: {first} {b}")


async def test_a_replica_served_beside_up_shares_the_queries_and_catches_up_after_a_kill(
    hub: tuple[str, Path],
) -> None:
    url, var = hub
    b = replica(url, var)
    try:
        async with Bus(url, Settings(data_dir=var)) as bus:
            first = await bus.request("desk.cmd.hbw.intake.report", contact("r-1"))
            await views_agree(bus)

            b.stop(signal.SIGKILL)  # gone without a word: the queue group has up's reporting
            second = await bus.request("desk.cmd.hbw.intake.report", contact("r-2"))
            for reply in (first, second):
                query = {"ticket_id": reply["ticket_id"]}
                for _ in range(50):
                    found = await bus.request("desk.qry.hbw.ticket.get", query)
                    if found["ok"]:
                        break
                    await asyncio.sleep(0.1)
                assert found["ok"], found

            b = replica(url, var)  # its own consumers, from its own position
            state = await views_agree(bus)
            assert state["position"] >= 2
    finally:
        b.stop()
