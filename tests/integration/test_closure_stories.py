"""Closure and the ticket's references through NATS (issue 13): a ticket is named by its number in
every command, and cancelling is for a duplicate or a withdrawal (docs/DOMAIN.md §2, §6)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.drill import Drill
from tests.integration.support import Desk, eventually, report_body
from tests.postgres import STORES

pytestmark = [pytest.mark.integration, pytest.mark.parametrize("persistence", STORES)]


async def published(desk: Desk, event_type: str, aggregate: str) -> list[dict[str, Any]]:
    found = [json.loads(m.data) for m in await desk.events() if m.subject.endswith(event_type)]
    return [e for e in found if e["aggregate_id"] == aggregate]


async def test_every_command_that_names_a_ticket_takes_its_number_G2(
    desk: Desk, drill_services
) -> None:
    """What the desk told the customer (HBW-202611-0042, docs/contract.md §8) names the ticket in
    intake's, dispatch's and escalation's commands, `--duplicate-of` included (G2)."""
    await drill_services()
    drill = Drill(desk)
    first = await desk.command("hbw", "report", report_body("n-1", kind="repair",
                                                            category="plumbing"))  # fmt: skip
    again = await desk.command("hbw", "report", report_body("n-2", kind="repair",
                                                            category="plumbing"))  # fmt: skip
    number = first["ticket_no"].lower()  # as a person types it
    await drill.started(first["ticket_id"], "general_fixed")

    replied = await desk.command(
        "hbw", "reply", {"ticket_id": number, "staff_id": "S01", "message": "已派工"}
    )

    async def issued() -> dict | None:
        reply = await desk.dispatch(
            "hbw", "issue", {"ticket_id": number, "staff_id": "S01", "reason": "需要保洁"}
        )
        return reply if reply["ok"] else None

    order = await eventually(issued)
    paused = await drill.escalation("pause", {"ticket_id": number, "reason": "parts"})
    cancelled = await desk.command(
        "hbw",
        "cancel",
        {"ticket_id": again["ticket_no"], "staff_id": "S01", "reason": "duplicate",
         "duplicate_of": first["ticket_no"]},
    )  # fmt: skip
    unknown = await desk.command(
        "hbw", "reply", {"ticket_id": "HBW-202601-0999", "staff_id": "S01", "message": "x"}
    )

    assert replied["ok"] and replied["ticket_id"] == first["ticket_id"], replied
    assert order["ticket_id"] == first["ticket_id"]
    assert paused["ok"] and paused["ticket_id"] == first["ticket_id"], paused
    assert cancelled["ok"] and cancelled["ticket_id"] == again["ticket_id"], cancelled
    [event] = await eventually(lambda: published(desk, "ticket.cancelled", again["ticket_id"]))
    assert event["data"]["duplicate_of"] == first["ticket_id"]
    assert unknown["error"]["code"] == "not_found"


async def test_cancelling_is_for_a_duplicate_or_a_withdrawal_and_keeps_the_reason_G2(
    desk: Desk, services
) -> None:
    """docs/DOMAIN.md §6, G2: a ticket is cancelled as a duplicate of the ticket it repeats or
    as withdrawn by the customer, the reason kept; any other reason is refused."""
    t = await desk.command("hbw", "report", report_body("c-1", kind="inquiry"))
    ref = {"ticket_id": t["ticket_id"], "staff_id": "S01"}

    anything = await desk.command("hbw", "cancel", ref | {"reason": "不想处理了"})
    nameless = await desk.command("hbw", "cancel", ref | {"reason": "duplicate"})
    withdrawn = await desk.command(
        "hbw", "cancel", ref | {"reason": "withdrawn", "note": "业主表示已自行解决"}
    )

    assert anything["error"]["code"] == "invalid", anything
    assert nameless["error"]["code"] == "invalid", nameless
    assert withdrawn["ok"] and withdrawn["status"] == "cancelled", withdrawn
    [event] = await eventually(lambda: published(desk, "ticket.cancelled", t["ticket_id"]))
    assert (event["data"]["reason"], event["data"]["note"]) == ("withdrawn", "业主表示已自行解决")
    shown = await desk.ticket("hbw", t["ticket_id"], version=2)
    assert (shown["cancel_reason"], shown["cancel_note"]) == ("withdrawn", "业主表示已自行解决")


async def _order_in_view(desk: Desk, ticket_id: str, number: int = 1) -> dict[str, Any]:
    async def shown() -> dict | None:
        reply = await desk.query("hbw", "ticket.get", {"ticket_id": ticket_id})
        orders = reply["ticket"]["work_orders"] if reply["ok"] else []
        return orders[number - 1] if len(orders) >= number else None

    return await eventually(shown)


async def _order_status(desk: Desk, order_id: str, status: str) -> dict[str, Any]:
    async def reached() -> dict | None:
        reply = await desk.query("hbw", "workorder.get", {"work_order_id": order_id})
        order = reply.get("work_order") or {}
        return order if order.get("status") == status else None

    return await eventually(reached)


