"""The desk's command line against a running system: readable output, clear errors, exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time

import pytest

from shared.messaging.identity import Credentials
from shared.messaging.natsd import free_port
from tests.e2e.conftest import PROPDESK

pytestmark = pytest.mark.e2e


def cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    """A desk command, run as a person would, in the hub's data directory (its credentials)."""
    # PYTHONPATH too: a clone run with a shared virtualenv (PYTHONPATH=.) tests its own code
    kept = ("PROPDESK_DATA_DIR", "PROPDESK_CREDS", "PYTHONPATH")
    passed = {k: v for k, v in os.environ.items() if k in kept}
    return subprocess.run(
        [PROPDESK, *args, "--nats-url", url],
        capture_output=True,
        text=True,
        timeout=60,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"} | passed,
    )


def report(url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return cli(
        "contact", "report", "--site", "hbw", "--staff", "HB-S01", "--kind", "repair",
        "--category", "plumbing", "--content", "厨房水管漏水", "--name", "李四",
        "--phone", "13912345678", "--room", "5-302", *extra, url=url,
    )  # fmt: skip


def test_a_person_logs_a_contact_and_reads_it_back(up) -> None:
    _, url, _ = up

    logged = report(url)
    ticket = json.loads(report(url, "--json").stdout)
    for _ in range(100):
        shown = cli("ticket", "show", ticket["ticket_id"], "--site", "hbw", url=url)
        if shown.returncode == 0:
            break
        time.sleep(0.1)
    listed = cli("ticket", "list", "--site", "hbw", "--kind", "repair", url=url)

    assert logged.returncode == 0, logged.stderr
    assert "Contact logged" in logged.stdout and "HBW-" in logged.stdout
    assert shown.returncode == 0, shown.stderr
    assert ticket["ticket_no"] in shown.stdout
    assert "ticket.reported" in shown.stdout
    assert "13912345678" not in shown.stdout  # the projection never held the phone number
    assert listed.returncode == 0
    assert ticket["ticket_id"] in listed.stdout


def test_a_duplicate_is_cancelled_naming_the_ticket_it_repeats_by_number_G2(up) -> None:
    """Issue 13 item 19: `--duplicate-of HBW-202612-0005` was refused (a UUID was required)."""
    _, url, _ = up
    first = json.loads(report(url, "--json").stdout)["ticket_no"]
    second = json.loads(report(url, "--json").stdout)["ticket_no"]

    cancelled = cli("ticket", "cancel", second, "--site", "hbw", "--staff", "HB-S01",
                    "--duplicate-of", first, "--note", "同一漏水重复登记", url=url)  # fmt: skip
    neither = cli("ticket", "cancel", first, "--site", "hbw", "--staff", "HB-S01", url=url)

    assert cancelled.returncode == 0, cancelled.stderr
    assert "status cancelled" in cancelled.stdout
    assert neither.returncode == 2 and "--duplicate-of" in neither.stderr


def test_a_person_walks_a_ticket_to_closure(up) -> None:
    _, url, _ = up
    # an inquiry: a repair is resolved by its work order's sign-off, never while it is open
    # (R8.12; issue 13 item 7)
    ticket_no = json.loads(report(url, "--json", "--kind", "inquiry").stdout)["ticket_no"]
    common = (ticket_no, "--site", "hbw", "--staff", "HB-S01")  # the number the customer was told
    for _ in range(100):  # the number is looked up in the ticket view, which follows the stream
        if cli("ticket", "show", ticket_no, "--site", "hbw", url=url).returncode == 0:
            break
        time.sleep(0.1)

    contact = cli("ticket", "contact", *common, "--purpose", "回访", url=url)
    resolved = cli("ticket", "resolve", *common, "--resolution", "更换水管接头", url=url)
    closed = cli("ticket", "follow-up", *common, "--score", "5", "--satisfied", url=url)
    refused = cli("ticket", "reopen", *common, "--reason", "", url=url)

    assert contact.returncode == 0, contact.stderr
    assert "李四" in contact.stdout and "13912345678" in contact.stdout
    assert resolved.returncode == 0 and "status resolved" in resolved.stdout
    assert closed.returncode == 0 and "status closed" in closed.stdout
    assert refused.returncode == 1
    assert "invalid" in refused.stderr and "reason" in refused.stderr


def test_a_refused_command_prints_why_and_exits_non_zero(up) -> None:
    _, url, _ = up

    result = report(url, "--help-category", "A")

    assert result.returncode == 1
    assert "error (invalid)" in result.stderr
    assert "help_category" in result.stderr


def test_an_operators_slip_is_told_with_what_to_do_instead(up) -> None:
    """A mistyped site said "unavailable: no credential for site-hbx …" (exit 3, as if the bus
    were down); `sim set` on a hub of the system clock said only "no service answers"."""
    _, url, _ = up

    mistyped = cli("ticket", "list", "--site", "hbx", url=url)
    drill_only = cli("sim", "set", "2026-12-06T09:00+08:00", url=url)

    assert mistyped.returncode == 2, mistyped.stderr
    said = " ".join(mistyped.stderr.split())
    assert "no site 'hbx'" in said and "hbw, tech-park, xh-tower" in said, said
    assert drill_only.returncode == 3
    assert "propdesk up --clock simulated" in " ".join(drill_only.stderr.split())


def test_an_unreachable_bus_is_reported_with_its_own_exit_code(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PROPDESK_DATA_DIR", str(tmp_path))
    Credentials(tmp_path / "credentials").issue("site-hbw")
    result = report(f"nats://127.0.0.1:{free_port()}")

    assert result.returncode == 3
    assert "cannot reach NATS" in result.stderr


def test_a_person_walks_a_repair_from_report_to_signature(up) -> None:
    """Issue 3's promise: the CLI alone takes a repair from report to the customer's signature."""
    process, url, _ = up
    logged = report(url, "--json")
    assert logged.returncode == 0, (logged.stdout, logged.stderr, process.problems())
    ticket_no = json.loads(logged.stdout)["ticket_no"]
    order_no = f"{ticket_no}-W1"  # issued by dispatch at once for a repair
    for _ in range(100):
        shown = cli("workorder", "show", order_no, "--site", "hbw", url=url)
        if shown.returncode == 0:
            break
        time.sleep(0.1)
    common = (order_no, "--site", "hbw", "--staff", "HB-ENG")

    steps = [
        ("collect", "--collected-by", "HB-ENG"),
        ("assign", "--technician", "HB-T07"),
        ("arrive",),
        ("quote", "--amount", "35", "--items", "水管接头"),
        ("accept-quote",),
        ("complete", "--notes", "更换接头", "--actual-item", "接头", "--fee", "35"),
        ("sign-off", "--quality", "5", "--attitude", "5"),
    ]
    results = [cli("workorder", step[0], *common, *step[1:], url=url) for step in steps]
    for _ in range(100):
        ticket = cli("ticket", "show", ticket_no, "--site", "hbw", "--json", url=url)
        if json.loads(ticket.stdout)["ticket"]["status"] == "resolved":
            break
        time.sleep(0.1)
    late = cli("workorder", "quote", *common, "--amount", "10", "--items", "x", url=url)

    assert shown.returncode == 0, shown.stderr
    for step, result in zip(steps, results, strict=True):
        assert result.returncode == 0, (step, result.stderr)
    assert "status signed_off" in results[-1].stdout
    assert json.loads(ticket.stdout)["ticket"]["status"] == "resolved"
    done = cli("workorder", "show", order_no, "--site", "hbw", url=url).stdout
    # what was asked, what was done: the 派工单's fields (R8.2)
    assert re.search(r"content\s+厨房水管漏水", done) and re.search(r"actual item\s+接头", done), (
        done
    )
    assert re.search(r"notes\s+更换接头", done), done
    assert late.returncode == 1 and "conflict" in late.stderr
