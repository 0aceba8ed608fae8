"""The hold a backup puts on a service (desk.ops.<service>.hold / .release): once it answers,
everything the service recorded is on DESK and nothing more is recorded until it is released
or the hold runs out; commands wait meanwhile and are answered after."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from propdesk import backup
from propdesk.backup import make_backup
from shared.messaging.subjects import ops
from tests.integration.support import Desk, report_body

pytestmark = pytest.mark.integration


async def test_a_held_service_has_published_everything_and_records_nothing_until_released(
    desk: Desk, services
) -> None:
    for n in range(3):
        assert (await desk.command("hbw", "report", report_body(f"h-{n}")))["ok"]

    held = await desk.request(ops("intake", "hold"), {"seconds": 30})
    assert held["ok"] and held["held"]
    assert held["relay_position"] == held["records"]  # nothing left to publish
    on_desk = await desk.stream_count()
    assert on_desk == 3

    waiting = asyncio.create_task(desk.command("hbw", "report", report_body("during")))
    await asyncio.sleep(0.5)
    assert not waiting.done()  # the command waits for the release
    assert await desk.stream_count() == on_desk

    released = await desk.request(ops("intake", "release"), {})
    assert released["ok"] and not released["held"]
    assert (await waiting)["ok"]


async def test_a_hold_nobody_releases_runs_out_and_a_second_one_is_refused(
    desk: Desk, services
) -> None:
    assert (await desk.request(ops("dispatch", "hold"), {"seconds": 0.5}))["held"]
    second = await desk.request(ops("dispatch", "hold"), {"seconds": 30})
    assert second["error"]["code"] == "conflict"

    await asyncio.sleep(0.7)  # the backup died: the service writes again by itself
    body = {"ticket_id": "00000000-0000-0000-0000-000000000000", "staff_id": "S01"}
    body["reason"] = "楼道清洁"
    reply = await desk.dispatch("hbw", "issue", body)
    assert reply["error"]["code"] == "not_found"  # answered, not held
    assert (await desk.request(ops("dispatch", "release"), {}))["held"] is False


async def test_a_backup_holds_the_running_writers_and_copies_a_stopped_ones_store_as_it_is(
    desk: Desk, services, settings, clock, tmp_path: Path
) -> None:
    for n in range(3):
        assert (await desk.command("hbw", "report", report_body(f"b-{n}")))["ok"]

    manifest = await make_backup(desk.bus, settings, tmp_path / "backup", clock, say=lambda _: None)

    assert manifest["desk"]["last_seq"] == await desk.stream_count() == 3
    assert manifest["held"]["intake"]["relay_position"] == manifest["held"]["intake"]["records"]
    assert manifest["held"]["escalation"] is None  # not running here: nothing to hold
    assert "stores/intake.sqlite3" in manifest["files"]
    # and nothing stays held
    assert (await desk.command("hbw", "report", report_body("after")))["ok"]


async def test_a_backup_whose_hold_ran_out_before_the_copies_were_done_is_refused(
    desk: Desk, services, settings, clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup, "HOLD_SECONDS", 0.001)  # runs out before the stores are copied

    with pytest.raises(backup.BackupError, match="ran out"):
        await make_backup(desk.bus, settings, tmp_path / "backup", clock, say=lambda _: None)
    assert not (tmp_path / "backup" / "manifest.json").exists()  # restore refuses it
