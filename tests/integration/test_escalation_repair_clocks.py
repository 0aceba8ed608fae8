"""A repair's clocks after the first order (issue 13 item 6), through NATS on the simulated clock:
a reopened repair and its rework run the repair clock again (R7.3, R8.9); an appointment is a
window, due by its end (R7.15); a quote pauses the order's on-site clock until the customer
accepts it (R7.14)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.integration.drill import SECOND, Drill, parse, shanghai
from tests.integration.support import START, Desk, eventually, report_body

pytestmark = pytest.mark.integration

MINUTE = timedelta(minutes=1)


async def repair(desk: Desk, ref: str, **fields: Any) -> tuple[str, dict[str, Any]]:
    body = report_body(ref, kind="repair", category="plumbing", content="厨房水龙头滴水") | fields
    reply = await desk.command("hbw", "report", body)
    assert reply["ok"], reply

    async def issued() -> dict[str, Any] | None:
        shown = await desk.query("hbw", "ticket.get", {"ticket_id": reply["ticket_id"]})
        orders = shown["ticket"]["work_orders"] if shown["ok"] else []
        return orders[0] if orders else None

    return reply["ticket_id"], await eventually(issued)


async def walk(desk: Desk, order_id: str, *steps: tuple[str, dict[str, Any]]) -> None:
    for verb, fields in steps:
        reply = await desk.dispatch(
            "hbw", verb, {"work_order_id": order_id, "staff_id": "E01"} | fields
        )
        assert reply["ok"], (verb, reply)


async def signed_off(desk: Desk, order_id: str) -> None:
    """The order collected, assigned, done and signed by the customer."""
    await walk(desk, order_id, ("collect", {"collected_by": "E01"}),
               ("assign", {"technician": "T07"}), ("arrive", {}),
               ("complete", {"notes": "换阀芯", "actual_item": "阀芯"}),
               ("sign_off", {"quality": 4, "attitude": 5}))  # fmt: skip


async def test_a_reopened_repair_runs_its_repair_clock_again_R7_3(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    ticket, order = await repair(desk, "r-1")
    first = await drill.started(ticket, "general_fixed")
    # the order is done and signed (R8.12: no resolving with an open order): that resolves it
    await signed_off(desk, order["work_order_id"])
    assert (await drill.stopped(ticket, "general_fixed"))["outcome"] == "met"

    reopened_at = START + timedelta(days=1)
    await drill.set_clock(reopened_at)
    reopened = await desk.command(
        "hbw", "reopen", {"ticket_id": ticket, "reason": "又滴水了", "staff_id": "S1"}
    )
    assert reopened["ok"], reopened

    again = await drill.started(ticket, "general_fixed", run=2)
    assert parse(first["started_at"]) == START
    assert parse(again["started_at"]) == reopened_at
    assert parse(again["deadline"]) == reopened_at + timedelta(hours=72)
    breached = await drill.decided_at(reopened_at + timedelta(hours=72))
    assert ("clock_breached", "general_fixed") in breached


async def test_a_rework_order_runs_the_repair_clock_again_R8_9(desk: Desk, drill_services) -> None:
    await drill_services()
    drill = Drill(desk)
    ticket, order = await repair(desk, "r-2")
    oid = order["work_order_id"]
    await signed_off(desk, oid)
    assert (await drill.stopped(ticket, "general_fixed"))["outcome"] == "met"

    rework_at = START + timedelta(days=10)
    await drill.set_clock(rework_at)
    rework = await desk.dispatch(
        "hbw", "rework", {"work_order_id": oid, "staff_id": "S01", "reason": "又滴水了"}
    )
    assert rework["ok"], rework

    again = await drill.started(ticket, "general_fixed", run=2)
    assert parse(again["started_at"]) == rework_at
    assert parse(again["deadline"]) == rework_at + timedelta(hours=72)


async def test_a_visit_booked_from_nine_to_eleven_is_due_by_eleven_R7_15(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    nine = shanghai(2026, 11, 24, 9, 0)
    eleven = nine + timedelta(hours=2)
    window = {"start": nine.isoformat(), "end": eleven.isoformat()}
    ticket, order = await repair(desk, "r-3", appointment=window)
    await walk(desk, order["work_order_id"], ("collect", {"collected_by": "E01"}))

    on_site = await drill.started(ticket, f"on_site_household:{order['order_no']}")
    assert parse(on_site["started_at"]) == nine
    assert parse(on_site["deadline"]) == eleven
    assert parse(on_site["warn_at"]) == nine + timedelta(minutes=96)  # 80 % of the window

    key = on_site["key"]
    assert ("clock_breached", key) not in await drill.decided_at(nine + timedelta(minutes=15))
    assert ("clock_breached", key) not in await drill.decided_at(eleven - SECOND)
    assert ("clock_breached", key) in await drill.decided_at(eleven)


async def test_the_on_site_clock_waits_while_the_customer_decides_on_the_quote_R7_14(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    ticket, order = await repair(desk, "r-4", content="门禁要换新款")
    oid = order["work_order_id"]
    await walk(desk, oid, ("collect", {"collected_by": "E01"}))
    key = f"on_site_household:{order['order_no']}"
    on_site = await drill.started(ticket, key)
    assert parse(on_site["deadline"]) == START + 15 * MINUTE

    await drill.set_clock(START + 5 * MINUTE)
    await walk(desk, oid, ("quote", {"amount": "300", "items": "非标准门禁"}))

    async def paused() -> dict[str, Any] | None:
        found = [e["data"] for e in await drill.events("escalation.clock_paused", ticket)]
        return next((p for p in found if p["key"] == key), None)

    pause = await eventually(paused)
    assert (pause["reason"], pause["counted_seconds"]) == ("customer_consent", 300.0)
    assert ("clock_breached", key) not in await drill.decided_at(START + timedelta(hours=1))

    await walk(desk, oid, ("accept_quote", {}))

    async def resumed() -> dict[str, Any] | None:
        found = [e["data"] for e in await drill.events("escalation.clock_resumed", ticket)]
        return next((r for r in found if r["key"] == key), None)

    resume = await eventually(resumed)
    assert parse(resume["deadline"]) == START + timedelta(hours=1) + 10 * MINUTE
    assert ("clock_breached", key) in await drill.decided_at(
        START + timedelta(hours=1) + 10 * MINUTE
    )
