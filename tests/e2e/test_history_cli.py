"""The command line against `propdesk up`: `events export` writes a site's events as JSON lines,
and `ticket show --as-of` shows a ticket as it stood at a time."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.contracts.events import parse_event
from shared.kernel.local_time import shown as local_time
from tests.e2e.test_cli import cli

pytestmark = pytest.mark.e2e

# receptionists of `up`'s default directory (README)
STAFF = {"hbw": "HB-S01", "tech-park": "TP-S01"}


def report(url: str, site: str, name: str, phone: str) -> dict:
    logged = cli(
        "contact", "report", "--site", site, "--staff", STAFF[site], "--kind", "repair",
        "--category", "plumbing", "--content", f"{name}家厨房水管漏水, 电话{phone}",
        "--name", name, "--phone", phone, "--room", "5-302", "--json", url=url,
    )  # fmt: skip
    assert logged.returncode == 0, logged.stderr
    return json.loads(logged.stdout)


def shown(url: str, site: str, ticket_no: str, *extra: str) -> dict:
    """The ticket once the view has it, and its order once dispatch has issued it."""
    for _ in range(100):
        result = cli("ticket", "show", ticket_no, "--site", site, "--json", *extra, url=url)
        if result.returncode == 0 and json.loads(result.stdout)["ticket"]["work_orders"]:
            return json.loads(result.stdout)["ticket"]
        time.sleep(0.1)
    raise AssertionError(f"{ticket_no} not shown: {result.stderr}")


def test_a_sites_events_are_exported_to_a_file_as_json_lines(up, tmp_path) -> None:
    _, url, _ = up
    since = datetime.now(UTC) - timedelta(minutes=1)
    a = report(url, "hbw", "李四", "13912345678")
    b = report(url, "hbw", "赵六", "13700001111")
    other = report(url, "tech-park", "钱七", "13600002222")
    for site, ticket in (("hbw", a), ("hbw", b), ("tech-park", other)):
        shown(url, site, ticket["ticket_no"])
    until = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    target = tmp_path / "hbw.jsonl"

    written = cli("events", "export", "--site", "hbw", "--from", since.isoformat(),
                  "--to", until, "--output", str(target), url=url)  # fmt: skip
    to_stdout = cli("events", "export", "--site", "hbw", url=url)
    backwards = cli("events", "export", "--site", "hbw", "--from", until,
                    "--to", since.isoformat(), url=url)  # fmt: skip
    naive = cli("events", "export", "--site", "hbw", "--from", "2026-11-23T10:00", url=url)
    bad_site = cli("events", "export", "--site", "HBW!", url=url)
    into_dir = cli("events", "export", "--site", "hbw", "--output", str(tmp_path), url=url)

    assert written.returncode == 0, written.stderr
    lines = target.read_text(encoding="utf-8").splitlines()
    assert f"exported {len(lines)} events of hbw to {target}" in written.stderr.replace("\n", " ")
    events = [parse_event(line) for line in lines]
    assert {e.site for e in events} == {"hbw"}
    reported = [str(e.aggregate_id) for e in events if e.event_type == "ticket.reported"]
    assert reported == [a["ticket_id"], b["ticket_id"]]
    assert {"workorder.issued", "escalation.clock_started"} <= {e.event_type for e in events}
    text = target.read_text(encoding="utf-8")
    for secret in ("李四", "13912345678", "赵六", "13700001111"):
        assert secret not in text
    assert not list(tmp_path.glob("*.part"))
    assert to_stdout.returncode == 0, to_stdout.stderr
    assert to_stdout.stdout.splitlines()[: len(lines)] == lines  # later events only append
    for refused in (backwards, naive, bad_site, into_dir):
        assert refused.returncode == 2, refused.stderr
    assert "is a directory" in into_dir.stderr
    assert not list(tmp_path.parent.glob(f"{tmp_path.name}.part"))
    assert "must be before --to" in backwards.stderr
    assert "no offset" in naive.stderr
    assert "invalid site id" in bad_site.stderr


def test_a_ticket_is_shown_as_of_a_time(up) -> None:
    _, url, _ = up
    ticket = report(url, "hbw", "李四", "13912345678")
    before = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    first = shown(url, "hbw", ticket["ticket_no"])
    between = datetime.now(UTC).isoformat()
    common = (ticket["ticket_no"], "--site", "hbw")
    time.sleep(0.01)
    # withdrawn (a repair is resolved by its order's sign-off, never while it is open: R8.12)
    withdrawn = ("--staff", "HB-S02", "--withdrawn", "--note", "业主自行修好了")
    cancelled = cli("ticket", "cancel", *common, *withdrawn, url=url)
    assert cancelled.returncode == 0, cancelled.stderr

    then = cli("ticket", "show", *common, "--as-of", between, url=url)
    too_early = cli("ticket", "show", *common, "--as-of", before, url=url)
    naive = cli("ticket", "show", *common, "--as-of", "2026-11-23T10:00", url=url)

    assert then.returncode == 0, then.stderr
    # shown in the site's zone, saying so (issue 13 item 17), no longer the raw UTC ISO time
    assert f"as of {local_time(between, ZoneInfo('Asia/Shanghai'))}" in then.stdout
    assert "status" in then.stdout and "received" in then.stdout
    assert "ticket.cancelled" not in then.stdout
    assert first["status"] == "received"
    assert too_early.returncode == 1 and "not_found" in too_early.stderr
    assert naive.returncode == 2 and "no offset" in naive.stderr
