"""workorder.list (docs/contract.md §12.7): the departments' queues — orders waiting to be
collected, assigned, on site — and a technician's own, from reporting's view, a page at a time."""

from __future__ import annotations

import pytest

from tests.integration.support import Desk, eventually
from tests.integration.test_dispatch_stories import order_state, repair, walk

pytestmark = pytest.mark.integration


async def listed(desk: Desk, **body: object) -> dict:
    reply = await desk.query("hbw", "workorder.list", body)
    assert reply["ok"], reply
    return reply


def numbers(reply: dict) -> list[str]:
    return [o["order_no"] for o in reply["work_orders"]]


async def test_orders_are_listed_by_status_and_technician_oldest_first(
    desk: Desk, services
) -> None:
    _, first = await repair(desk, "w-1", "厨房水管漏水")
    _, second = await repair(desk, "w-2", "卫生间水龙头坏了")
    _, third = await repair(desk, "w-3", "阳台地漏堵塞")
    steps = (("collect", {"collected_by": "ENG-LEAD"}), ("assign", {"technician": "T07"}))
    await walk(desk, second["work_order_id"], *steps)
    await walk(desk, third["work_order_id"], *steps, ("arrive", {}))
    await order_state(desk, third["work_order_id"], "arrived", events=4)

    waiting = await listed(desk, status="issued")
    assert numbers(waiting) == [first["order_no"]]
    assert waiting["work_orders"][0]["department"] == "engineering"
    assert "history" not in waiting["work_orders"][0]
    assert numbers(await listed(desk, status="assigned")) == [second["order_no"]]
    assert numbers(await listed(desk, status="arrived")) == [third["order_no"]]
    mine = await listed(desk, technician="T07")
    assert numbers(mine) == [second["order_no"], third["order_no"]]
    assert numbers(await listed(desk, technician="T99")) == []
    everything = await listed(desk, department="engineering")
    assert numbers(everything) == [first["order_no"], second["order_no"], third["order_no"]]


async def test_orders_come_a_page_at_a_time_and_another_site_sees_none(
    desk: Desk, services
) -> None:
    orders = [(await repair(desk, f"p-{n}", f"水管漏水 {n}"))[1] for n in range(3)]
    pages, cursor = [], None
    while True:
        page = await listed(desk, limit=2, **({"cursor": cursor} if cursor else {}))
        pages.append(numbers(page))
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == [[o["order_no"] for o in orders[:2]], [orders[2]["order_no"]]]

    async def none_elsewhere() -> bool:
        reply = await desk.query("tech-park", "workorder.list", {})
        return reply["ok"] and reply["work_orders"] == []

    assert await eventually(none_elsewhere)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"technician": "T 07"}, "technician"),
        ({"limit": 0}, "limit"),
        ({"cursor": "abc"}, "cursor"),
        ({"colour": "red"}, "colour"),
    ],
)
async def test_a_bad_work_order_query_is_invalid_naming_the_field(
    desk: Desk, services, body: dict, field: str
) -> None:
    reply = await desk.query("hbw", "workorder.list", body)
    assert reply["ok"] is False and reply["error"]["code"] == "invalid", reply
    assert field in [f["field"] for f in reply["error"]["fields"]], reply
