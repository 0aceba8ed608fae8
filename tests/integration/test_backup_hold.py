"""The hold a backup puts on a service (desk.ops.<service>.hold / .release): once it answers,
everything the service recorded is on DESK and nothing more is recorded until it is released
or the hold runs out; commands wait meanwhile and are answered after."""

from __future__ import annotations

import asyncio

import pytest

from shared.subjects import ops
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
