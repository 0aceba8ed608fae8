"""`propdesk replay` and `propdesk verify` against `propdesk up`, as an operator runs them."""

from __future__ import annotations

import json
import time

import pytest

from shared.messaging.natsd import free_port
from tests.e2e.test_cli import cli, report

pytestmark = pytest.mark.e2e


def shown(url: str, ticket_id: str) -> bool:
    for _ in range(100):
        if cli("ticket", "show", ticket_id, "--site", "hbw", url=url).returncode == 0:
            return True
        time.sleep(0.1)
    return False


def test_an_operator_replays_the_ticket_view_and_verifies_it(up) -> None:
    process, url, data_dir = up
    before = [json.loads(report(url, "--json").stdout)["ticket_id"] for _ in range(3)]
    assert shown(url, before[-1])

    replayed = cli("replay", "tickets", "--data-dir", str(data_dir), url=url)
    after = json.loads(report(url, "--json").stdout)["ticket_id"]
    verified = cli("verify", "tickets", url=url)
    analytics = cli("verify", "analytics", url=url)

    assert replayed.returncode == 0, replayed.stderr
    assert "rebuilt tickets into" in replayed.stdout and "events/s" in replayed.stdout
    assert "switched" in replayed.stdout
    assert not (data_dir / "reporting-tickets.sqlite3.rebuild").exists()
    assert all(shown(url, t) for t in [*before, after])  # the switched view follows DESK
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "equal" in verified.stdout and "live view:" in verified.stdout
    assert analytics.returncode == 0, analytics.stdout + analytics.stderr
    assert not [line for line in process.problems() if "reporting" in line or "inbox" in line]


def test_replay_and_verify_say_what_is_wrong(up, tmp_path) -> None:
    _, url, data_dir = up
    unknown = cli("replay", "nope", "--data-dir", str(data_dir), url=url)
    no_dir = cli("replay", "tickets", "--data-dir", str(tmp_path / "missing"), url=url)
    nobody = cli("verify", "tickets", url=f"nats://127.0.0.1:{free_port()}")

    assert unknown.returncode == 2 and "unknown projection 'nope'" in unknown.stderr
    assert "tickets" in unknown.stderr
    assert no_dir.returncode == 2 and "no data directory" in no_dir.stderr
    assert nobody.returncode == 3 and "cannot reach NATS" in nobody.stderr
