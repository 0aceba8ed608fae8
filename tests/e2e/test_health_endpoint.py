"""`propdesk up --metrics-port`: /health and /metrics of the running process, over HTTP, as a
probe and Prometheus read them; a desk command shows in the counters."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from propdesk.processes import descendants
from shared.messaging.natsd import free_port
from tests.e2e.conftest import PROPDESK, Process
from tests.integration.health_support import get, samples

pytestmark = pytest.mark.e2e

SERVICES = {"intake", "dispatch", "escalation", "reporting"}


def test_up_serves_health_and_metrics_that_follow_the_traffic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, port, http = tmp_path / "var", free_port(), free_port()
    monkeypatch.setenv("PROPDESK_DATA_DIR", str(data_dir))
    process = Process(
        "up", "--data-dir", str(data_dir), "--nats-port", str(port), "--metrics-port", str(http)
    )
    try:
        process.wait_ready()
        base = f"http://127.0.0.1:{http}"
        status, body = get(f"{base}/health")
        assert status == 200, body
        health = json.loads(body)
        assert health["status"] == "ready"
        assert set(health["services"]) == SERVICES | {"console"}
        console = health["services"].pop("console")  # answers HTTP; no NATS connection of its own
        assert console["ready"] and console["url"] == console_url(process)
        assert all(s["ready"] and s["connected"] for s in health["services"].values())
        assert health["services"]["escalation"]["consumers"]["escalation-desk"]["lag"] == 0

        reported = subprocess.run(
            [PROPDESK, "contact", "report", "--site", "hbw", "--staff", "HB-S01",
             "--kind", "complaint", "--category", "noise", "--content", "楼上噪音",
             "--name", "李四", "--phone", "13912345678", "--nats-url",
             f"nats://127.0.0.1:{port}"],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert reported.returncode == 0, reported.stderr

        labels = (("kind", "command"), ("outcome", "ok"), ("service", "intake"), ("verb", "report"))
        status, text = get(f"{base}/metrics")
        assert status == 200
        assert samples(text)[("propdesk_requests_total", labels)] == 1
        assert ("propdesk_jetstream_used_bytes", ()) in samples(text)

        for _ in range(100):  # every consumer applies the new events
            page = samples(get(f"{base}/metrics")[1])
            applied = page.get(
                ("propdesk_events_applied_total",
                 (("consumer", "reporting-tickets"), ("service", "reporting"))), 0,
            )  # fmt: skip
            if applied >= 1:
                break
            time.sleep(0.1)
        assert applied >= 1
        assert get(f"{base}/nothing")[0] == 404
    finally:
        process.stop()
    assert process.proc.returncode == 0


def console_url(process: Process) -> str:
    line = next(line for line in process.lines if line.startswith("propdesk console: "))
    return line.split(": ", 1)[1].strip()


def test_health_is_503_while_the_console_does_not_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, http = tmp_path / "var", free_port()
    monkeypatch.setenv("PROPDESK_DATA_DIR", str(data_dir))
    process = Process(
        "up", "--data-dir", str(data_dir), "--nats-port", str(free_port()),
        "--metrics-port", str(http),
    )  # fmt: skip
    health, console = f"http://127.0.0.1:{http}/health", None
    try:
        process.wait_ready()
        console = next(  # the console's child, by its name (propdesk/children.py)
            pid for pid, line in descendants(process.proc.pid).items() if line.name == "console"
        )
        assert get(health)[0] == 200
        os.kill(console, signal.SIGSTOP)  # its port still takes the connection, nobody answers
        status, body = get(health)
        answer = json.loads(body)
        assert status == 503, body
        assert answer["status"] == "not_ready"
        assert answer["services"]["console"]["state"] == "not_answering"
        assert answer["services"]["console"]["url"] == console_url(process)
        assert all(answer["services"][name]["ready"] for name in SERVICES)  # only the console
        page = samples(get(f"http://127.0.0.1:{http}/metrics")[1])
        assert page[("propdesk_service_ready", (("service", "console"),))] == 0
        assert ("propdesk_nats_connected", (("service", "console"),)) not in page
        os.kill(console, signal.SIGCONT)
        assert get(health)[0] == 200
    finally:
        if console is not None:  # a stopped child would not act on up's SIGTERM
            os.kill(console, signal.SIGCONT)
        process.stop()
    assert process.proc.returncode == 0


def test_up_refuses_to_start_on_a_metrics_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ran = subprocess.run(
            [PROPDESK, "up", "--data-dir", str(tmp_path / "var"), "--nats-port",
             str(free_port()), "--metrics-port", str(port)],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    assert ran.returncode == 1
    assert "could not start" in ran.stderr
    assert "ready" not in ran.stdout
