"""Commands sent at once over the bus: each caller gets its own reply, and each command takes
effect once, whether the service committed them together or not (group commit,
shared/messaging/batcher.py); dispatch, reacting to their events in batches, issues one work
order per repair."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

import pytest

from services.intake.entrypoint import IntakeService
from shared.kernel.clock import FixedClock
from shared.kernel.settings import Settings
from shared.messaging.subjects import ops
from tests.conftest import SecuredNats
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration


async def test_reports_sent_at_once_are_each_answered_and_recorded_once(
    desk: Desk, services
) -> None:
    bodies = [
        report_body(f"c-{n}", kind="repair", category="plumbing", command_id=f"cmd-{n}")
        for n in range(24)
    ]
    bodies.insert(7, report_body("c-3", kind="repair", category="plumbing", command_id="cmd-3"))
    unknown = {"ticket_id": "HBW-202611-0999", "staff_id": "S01", "resolution": "ok"}
    replies = await asyncio.gather(
        *(desk.command("hbw", "report", b) for b in bodies),
        desk.command("hbw", "resolve", unknown),
    )
    *reported, refused = replies
    assert all(r["ok"] for r in reported), reported
    assert refused["ok"] is False and refused["error"]["code"] == "not_found"
    numbers = {r["ticket_id"]: r["ticket_no"] for r in reported}
    assert sorted(numbers.values()) == [f"HBW-202611-{n:04d}" for n in range(1, 25)]
    assert reported[7] == reported[3]  # the repeat of cmd-3: its first reply

    async def every_order_issued() -> bool:
        kinds = Counter(m.subject.split(".", 3)[3] for m in await desk.events())
        return kinds["workorder.issued"] == 24

    await eventually(every_order_issued)
    events = [json.loads(m.data) for m in await desk.events()]
    reported_ids = [e["aggregate_id"] for e in events if e["event_type"] == "ticket.reported"]
    reports = Counter(reported_ids)
    assert reports == Counter(set(numbers))  # each ticket reported once
    issued = [e["data"]["ticket_id"] for e in events if e["event_type"] == "workorder.issued"]
    orders = Counter(issued)
    assert orders == Counter(set(numbers))  # one work order per repair


async def test_commands_waiting_when_the_service_stops_are_each_answered(
    desk: Desk, nats_server: SecuredNats, settings: Settings, clock: FixedClock
) -> None:
    """Answers are given by tasks of their own (shared/messaging/deferred.py): a stop answers
    every command it holds before its connection closes — committed, or told to retry — so no
    caller waits for a reply that never comes."""
    intake = IntakeService(settings, clock)
    await intake.start(nats_server.url)
    try:
        held = await desk.request(ops("intake", "hold"), {"seconds": 30})
        assert held["held"]
        waiting = [
            asyncio.create_task(desk.command("hbw", "report", report_body(f"s-{n}")))
            for n in range(6)
        ]
        await asyncio.sleep(0.5)
        assert not any(w.done() for w in waiting)  # held: each waits for its commit
    finally:
        await intake.stop()
    replies = await asyncio.gather(*waiting)  # a reply each, well inside the request's timeout
    for reply in replies:
        assert reply["ok"] or reply["error"]["code"] == "unavailable", reply
    committed = [r for r in replies if r["ok"]]
    assert committed  # the batch under way at the stop was committed, and its callers told
    numbers = sorted(r["ticket_no"] for r in committed)
    assert numbers == [f"HBW-202611-{n:04d}" for n in range(1, len(committed) + 1)]
