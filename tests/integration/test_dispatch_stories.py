"""The repair flows of the procedures (派工单, docs/DOMAIN.md §4, R7.1–R8.16) through NATS,
real stores."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from tests.integration.support import Desk, eventually, report_body
from tests.postgres import STORES

pytestmark = pytest.mark.integration


async def repair(desk: Desk, ref: str, content: str, **fields: Any) -> tuple[dict, dict]:
    """Report a repair and wait for the work order dispatch issues for it at once."""
    body = report_body(ref, kind="repair", category="plumbing", content=content) | fields
    ticket = await desk.command("hbw", "report", body)
    shown = await eventually(lambda: _with_order(desk, ticket["ticket_id"]))
    return ticket, shown["work_orders"][0]


async def _with_order(desk: Desk, ticket_id: str) -> dict | None:
    reply = await desk.query("hbw", "ticket.get", {"ticket_id": ticket_id})
    return reply["ticket"] if reply["ok"] and reply["ticket"]["work_orders"] else None


async def order_state(desk: Desk, order_id: str, status: str, events: int = 1) -> dict:
    """The order once the view shows it in `status` with at least `events` events."""

    async def reached() -> dict | None:
        reply = await desk.query("hbw", "workorder.get", {"work_order_id": order_id})
        order = reply.get("work_order") or {}
        ok = order.get("status") == status and len(order.get("history", [])) >= events
        return order if ok else None

    return await eventually(reached)


async def walk(desk: Desk, order_id: str, *steps: tuple[str, dict]) -> list[dict]:
    replies = []
    for verb, fields in steps:
        reply = await desk.dispatch(
            "hbw", verb, {"work_order_id": order_id, "staff_id": "E01"} | fields
        )
        assert reply["ok"], (verb, reply)
        replies.append(reply)
    return replies


TO_SITE = (
    ("collect", {"collected_by": "ENG-LEAD"}),
    ("assign", {"technician": "T07"}),
    ("arrive", {}),
)


@pytest.mark.parametrize("persistence", STORES)
async def test_a_household_urgent_repair_goes_from_report_to_signature_and_resolves_the_ticket(
    desk: Desk, services
) -> None:
    """R7.1 urgent, R4.3 household, R8.1–R8.12 lifecycle; the last sign-off resolves the ticket."""
    ticket, order = await repair(desk, "u-1", "厨房水管爆裂, 大量漏水")

    assert (order["urgency"], order["scope"], order["department"]) == (
        "urgent", "household", "engineering",
    )  # fmt: skip
    assert order["order_no"] == f"{ticket['ticket_no']}-W1"
    await walk(
        desk,
        order["work_order_id"],
        *TO_SITE,
        ("complete", {"notes": "更换爆裂水管", "actual_item": "DN20 水管"}),
        ("sign_off", {"quality": 5, "attitude": 5}),
        ("return", {}),
    )

    done = await order_state(desk, order["work_order_id"], "returned")
    resolved = await desk.ticket("hbw", ticket["ticket_id"], version=2)
    assert done["technician"] == "T07" and done["evaluation"]["quality"] == 5
    assert resolved["status"] == "resolved"
    assert resolved["history"][-1]["event_type"] == "ticket.resolved"


async def test_a_public_facility_repair_is_routed_and_classified_public(desk, services) -> None:
    """R4.3: public facilities have their own limits; routing by category (per site)."""
    t = await desk.command(
        "hbw",
        "report",
        report_body("p-1", kind="repair", category="elevator", content="3栋电梯按钮失灵",
                    reporter={"name": "保安", "phone": "13800000000"}),
    )  # fmt: skip
    shown = await eventually(lambda: _with_order(desk, t["ticket_id"]))
    order = shown["work_orders"][0]

    assert (order["scope"], order["urgency"], order["department"]) == (
        "public", "urgent", "engineering",
    )  # fmt: skip
    override = await desk.dispatch(
        "hbw",
        "override",
        {"work_order_id": order["work_order_id"], "staff_id": "S01", "urgency": "general",
         "reason": "按钮失灵不影响运行"},
    )  # fmt: skip
    assert override["urgency"] == "general"
    history = (await order_state(desk, order["work_order_id"], "issued", events=2))["history"]
    assert history[-1]["data"]["reason"] == "按钮失灵不影响运行"


async def test_a_paid_item_is_quoted_before_work_and_a_declined_quote_ends_the_order(
    desk: Desk, services
) -> None:
    """R8.5–R8.7: the quote always comes before the work; no fee without an accepted quote."""
    _, order = await repair(desk, "q-1", "更换卫生间龙头(非标准件)")
    oid = order["work_order_id"]
    await walk(desk, oid, *TO_SITE)

    no_quote = await desk.dispatch(
        "hbw", "complete",
        {"work_order_id": oid, "staff_id": "T07", "notes": "换龙头", "actual_item": "龙头",
         "fee": "80.00"},
    )  # fmt: skip
    await walk(desk, oid, ("quote", {"amount": "80.00", "items": "非标准龙头"}))
    before_answer = await desk.dispatch(
        "hbw", "complete",
        {"work_order_id": oid, "staff_id": "T07", "notes": "x", "actual_item": "x"},
    )  # fmt: skip
    await walk(desk, oid, ("decline_quote", {"reason": "业主自行购买"}))
    after_decline = await desk.dispatch("hbw", "arrive", {"work_order_id": oid, "staff_id": "T07"})

    assert (
        no_quote["error"]["code"] == "invalid" and no_quote["error"]["fields"][0]["field"] == "fee"
    )
    assert before_answer["error"]["code"] == "conflict"
    assert after_decline["error"]["code"] == "conflict"
    assert "declined" in after_decline["error"]["message"]
    declined = await order_state(desk, oid, "declined")
    assert declined["quote"] == {"amount": "80.00", "items": "非标准龙头", "state": "declined"}


async def test_an_accepted_quote_is_the_fee(desk: Desk, services) -> None:
    _, order = await repair(desk, "q-2", "更换门锁")
    oid = order["work_order_id"]
    await walk(desk, oid, *TO_SITE, ("quote", {"amount": "120", "items": "门锁"}),
               ("accept_quote", {}))  # fmt: skip

    wrong = await desk.dispatch(
        "hbw", "complete",
        {"work_order_id": oid, "staff_id": "T07", "notes": "n", "actual_item": "门锁",
         "fee": "150"},
    )  # fmt: skip
    await walk(desk, oid, ("complete", {"notes": "换锁", "actual_item": "门锁", "fee": "120"}))

    assert wrong["error"]["fields"][0]["field"] == "fee"
    assert (await order_state(desk, oid, "completed"))["fee"] == "120.00"


async def test_nobody_home_reschedules_with_a_new_appointment(desk: Desk, services, clock) -> None:
    """R7.17: nobody home after 3 minutes: back to the desk for a new appointment."""
    _, order = await repair(desk, "n-1", "阳台门关不上")
    start = clock.now() + timedelta(days=1)
    window = {"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()}
    await walk(desk, order["work_order_id"], *TO_SITE,
               ("reschedule", {"appointment": window}))  # fmt: skip

    again = await order_state(desk, order["work_order_id"], "assigned", events=5)
    assert again["reschedules"] == 1
    assert again["appointment"]["start"].startswith(start.date().isoformat())
    await walk(desk, order["work_order_id"], ("arrive", {}))


async def test_rework_within_the_warranty_is_linked_and_free(desk: Desk, services, clock) -> None:
    """R8.9: rework within 3 months is linked to the original order and free."""
    ticket, order = await repair(desk, "w-1", "马桶水箱漏水")
    oid = order["work_order_id"]
    await walk(desk, oid, *TO_SITE,
               ("complete", {"notes": "换水箱配件", "actual_item": "进水阀"}),
               ("sign_off", {"quality": 4, "attitude": 5}))  # fmt: skip
    clock.advance(timedelta(days=30))

    rework = await desk.dispatch(
        "hbw", "rework", {"work_order_id": oid, "staff_id": "S01", "reason": "水箱再次漏水"}
    )
    await walk(desk, rework["work_order_id"], TO_SITE[0])
    charge = await desk.dispatch(
        "hbw", "quote",
        {"work_order_id": rework["work_order_id"], "staff_id": "E01", "amount": "50",
         "items": "x"},
    )  # fmt: skip

    assert rework["order_no"] == f"{ticket['ticket_no']}-W2"
    second = await order_state(desk, rework["work_order_id"], "collected", events=2)
    assert second["rework_of"] == oid and second["free_of_charge"] is True
    assert charge["error"]["code"] == "invalid"


async def test_the_warranty_runs_from_the_owners_acceptance_and_signature_R8_9(
    desk: Desk, services, clock
) -> None:
    """R8.9 (修理项目竣工以业主验收签字为准): a repair completed, signed by the owner 60 days later,
    and reworked 60 days after the signature (120 after the completion) is still free."""
    _, order = await repair(desk, "w-2", "卫生间地漏返水")
    oid = order["work_order_id"]
    await walk(desk, oid, *TO_SITE, ("complete", {"notes": "疏通地漏", "actual_item": "地漏"}))
    clock.advance(timedelta(days=60))
    await walk(desk, oid, ("sign_off", {"quality": 4, "attitude": 5}))
    clock.advance(timedelta(days=60))

    rework = await desk.dispatch(
        "hbw", "rework", {"work_order_id": oid, "staff_id": "S01", "reason": "地漏再次返水"}
    )

    assert rework["ok"], rework
    second = await order_state(desk, rework["work_order_id"], "issued")
    assert second["free_of_charge"] is True


async def test_a_leak_repair_waits_for_the_rain_before_signature(desk: Desk, services) -> None:
    """R8.8: a leak repair is accepted only after the customer confirms it after the next rain."""
    _, order = await repair(desk, "l-1", "顶楼屋面渗水")
    oid = order["work_order_id"]
    await walk(desk, oid, *TO_SITE,
               ("complete", {"notes": "重做防水层", "actual_item": "防水涂料"}))  # fmt: skip

    too_early = await desk.dispatch(
        "hbw", "sign_off", {"work_order_id": oid, "staff_id": "E01", "quality": 5, "attitude": 5}
    )
    waiting = await order_state(desk, oid, "awaiting_acceptance")
    await walk(desk, oid, ("confirm_acceptance", {"note": "雨后未见渗水"}),
               ("sign_off", {"quality": 5, "attitude": 4}))  # fmt: skip

    assert too_early["error"]["code"] == "conflict"
    assert waiting["leak"] is True
    await order_state(desk, oid, "signed_off")


async def test_one_site_cannot_touch_another_sites_orders(desk: Desk, services) -> None:
    ticket, order = await repair(desk, "m-1", "客厅灯不亮")
    foreign = {"work_order_id": order["work_order_id"], "staff_id": "X01"}

    collect = await desk.dispatch("tech-park", "collect", foreign | {"collected_by": "X02"})
    issue = await desk.dispatch(
        "tech-park", "issue",
        {"ticket_id": ticket["ticket_id"], "staff_id": "X01", "reason": "试图派单"},
    )  # fmt: skip
    query = await desk.query(
        "tech-park", "workorder.get", {"work_order_id": order["work_order_id"]}
    )

    assert (
        collect["error"]["code"] == issue["error"]["code"] == query["error"]["code"] == "not_found"
    )
    assert (await order_state(desk, order["work_order_id"], "issued"))["collected_by"] is None


async def test_out_of_order_commands_are_refused_and_record_nothing(desk: Desk, services) -> None:
    _, order = await repair(desk, "o-1", "卧室插座没电")
    oid = order["work_order_id"]
    count = await desk.stream_count()

    complete = await desk.dispatch(
        "hbw",
        "complete",
        {"work_order_id": oid, "staff_id": "T1", "notes": "n", "actual_item": "x"},
    )
    unknown = await desk.dispatch("hbw", "arrive", {"work_order_id": report_body()["client_ref"]})
    repeat = {"work_order_id": oid, "staff_id": "E1", "collected_by": "L1", "command_id": "c-9"}
    first, again = (
        await desk.dispatch("hbw", "collect", repeat),
        await desk.dispatch("hbw", "collect", repeat),
    )

    assert complete["error"]["code"] == "conflict" and "issued" in complete["error"]["message"]
    assert unknown["error"]["code"] == "invalid"
    assert first == again
    await order_state(desk, oid, "collected")
    assert await desk.stream_count() == count + 1


async def test_a_complaint_gets_a_work_order_by_hand(desk: Desk, services) -> None:
    t = await desk.command("hbw", "report", report_body("c-1", category="cleaning"))
    await desk.ticket("hbw", t["ticket_id"])

    async def issued() -> dict | None:
        reply = await desk.dispatch(
            "hbw", "issue", {"ticket_id": t["ticket_id"], "staff_id": "S01", "reason": "楼道未清扫"}
        )
        return reply if reply["ok"] else None

    reply = await eventually(issued)
    assert reply["department"] == "cleaning" and reply["scope"] == "public"


async def test_a_non_standard_item_is_issued_marked_for_the_supervisors_assessment(
    desk: Desk, services
) -> None:
    """R7.14: an item not in the fee catalogue: the engineering supervisor assesses feasibility
    and cost within 15 minutes of receiving the order."""
    t = await desk.command("hbw", "report", report_body("n-1", category="maintenance"))
    await desk.ticket("hbw", t["ticket_id"])
    body = {"ticket_id": t["ticket_id"], "staff_id": "S01", "reason": "更换非标门禁"}

    async def issued() -> dict | None:
        reply = await desk.dispatch("hbw", "issue", body | {"non_standard": True})
        return reply if reply["ok"] else None

    reply = await eventually(issued)
    order = await order_state(desk, reply["work_order_id"], "issued")

    assert order["non_standard"] is True
    [event] = [json.loads(m.data) for m in await desk.events()
               if m.subject == "desk.evt.hbw.workorder.issued"]  # fmt: skip
    assert (event["aggregate_id"], event["data"]["origin"]) == (reply["work_order_id"], "manual")
    assert event["data"]["non_standard"] is True
    assert event["schema_version"] >= 2  # schema 2 added non_standard
