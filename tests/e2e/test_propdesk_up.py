"""`propdesk up` as a process, driven only through NATS: serve, stop cleanly, continue."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from propdesk.trust import Hub, default_directory
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.client import Bus
from shared.messaging.identity import OPS, Credentials
from shared.messaging.natsd import EmbeddedNats, free_port
from tests.e2e.conftest import PROPDESK, Process
from tests.postgres import STORES, as_env

pytestmark = pytest.mark.e2e


async def call(url: str, data_dir: Path, subject: str, body: dict[str, Any]) -> dict[str, Any]:
    """A request as the identity its subject calls for, with the hub's credential for it."""
    async with Bus(url, Settings(data_dir=data_dir)) as bus:
        return await bus.request(subject, body)


async def shown(
    url: str, data_dir: Path, site: str, ticket_id: str, version: int = 1
) -> dict[str, Any]:
    for _ in range(200):
        query = {"ticket_id": ticket_id}
        reply = await call(url, data_dir, f"desk.qry.{site}.ticket.get", query)
        if reply["ok"] and len(reply["ticket"]["history"]) >= version:
            return reply["ticket"]
        await asyncio.sleep(0.05)
    raise AssertionError(f"ticket {ticket_id} never shown")


async def stream_messages(url: str, data_dir: Path) -> dict[str, int]:
    """Messages on DESK per aggregate (ticket, workorder, escalation), as ops sees them."""
    async with Bus(url, Settings(data_dir=data_dir)) as bus:
        ops = await bus.connection(OPS)
        info = await ops.jetstream().stream_info("DESK", subjects_filter="desk.evt.>")
    counts: dict[str, int] = {}
    for subject, n in (info.state.subjects or {}).items():
        aggregate = subject.split(".")[3]
        counts[aggregate] = counts.get(aggregate, 0) + n
    return counts


async def settled(url: str, data_dir: Path) -> dict[str, int]:
    """The counts once dispatch has issued both orders (it follows the tickets a moment later)."""
    for _ in range(200):
        count = await stream_messages(url, data_dir)
        if count.get("workorder", 0) >= 2 and count.get("escalation", 0) > 0:
            return count
        await asyncio.sleep(0.05)
    return count


def contact(client_ref: str) -> dict[str, Any]:
    return {
        "client_ref": client_ref,
        "channel": "visit",
        "kind": "repair",
        "category": "plumbing",
        "reporter": {"name": "赵六", "phone": "13700001111", "room": "8-1204"},
        "content": "卫生间地漏堵塞",
        "staff_id": "HB-S03",
    }


@pytest.mark.parametrize("persistence", STORES)
async def test_up_serves_stops_cleanly_and_continues_where_it_stopped(
    tmp_path, persistence, store_settings, monkeypatch
) -> None:
    for name, value in as_env(store_settings).items():  # PostgreSQL: the test's database
        monkeypatch.setenv(name, value)
    port = free_port()
    url = f"nats://127.0.0.1:{port}"
    var = tmp_path / "var"
    args = ("up", "--data-dir", str(var), "--nats-port", str(port))

    first = Process(*args)
    try:
        first.wait_ready()
        reported = await call(url, var, "desk.cmd.hbw.intake.report", contact("door-1"))
        await shown(url, var, "hbw", reported["ticket_id"])
    finally:
        assert first.stop(signal.SIGTERM) == 0
    keys = {p.name: p.read_bytes() for p in (var / "credentials").iterdir()}

    second = Process(*args)
    second.wait_ready()
    try:
        before = await shown(url, var, "hbw", reported["ticket_id"])
        again = await call(url, var, "desk.cmd.hbw.intake.report", contact("door-1"))
        nxt = await call(url, var, "desk.cmd.hbw.intake.report", contact("door-2"))
        await shown(url, var, "hbw", nxt["ticket_id"])
        count = await settled(url, var)
    finally:
        assert second.stop(signal.SIGINT) == 0

    assert before["ticket_no"] == reported["ticket_no"]
    assert again == reported | {"duplicate": True}
    assert nxt["ticket_no"].endswith("-0002")
    # two repairs reported once each, and the work order dispatch issued for each
    assert (count["ticket"], count["workorder"]) == (2, 2)
    assert count["escalation"] > 0  # and escalation started their clocks
    # a restart keeps every credential (a site office's file stays valid)
    assert {p.name: p.read_bytes() for p in (var / "credentials").iterdir()} == keys
    # the stores are where the settings say: files in the data directory, or PostgreSQL's schemas
    assert (var / "intake.sqlite3").exists() == (persistence == "sqlite")


async def test_each_service_runs_as_its_own_process(tmp_path) -> None:
    """Production layout (deploy/): the hub's configuration written by `propdesk nats config`,
    nats-server run on it, one process per service."""
    var = tmp_path / "var"
    var.mkdir()
    default_directory().save(var / "sites.json")  # the operator lists the sites first
    port = free_port()
    written = subprocess.run(
        [PROPDESK, "nats", "config", "--data-dir", str(var), "--port", str(port)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    config = Hub(Settings(data_dir=var)).config_path
    server = EmbeddedNats(var / "nats", port, config=config)
    await server.start()
    data = str(var)
    intake = Process("serve", "intake", "--nats-url", server.url, "--data-dir", data)
    reporting = Process("serve", "reporting", "--nats-url", server.url, "--data-dir", data)
    try:
        intake.wait_ready()
        reporting.wait_ready()
        reported = await call(server.url, var, "desk.cmd.hbw.intake.report", contact("solo-1"))
        ticket = await shown(server.url, var, "hbw", reported["ticket_id"])
    finally:
        codes = (intake.stop(), reporting.stop())
        await server.stop()

    assert ticket["ticket_no"] == reported["ticket_no"]
    assert codes == (0, 0)


def test_a_service_still_waiting_for_nats_stops_on_sigterm(tmp_path) -> None:
    Credentials(tmp_path / "credentials").issue("intake")
    default_directory().save(tmp_path / "sites.json")
    unreachable = f"nats://127.0.0.1:{free_port()}"
    waiting = Process("serve", "intake", "--nats-url", unreachable, "--data-dir", str(tmp_path))
    for _ in range(100):  # its store is open (signals handled) before it reaches for NATS
        if (tmp_path / "intake.lock").exists():
            break
        time.sleep(0.1)
    time.sleep(1.0)

    assert waiting.proc.poll() is None  # still trying to reach NATS
    assert waiting.stop(signal.SIGTERM, timeout=10) == 0


async def test_a_site_added_to_the_directory_by_hand_is_served_without_a_restart(up) -> None:
    """Editing sites.json while `up` runs issues the new desk's credential and reloads the
    embedded server; the services read the directory again by themselves."""
    _, url, var = up
    path = var / "sites.json"
    directory = SiteDirectory.load(path)
    directory.with_site("nsq", directory.default.model_copy(update={"name": "南山花园"})).save(path)
    creds = var / "credentials" / "site-nsq.nk"
    for _ in range(100):
        if creds.exists():
            break
        await asyncio.sleep(0.1)
    body = contact("nsq-1") | {"staff_id": "X01"}  # no staff list at nsq: anyone
    for _ in range(50):  # the server reloads a moment after the credential is written
        try:
            reported = await call(url, var, "desk.cmd.nsq.intake.report", body)
            break
        except Exception:
            await asyncio.sleep(0.2)
    assert reported["ok"], reported
    assert reported["ticket_no"].startswith("NSQ-")