async def test_a_repair_is_not_resolved_while_its_order_is_open_and_cancelling_cancels_it_R8_12(
    desk: Desk, drill_services
) -> None:
    """R8.12, R8.8: a ticket is resolved once its work is signed off, never while an order is
    open (a leak waits for the next rain); cancelling the ticket (withdrawn, G2) cancels its
    open order, which dispatch records and reporting shows."""
    await drill_services()
    t = await desk.command("hbw", "report", report_body("o-1", kind="repair", category="plumbing",
                                                        content="顶楼屋面渗水"))  # fmt: skip
    order = await _order_in_view(desk, t["ticket_id"])
    collected = await desk.dispatch(
        "hbw", "collect",
        {"work_order_id": order["work_order_id"], "staff_id": "E01", "collected_by": "E02"},
    )  # fmt: skip
    assert collected["ok"], collected
    await _order_status(desk, order["work_order_id"], "collected")

    resolved = await desk.command(
        "hbw", "resolve", {"ticket_id": t["ticket_id"], "staff_id": "S01", "resolution": "已修"}
    )
    cancelled = await desk.command(
        "hbw", "cancel",
        {"ticket_id": t["ticket_id"], "staff_id": "S02", "reason": "withdrawn",
         "note": "业主自行请人维修"},
    )  # fmt: skip

    assert resolved["ok"] is False and resolved["error"]["code"] == "conflict", resolved
    assert order["order_no"] in resolved["error"]["message"]
    assert cancelled["ok"] and cancelled["status"] == "cancelled", cancelled
    shown = await _order_status(desk, order["work_order_id"], "cancelled")
    assert "withdrawn" in shown["cancel_reason"]
    [event] = await eventually(lambda: published(desk, "workorder.cancelled",
                                                 order["work_order_id"]))  # fmt: skip
    assert (event["actor"], event["data"]["ticket_cancelled"]) == ("S02", True)


async def test_a_supervisor_cancels_an_order_no_longer_wanted_and_its_clocks_stop_R8_12_R1_7(
    desk: Desk, drill_services
) -> None:
    """A second order issued by mistake is cancelled by the supervisor (R1.7): escalation cancels
    that order's own clocks, and the first order's sign-off then finishes the ticket's work and
    resolves it (R8.12)."""
    await drill_services()
    drill = Drill(desk)
    t = await desk.command("hbw", "report", report_body("o-2", kind="repair", category="plumbing",
                                                        content="厨房水龙头滴水"))  # fmt: skip
    first = await _order_in_view(desk, t["ticket_id"])
    second = await desk.dispatch(
        "hbw", "issue", {"ticket_id": t["ticket_id"], "staff_id": "S01", "reason": "重复派单"}
    )
    assert second["ok"], second
    await drill.started(t["ticket_id"], f"order_collected_household:{second['order_no']}")

    cancel = await desk.dispatch(
        "hbw", "cancel",
        {"work_order_id": second["work_order_id"], "staff_id": "SUP", "reason": "重复派单"},
    )  # fmt: skip
    assert cancel["ok"] and cancel["status"] == "cancelled", cancel

    async def clock_cancelled() -> list[dict]:
        stopped = await drill.events("escalation.clock_stopped", t["ticket_id"])
        key = f"order_collected_household:{second['order_no']}"
        return [e for e in stopped if e["data"]["key"] == key and
                e["data"]["outcome"] == "cancelled"]  # fmt: skip

    await eventually(clock_cancelled)
    for verb, fields in (("collect", {"collected_by": "E02"}), ("assign", {"technician": "T07"}),
                         ("arrive", {}), ("complete", {"notes": "换阀芯", "actual_item": "阀芯"}),
                         ("sign_off", {"quality": 5, "attitude": 5})):  # fmt: skip
        reply = await desk.dispatch(
            "hbw", verb, {"work_order_id": first["work_order_id"], "staff_id": "E01"} | fields
        )
        assert reply["ok"], (verb, reply)
    resolved = await desk.ticket("hbw", t["ticket_id"], version=2)
    assert resolved["status"] == "resolved"


async def test_a_complaint_is_resolved_once_classified_and_its_solution_accepted_R6_9_R6_2(
    desk: Desk, services
) -> None:
    """R6.2: a complaint is classified before it is handled; R6.9: the proposed solution is put
    to the customer and carried out only once the customer accepts it, so the complaint is
    resolved after that acceptance is recorded (ticket.solution_accepted)."""
    t = await desk.command("hbw", "report", report_body("s-1", category="cleaning",
                                                        content="楼道垃圾三天没人清"))  # fmt: skip
    ref = {"ticket_id": t["ticket_id"], "staff_id": "S01"}
    resolution = {"resolution": "已安排保洁重新清扫"}

    unclassified = await desk.command("hbw", "resolve", ref | resolution)
    await desk.command("hbw", "classify", ref | {"validity": "valid", "severity": "minor"})
    unaccepted = await desk.command("hbw", "resolve", ref | resolution)
    accepted = await desk.command(
        "hbw", "accept_solution", ref | {"solution": "今天下午重新清扫并每日巡查"}
    )
    resolved = await desk.command("hbw", "resolve", ref | resolution)

    assert unclassified["error"]["code"] == "conflict", unclassified
    assert "unclassified" in unclassified["error"]["message"]
    assert unaccepted["error"]["code"] == "conflict", unaccepted
    assert "R6.9" in unaccepted["error"]["message"]
    assert accepted["ok"], accepted
    assert resolved["ok"] and resolved["status"] == "resolved", resolved
    shown = await desk.ticket("hbw", t["ticket_id"], version=4)
    assert [h["event_type"] for h in shown["history"]][-2:] == [
        "ticket.solution_accepted", "ticket.resolved",
    ]  # fmt: skip
    assert shown["solution_accepted_at"] is not None
