"""`propdesk demo` as a process: a short month (three days of contacts) through the live services,
the reports written, and not one of the demo's reporters' names or phones on the stream DESK."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from propdesk.demo.command import DEFAULT_SEED
from propdesk.demo.sites import people
from propdesk.trust import Hub
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.client import Bus
from shared.messaging.natsd import EmbeddedNats, free_port
from tests.e2e.conftest import PROPDESK

pytestmark = pytest.mark.e2e


async def desk_messages(data_dir: Path) -> list[str]:
    """Every message the demo left on DESK, read as ops from its hub after it stopped (its
    configuration written again for a free port)."""
    settings = Settings(data_dir=data_dir)
    hub = Hub(settings)
    port = free_port()
    hub.write(SiteDirectory.load(settings.sites_path), hub.embedded_options(port))
    server = EmbeddedNats(hub.nats_dir, port, config=hub.config_path)
    await server.start()
    try:
        async with Bus(server.url, settings) as bus:
            return [m.data.decode() async for batch in bus.read_desk() for m in batch]
    finally:
        await server.stop()


def demo(data_dir: Path, out: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [PROPDESK, "demo", "--days", "3", "--data-dir", str(data_dir), "--out", str(out),
         "--nats-port", str(free_port())],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


async def test_a_short_demo_writes_the_reports_and_no_personal_data_reaches_the_bus(
    tmp_path: Path,
) -> None:
    data_dir, out = tmp_path / "demo", tmp_path / "reports"
    done = demo(data_dir, out)
    assert "10-03 Sat" in done.stdout and "no reporter's name or phone" in done.stdout

    summary = json.loads((out / "demo-summary.json").read_text(encoding="utf-8"))
    assert summary["personal_data_on_desk"] == []
    assert sum(site["contacts"] for site in summary["sites"].values()) > 15
    # the report files of propdesk/cli/report.py, or the raw JSON replies of the report queries
    for stem in ("hbw-2026-10-monthly", "tech-park-2026-W40-weekly", "company-2026-10-quality"):
        assert list(out.glob(f"{stem}.*")), f"no {stem}: {sorted(p.name for p in out.iterdir())}"
    monthly = json.loads((out / "hbw-2026-10-monthly.json").read_text(encoding="utf-8"))
    report = monthly.get("report", monthly)
    assert report["contacts"] == summary["sites"]["hbw"]["contacts"]
    # each site manager attached the month's analysis (R12.2), and the report shows it
    assert report["analysis"]["revision"] == 1 and "本月受理集中在" in report["analysis"]["cause"]

    messages = await desk_messages(data_dir)
    assert len(messages) == summary["events_on_desk"] > 100
    reported = [json.loads(m) for m in messages if '"ticket.reported"' in m]
    assert any("***" in e["data"]["content"] for e in reported)  # a name or phone was masked
    for person in people(DEFAULT_SEED):
        leaking = [m for m in messages if person.name in m or person.phone in m]
        assert not leaking, f"{person} on DESK: {leaking[0][:300]}"


def test_the_same_seed_gives_the_same_reports_to_the_byte(tmp_path: Path) -> None:
    """As the README says: the services run on the simulated clock, and the demo moves it only
    once every event of the moment is on DESK and read (a warning never races a stop)."""
    first, second = tmp_path / "first", tmp_path / "second"
    demo(tmp_path / "demo-1", first)
    demo(tmp_path / "demo-2", second)
    files = sorted(p.name for p in first.iterdir() if p.name != "demo-summary.json")
    assert len(files) > 10 and files == sorted(
        p.name for p in second.iterdir() if p.name != "demo-summary.json"
    )
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    summaries = [json.loads((d / "demo-summary.json").read_text()) for d in (first, second)]
    for summary in summaries:
        summary.pop("seconds")
    assert summaries[0] == summaries[1]
