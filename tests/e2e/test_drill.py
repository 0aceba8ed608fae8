"""A drill on `propdesk up --clock simulated`, driven only by the CLI: a help request breaches its
5-minute reply clock (R10.2), the role reads and acknowledges the notification."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.messaging.natsd import free_port
from tests.e2e.conftest import Process
from tests.e2e.test_cli import cli

pytestmark = pytest.mark.e2e


@pytest.fixture
def drill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    port = free_port()
    monkeypatch.setenv("PROPDESK_DATA_DIR", str(tmp_path / "var"))  # the CLI's credentials
    process = Process(
        "up", "--data-dir", str(tmp_path / "var"), "--nats-port", str(port),
        "--clock", "simulated", "--start", "2026-10-08T08:30:00+08:00",
    )  # fmt: skip
    process.wait_ready()
    assert "simulated clock" in "".join(process.lines)
    yield f"nats://127.0.0.1:{port}"
    process.stop()


def until(check, tries: int = 100):  # type: ignore[no-untyped-def]
    for _ in range(tries):
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"never reached: {check.__name__}")


def test_a_drill_breaches_a_help_clock_and_the_role_acknowledges_it(drill: str) -> None:
    url = drill
    logged = cli(
        "contact", "report", "--site", "hbw", "--staff", "HB-S01", "--kind", "help",
        "--help-category", "G", "--content", "门禁卡失灵进不了门", "--name", "王五",
        "--phone", "13800001111", "--room", "2-101", url=url,
    )  # fmt: skip
    assert logged.returncode == 0, logged.stderr
    assert "tell the customer: an answer by 2026-10-08 08:35 (UTC+08:00) — R10.2" in logged.stdout
    ticket_no = logged.stdout.split("ticket ")[1].split()[0]

    def clock_started() -> bool:
        shown = cli("ticket", "show", ticket_no, "--site", "hbw", url=url)
        return shown.returncode == 0 and "help_reply" in shown.stdout

    until(clock_started)
    backwards = cli("sim", "set", "2026-10-01T08:00:00+08:00", url=url)
    assert backwards.returncode == 1 and "backwards" in backwards.stderr
    moved = cli("sim", "set", "2026-10-08T08:36:00+08:00", url=url)
    assert moved.returncode == 0, moved.stderr
    assert "clock now 2026-10-08 08:36 (UTC+08:00)" in moved.stdout  # as it was given
    assert f"clock_breached: {ticket_no} help_reply" in moved.stdout

    def listed(*flags: str) -> list[dict]:
        reply = cli("notice", "list", "--site", "hbw", "--role", "cs_assistant", "--json",
                    *flags, url=url)  # fmt: skip
        return json.loads(reply.stdout)["notices"] if reply.returncode == 0 else []

    [notice] = until(listed)
    assert notice["ticket_no"] == ticket_no and notice["clock"] == "help_reply"
    ack = cli("notice", "ack", notice["notification_id"], "--site", "hbw", "--staff", "HB-CS1",
              url=url)  # fmt: skip
    assert ack.returncode == 0, ack.stderr
    again = cli("notice", "ack", notice["notification_id"], "--site", "hbw", "--staff", "HB-SUP",
                url=url)  # fmt: skip
    assert again.returncode == 1 and "already acknowledged by HB-CS1" in again.stderr

    def acknowledged() -> dict | None:
        [shown] = listed()
        return shown if shown["acknowledged_by"] == "HB-CS1" else None

    until(acknowledged)
    assert listed("--open") == []  # nothing left for the role to acknowledge

    def overdue() -> str | None:
        shown = cli("ticket", "show", ticket_no, "--site", "hbw", url=url)
        return shown.stdout if "OVERDUE" in shown.stdout else None

    assert "help_reply" in until(overdue)
