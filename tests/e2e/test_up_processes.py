"""`propdesk up` runs each service in a process of its own (propdesk/children.py): a service
killed is started again while the others serve, and exactly once still holds; a child that
cannot start stops `up` with its reason; stopped or killed, `up` leaves no process behind."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from propdesk.processes import descendants
from propdesk.trust import default_directory
from services.intake.application import IntakeApp
from shared.contracts.commands import ReportContact
from shared.eventstore.desk_app import CommandContext
from shared.eventstore.keyring import KeyRing, new_key
from shared.eventstore.store import store_env
from shared.kernel.clock import FixedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.natsd import free_port
from tests.e2e.conftest import PROPDESK, Process
from tests.e2e.test_propdesk_up import call, contact, settled
from tests.e2e.test_stopping_up import _alive
from tests.integration.health_support import get, samples
from tests.integration.support import START, report_body

pytestmark = pytest.mark.e2e

CHILDREN = {"intake", "dispatch", "escalation", "reporting", "console"}


def descendants_named(pid: int) -> dict[int, str]:
    """Every process under `pid`: pid -> its name (comm; a child of `up` names its service)."""
    return {child: line.name for child, line in descendants(pid).items()}


def services_of(pid: int) -> dict[str, int]:
    return {name: child for child, name in descendants_named(pid).items() if name in CHILDREN}


def gone(pids: Iterable[int], timeout: float = 10.0) -> list[int]:
    """The pids still alive after `timeout`."""
    deadline = time.monotonic() + timeout
    while (left := [p for p in pids if _alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


async def test_each_service_is_a_process_and_one_killed_is_restarted_without_a_double(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    var, port, http = tmp_path / "var", free_port(), free_port()
    monkeypatch.setenv("PROPDESK_DATA_DIR", str(var))
    url = f"nats://127.0.0.1:{port}"
    up = Process(
        "up", "--data-dir", str(var), "--nats-port", str(port), "--metrics-port", str(http)
    )
    try:
        up.wait_ready()
        # one process per service and the console, none of them `up` itself
        before = services_of(up.proc.pid)
        assert set(before) == CHILDREN
        assert len(set(before.values())) == len(CHILDREN)
        assert up.proc.pid not in before.values()
        everything = set(descendants(up.proc.pid))

        await call(url, var, "desk.cmd.hbw.intake.report", contact("kill-1"))
        os.kill(before["dispatch"], signal.SIGKILL)  # while it may be issuing the first order
        second = await call(url, var, "desk.cmd.hbw.intake.report", contact("kill-2"))
        assert second["ok"], second  # intake serves while dispatch is down
        count = await settled(url, var)  # the restarted dispatch issues what it owes
        after = services_of(up.proc.pid)
        status, body = get(f"http://127.0.0.1:{http}/health")
        page = samples(get(f"http://127.0.0.1:{http}/metrics")[1])
    finally:
        code = up.stop()

    assert after["dispatch"] != before["dispatch"]
    assert {k: v for k, v in after.items() if k != "dispatch"} == {
        k: v for k, v in before.items() if k != "dispatch"
    }  # the others kept running
    assert status == 200, body
    cpu = {dict(labels)["process"]: v for (name, labels), v in page.items()
           if name == "propdesk_process_cpu_seconds_total"}  # fmt: skip
    assert set(cpu) == CHILDREN and all(seconds > 0 for seconds in cpu.values())
    assert (count["ticket"], count["workorder"]) == (2, 2)  # one order each, none twice
    logged = [json.loads(line) for line in up.errors if line.startswith("{")]
    died = [e for e in logged if e["event"] == "service.died"]
    assert [(e["service"], e["exit_code"], e["level"]) for e in died] == [
        ("dispatch", -signal.SIGKILL, "error")
    ]
    assert code == 0
    # SIGTERM stopped every child, nats-server and the fork server with `up`
    assert gone(everything | set(after.values())) == []


def test_a_killed_up_leaves_no_process_behind(tmp_path: Path) -> None:
    up = Process("up", "--data-dir", str(tmp_path / "var"), "--nats-port", str(free_port()))
    up.wait_ready()
    left = descendants_named(up.proc.pid)
    assert set(left.values()) >= CHILDREN

    assert up.stop(signal.SIGKILL) == -signal.SIGKILL

    # each child notices `up` is gone and stops, the services after a graceful stop of their
    # brokers and relays: more than 10 s once on a loaded machine (three left, CI, 2026-12-03)
    still = gone(left, timeout=30)
    assert still == [], {pid: left[pid] for pid in still}


def test_a_child_that_cannot_start_stops_up_with_its_reason_and_exit_code(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    default_directory().save(tmp_path / "sites.json")
    app = IntakeApp(store_env(settings, "intake"), FixedClock(START), SiteDirectory(strict=False))
    app.execute(CommandContext("hbw", "c"), ReportContact.model_validate(report_body()))
    app.close()
    wrong = KeyRing((new_key(),))

    done = subprocess.run(
        [PROPDESK, "up", "--data-dir", str(tmp_path), "--nats-port", str(free_port())],
        env=os.environ | {"PROPDESK_INTAKE_KEY": wrong.current, "PROPDESK_LOG_FORMAT": "json"},
        capture_output=True, text=True, timeout=90,
    )  # fmt: skip

    said = " ".join(done.stderr.split())
    assert done.returncode == 78, said  # StartRefused's: systemd does not restart it
    assert "propdesk could not start: intake: intake's store cannot be read" in said
    assert "ready" not in done.stdout
    assert not _alive(int((tmp_path / "nats" / "nats-server.pid").read_text()))


async def test_a_killed_nats_server_is_said_and_started_again(tmp_path: Path) -> None:
    """nats-server killed under `up`: before, `up` said nothing and started nothing (every service
    logged reconnect errors forever, /health stayed 503, and a stop then waited for a child to be
    killed). Now `up` logs `nats.died` at error level, starts the server again on its store, and
    the services reconnect: a report is recorded and published again."""
    var, port, http = tmp_path / "var", free_port(), free_port()
    url = f"nats://127.0.0.1:{port}"
    up = Process(
        "up", "--data-dir", str(var), "--nats-port", str(port), "--metrics-port", str(http)
    )
    try:
        up.wait_ready()
        assert (await call(url, var, "desk.cmd.hbw.intake.report", contact("before")))["ok"]
        server = int((var / "nats" / "nats-server.pid").read_text())
        os.kill(server, signal.SIGKILL)
        assert gone([server]) == []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if get(f"http://127.0.0.1:{http}/health")[0] == 200:
                break
            time.sleep(0.2)
        # bounded: with no server a client would wait for it for ever
        report = call(url, var, "desk.cmd.hbw.intake.report", contact("after"))
        second = await asyncio.wait_for(report, 30)
        count = await asyncio.wait_for(settled(url, var), 30)
        status = get(f"http://127.0.0.1:{http}/health")[0]
        restarted = int((var / "nats" / "nats-server.pid").read_text())
    finally:
        code = up.stop()

    assert second["ok"], second
    assert status == 200
    assert restarted != server
    assert (count["ticket"], count["workorder"]) == (2, 2)  # DESK kept the first, took the second
    logged = [json.loads(line) for line in up.errors if line.startswith("{")]
    died = [e for e in logged if e["event"] == "nats.died"]
    assert [(e["exit_code"], e["level"]) for e in died] == [(-signal.SIGKILL, "error")]
    assert any(e["event"] == "nats.restarted" for e in logged)
    assert code == 0
