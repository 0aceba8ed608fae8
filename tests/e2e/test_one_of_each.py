"""One of each, as an operator meets it: a second `propdesk up` or `propdesk serve` beside a
running `up` refuses with exit 1 and `propdesk could not start`, and the first keeps serving."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from shared.kernel.settings import Settings
from shared.messaging.client import Bus
from shared.messaging.natsd import free_port
from tests.e2e.conftest import PROPDESK, Process
from tests.e2e.test_propdesk_up import contact

pytestmark = pytest.mark.e2e


def refused(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [PROPDESK, *args], capture_output=True, text=True, timeout=60,
        env=os.environ | {"PROPDESK_LOG_FORMAT": "json"} | env,
    )  # fmt: skip
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "propdesk could not start" in done.stderr
    assert "ready" not in done.stdout
    return done


async def test_a_second_up_or_serve_beside_a_running_up_refuses_and_changes_nothing(
    up: tuple[Process, str, Path], tmp_path: Path
) -> None:
    first, url, var = up
    port = url.rsplit(":", 1)[1]
    server_pid = (var / "nats" / "nats-server.pid").read_text()

    # on the port in use, with another data directory: its own nats-server cannot listen
    refused("up", "--data-dir", str(tmp_path / "other"), "--nats-port", port)
    # on the same data directory, another port: it never starts a second server on the store
    refused("up", "--data-dir", str(var), "--nats-port", str(free_port()))
    # a service beside up on up's data directory, and on another data directory
    refused("serve", "dispatch", "--nats-url", url, "--data-dir", str(var))
    elsewhere = {
        "PROPDESK_CREDENTIALS_DIR": str(var / "credentials"),
        "PROPDESK_SITES_FILE": str(var / "sites.json"),
    }
    refused("serve", "intake", "--nats-url", url, "--data-dir", str(tmp_path / "b"), **elsewhere)

    assert (var / "nats" / "nats-server.pid").read_text() == server_pid
    async with Bus(url, Settings(data_dir=var)) as bus:
        numbers = [
            (await bus.request("desk.cmd.hbw.intake.report", contact(f"r-{n}")))["ticket_no"]
            for n in (1, 2)
        ]
    assert [n[-4:] for n in numbers] == ["0001", "0002"]  # one intake numbers them
    assert first.proc.poll() is None
