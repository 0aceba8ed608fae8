"""How a reported repair is classified, through intake.report on NATS and the work order dispatch
issues for it (docs/DOMAIN.md §4): urgent by what the fault is (R7.1), an emergency for the desk
(R4.10, R16.5), and household or public by where the fault is (R4.3a)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.drill import Drill
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

RESIDENT = {"name": "王小明", "phone": "13800138000", "room": "3-1201"}


async def reported(desk: Desk, ref: str, category: str, content: str) -> tuple[dict, dict]:
    """A resident of 3-1201 reports a repair: intake's reply, and the order dispatch issues."""
    body = report_body(ref, kind="repair", category=category, content=content, reporter=RESIDENT)
    reply = await desk.command("hbw", "report", body)
    assert reply["ok"], reply

    async def with_order() -> dict[str, Any] | None:
        shown = await desk.query("hbw", "ticket.get", {"ticket_id": reply["ticket_id"]})
        return (
            shown["ticket"]["work_orders"][0]
            if shown["ok"] and shown["ticket"]["work_orders"]
            else None
        )

    return reply, await eventually(with_order)


@pytest.mark.parametrize(
    ("category", "content"),
    [
        ("plumbing", "角阀断了，水哗哗地往外流"),  # R7.1(3) a tap or valve that will not shut
        ("plumbing", "阳台地漏返水，污水漫到客厅"),  # R7.1(4) a blocked drain backing up
        ("electrical", "厨房插座短路，插头都烧黑了"),  # R7.1(2) an indoor short circuit
        ("plumbing", "二次供水水泵坏了，高层都没水"),  # R7.1(3) pump failure, no water
    ],
)
async def test_an_R7_1_fault_in_other_words_is_promised_and_issued_as_urgent_R7_1_R7_3(
    desk: Desk, services, category: str, content: str
) -> None:
    reply, order = await reported(desk, "urgent-words", category, content)

    assert reply["deadline"]["clock"] == "urgent_fixed"  # R7.3: fixed within 24 h
    assert order["urgency"] == "urgent"


@pytest.mark.parametrize(
    ("category", "content"),
    [
        ("cleaning", "电梯厅地面有污渍"),  # names the elevator, not a fault of it
        ("maintenance", "经检查没有危险，只是墙皮掉了一点"),  # danger denied
        ("electrical", "没有停电，只是客厅的灯不亮"),  # power cut denied
    ],
)
async def test_a_report_that_names_an_R7_1_word_but_no_fault_stays_general_R7_1_R7_2(
    desk: Desk, services, category: str, content: str
) -> None:
    reply, order = await reported(desk, "general-words", category, content)

    assert reply["deadline"]["clock"] == "general_fixed"  # R7.3: 72 h
    assert order["urgency"] == "general"
    assert reply["emergency"] is False and order["emergency"] is False


async def test_a_smell_of_gas_is_an_urgent_emergency_for_the_desk_and_the_order_R7_1_R4_10(
    desk: Desk, services
) -> None:
    reply, order = await reported(desk, "gas", "plumbing", "一进门就闻到很浓的煤气味")

    assert reply["emergency"] is True  # the desk starts the emergency plan (R4.10, R16.5)
    assert reply["deadline"]["clock"] == "urgent_fixed"
    assert (order["urgency"], order["emergency"]) == ("urgent", True)


@pytest.mark.parametrize(
    ("category", "content"),
    [
        ("electrical", "走廊灯不亮"),
        ("plumbing", "车库消防管漏水"),
        ("maintenance", "单元门关不上，门禁也坏了"),
        ("electrical", "我家门口的走廊灯坏了"),
    ],
)
async def test_a_common_part_reported_by_a_resident_is_a_public_facility_repair_R4_3a(
    desk: Desk, services, category: str, content: str
) -> None:
    _, order = await reported(desk, "public-place", category, content)

    assert order["scope"] == "public"  # R7.12, R7.13 limits, not the household ones


async def test_a_fault_in_the_flat_stays_household_even_where_the_water_reaches_the_corridor_R4_3a(
    desk: Desk, services
) -> None:
    _, order = await reported(desk, "in-flat", "plumbing", "厨房水管爆裂，水流到楼道里了")

    assert (order["scope"], order["urgency"]) == ("household", "urgent")


async def test_a_corridor_light_reported_from_a_flat_runs_the_public_facility_clocks_R4_3a_R7_12(
    desk: Desk, drill_services
) -> None:
    """The limits follow where the fault is: the order is issued within 3 minutes and collected
    within 5 (R7.12), not the household 5 and 2 (R7.6)."""
    await drill_services("intake", "escalation", "reporting")  # nobody issues the order yet
    drill = Drill(desk)
    body = report_body("corridor", kind="repair", category="electrical", content="走廊灯不亮",
                       reporter=RESIDENT)  # fmt: skip
    reply = await desk.command("hbw", "report", body)

    started = await drill.started(reply["ticket_id"], "order_issued_public")
    assert started["target_seconds"] == 3 * 60
