"""`export_events`: a site's events of a window of occurred_at, as JSON lines, through a real
nats-server with every service running on the simulated clock."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from shared.contracts.events import parse_event
from shared.messaging.export import export_events
from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually, report_body
from tests.unit.test_no_personal_data import digits

pytestmark = pytest.mark.integration

HOUR = timedelta(hours=1)
REPORTERS = {
    "hbw": {"name": "王小明", "phone": "13800138000", "room": "3-201"},
    "ohs": {"name": "李大伟", "phone": "13912345678", "room": "8-1101"},
}


async def report(desk: Desk, site: str, ref: str, **fields: Any) -> str:
    reporter = REPORTERS[site]
    content = f"我是{reporter['name']}, 电话{reporter['phone']}, 厨房水管漏水"
    body = report_body(ref, kind="repair", category="plumbing", reporter=reporter,
                       content=content, **fields)  # fmt: skip
    reply = await desk.command(site, "report", body)
    assert reply["ok"], reply
    return reply["ticket_id"]


async def quiet(desk: Desk) -> None:
    """Wait until every reaction (dispatch's orders, escalation's clocks) has been published."""
    counts: list[int] = []

    async def still() -> bool:
        counts.append(await desk.stream_count())
        await asyncio.sleep(0.3)
        return len(counts) >= 3 and counts[-1] == counts[-2] == counts[-3]

    await eventually(still, timeout=20)


async def test_a_window_of_one_site_is_exported_as_on_the_bus(desk: Desk, drill_services) -> None:
    await drill_services()
    drill = Drill(desk)
    early = await report(desk, "hbw", "x-1")  # at START: before the window
    await report(desk, "ohs", "x-2")
    await quiet(desk)
    await drill.set_clock(START + HOUR)
    classify = {"ticket_id": early, "category": "electrical", "staff_id": "S02"}
    assert (await desk.command("hbw", "classify", classify))["ok"]
    late = await report(desk, "hbw", "x-3", received_at=(START - 5 * HOUR).isoformat())
    await report(desk, "ohs", "x-4")
    await quiet(desk)
    await drill.set_clock(START + 3 * HOUR)
    # after the window; withdrawn, as its order is still open (a repair is never resolved then,
    # R8.12), which cancels the order too
    cancel = {"ticket_id": early, "reason": "withdrawn", "staff_id": "S03"}
    assert (await desk.command("hbw", "cancel", cancel))["ok"]
    # logged after the window, but it happened within it: in by its occurred_at
    backdated = await report(desk, "hbw", "x-5", received_at=(START + 2 * HOUR).isoformat())
    await quiet(desk)
    window = (START + HOUR / 2, START + 5 * HOUR / 2)

    lines: list[str] = []
    exported = await export_events(await desk.ops(), "hbw", *window, lines.append)
    everything: list[str] = []
    await export_events(await desk.ops(), "hbw", None, None, everything.append)
    nothing: list[str] = []
    none = await export_events(await desk.ops(), "zzz", None, None, nothing.append)

    on_bus = [m for m in await desk.events() if m.subject.startswith("desk.evt.hbw.")]
    expected = [m for m in on_bus if window[0] <= parse_event(m.data).occurred_at < window[1]]
    assert exported.count == len(lines) == len(expected) > 0
    assert exported.unreadable == 0
    parsed = [parse_event(line) for line in lines]
    assert [p.model_dump() for p in parsed] == [parse_event(m.data).model_dump() for m in expected]
    assert lines == [m.data.decode() for m in expected]  # byte for byte, in stream order
    assert everything == [m.data.decode() for m in on_bus]
    assert (none.count, nothing) == (0, [])
    assert {p.site for p in parsed} == {"hbw"}
    assert {str(p.aggregate_id) for p in parsed if p.event_type.startswith("ticket.")} == {
        early,  # classified in the window; reported before it, cancelled after it
        backdated,
    }
    # the late contact occurred before the window; its order was issued (and occurred) within it
    assert late in {str(p.data.ticket_id) for p in parsed if p.event_type == "workorder.issued"}
    kinds = {p.event_type.split(".")[0] for p in parsed}
    assert kinds == {"ticket", "workorder", "escalation"}
    for line in lines + everything:
        for reporter in REPORTERS.values():
            assert reporter["name"] not in line
            assert reporter["phone"] not in digits(line)
