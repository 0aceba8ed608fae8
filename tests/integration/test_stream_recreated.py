"""DESK deleted and created again (issue 11, item 2; docs/RELIABILITY.md "DESK recreated"): no
reader resumes at its old position in the new, shorter stream and silently skips what comes
(before: 0 of 20 new reports reached the view, repairs got no orders). Each stops loudly; ops
republish the services' events into the new DESK and adopt it; then everything goes on, once.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from typing import Any

import pytest

from propdesk.cli.replay import replay_view
from propdesk.cli.verify import verify_view
from services.dispatch.entrypoint import DispatchService
from services.intake.entrypoint import IntakeService
from services.reporting.entrypoint import ReportingService
from services.reporting.ops.registry import PROJECTIONS
from shared.kernel.sites import SiteDirectory
from shared.messaging.identity import HUB_ACCOUNT
from shared.messaging.service import Service
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

SERVICES = (IntakeService, DispatchService, ReportingService)


async def start(nats_server, settings, clock) -> list[Service]:
    started = []
    for cls in SERVICES:
        service = cls(settings, clock)
        await service.start(nats_server.url)
        started.append(service)
    return started


async def stop(services: list[Service]) -> None:
    for service in reversed(services):
        await service.stop()


async def repair(desk: Desk, ref: str) -> dict[str, Any]:
    reply = await desk.command(
        "hbw", "report", report_body(ref, kind="repair", category="plumbing")
    )
    assert reply["ok"], reply
    return reply


async def envelopes(desk: Desk) -> list[dict[str, Any]]:
    return [json.loads(m.data) for m in await desk.events()]


async def status(desk: Desk, service: str) -> dict[str, Any]:
    reply = await desk.request(f"desk.ops.{service}.stream.status", {})
    assert reply["ok"], reply
    return reply


async def test_a_recreated_desk_stops_every_reader_until_ops_republish_and_adopt_it(
    desk: Desk, nats_server, settings, clock
) -> None:
    services = await start(nats_server, settings, clock)
    before = [await repair(desk, f"r{n}") for n in range(3)]
    reporting = services[2]

    async def orders_issued() -> bool:
        found = [e for e in await envelopes(desk) if e["event_type"] == "workorder.issued"]
        return len(found) == 3 and reporting.view.position() == await desk.stream_count()

    await eventually(orders_issued)
    history = await envelopes(desk)
    await stop(services)

    # an operator deletes DESK at the server; the first service to start declares it again
    await nats_server.stop()
    shutil.rmtree(nats_server.store_dir / "jetstream" / HUB_ACCOUNT / "streams" / "DESK")
    await nats_server.start()
    services = await start(nats_server, settings, clock)
    reporting = services[2]

    async def every_reader_stopped() -> bool:
        for name in ("intake", "dispatch", "reporting"):
            readers = (await status(desk, name))["readers"]
            if not all(r["stopped"] for r in readers):
                return False
        return True

    await eventually(every_reader_stopped)
    during = await repair(desk, "r-during")  # recorded, kept, not published into a split
    assert during["ticket_no"].endswith("-0004")
    assert await desk.stream_count() == 0
    alerts = await desk.request("desk.ops.intake.stream.republish", {})  # step 1 …
    assert alerts["ok"] and alerts["republished"] > 0
    assert (await desk.request("desk.ops.dispatch.stream.republish", {}))["ok"]
    again = await desk.request("desk.ops.dispatch.stream.republish", {})
    assert again["ok"] is True  # still stopped until adopted: republishing twice is harmless

    republished = await envelopes(desk)
    assert Counter(e["event_id"] for e in republished) == Counter(e["event_id"] for e in history)
    for name in ("intake", "dispatch", "reporting"):  # … step 2
        adopted = await desk.request(f"desk.ops.{name}.stream.adopt", {})
        assert adopted["ok"] and adopted["adopted"], adopted

    after = await repair(desk, "r-after")

    async def both_new_repairs_ordered() -> bool:
        issued = Counter(
            e["data"]["ticket_id"]
            for e in await envelopes(desk)
            if e["event_type"] == "workorder.issued"
        )
        return all(issued[t["ticket_id"]] == 1 for t in (during, after))

    await eventually(both_new_repairs_ordered)
    issued = Counter(
        e["data"]["ticket_id"]
        for e in await envelopes(desk)
        if e["event_type"] == "workorder.issued"
    )
    assert all(n == 1 for n in issued.values()) and len(issued) == 5  # once each, no more
    numbers = [e["data"]["ticket_no"] for e in await envelopes(desk)
               if e["event_type"] == "ticket.reported"]  # fmt: skip
    assert len(numbers) == len(set(numbers)) == 5
    await desk.ticket("hbw", after["ticket_id"])  # the view follows the new DESK
    for reply in before:
        await desk.ticket("hbw", reply["ticket_id"])

    # the views adopted with an offset; a replay gives them the new DESK's own sequences
    tickets = PROJECTIONS["tickets"]
    assert await replay_view(nats_server.url, tickets, settings.data_dir, SiteDirectory()) == 0
    assert await verify_view(nats_server.url, tickets, SiteDirectory()) == 0
    await stop(services)
