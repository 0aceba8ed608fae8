"""A supervisor overrides a work order's urgency (R7.1, R7.3) late on Friday 27 November 2026, at a
site counting office hours (08:30–17:30): the order's own clocks count as work of the new urgency
counts, again from their start (docs/SERVICE-LEVELS.md). The deadline `ticket.get`,
`workorder.list`, `propdesk ticket show` and the console's ticket page give is the one the
procedures give an order of that urgency: collected within 2 minutes of its issue (R7.6), on site
within 15 minutes of its collection (R7.7). An override of the order's scope (household ↔ public)
runs the other scope's clocks instead (R7.12, R7.13)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from services.console.domain.words import CLOCKS
from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_as
from tests.integration.drill import Drill, parse, shanghai
from tests.integration.support import Desk, eventually
from tests.integration.test_desk_words import cli
from tests.integration.test_escalation_repair_clocks import repair, walk

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 11, 27, 17, 29)  # a Friday, a minute before closing
SUPERVISOR = "DS01"
SITES = SiteDirectory.model_validate(
    {
        "sites": {
            "hbw": {
                "name": "Harbour View",
                "sla": {
                    "counting": "office_hours",
                    "office_hours": {"opens": "08:30", "closes": "17:30"},
                },
                "staff": {
                    "S01": {"role": "receptionist"},
                    "E01": {"role": "department_staff", "department": "engineering"},
                    SUPERVISOR: {"role": "department_supervisor", "department": "engineering"},
                },
            }
        }
    }
)


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


def friday(hour: int, minute: int) -> datetime:
    return shanghai(2026, 11, 27, hour, minute)


def monday(hour: int, minute: int) -> datetime:
    return shanghai(2026, 11, 30, hour, minute)


async def due_shown(desk: Desk, ticket_id: str, key: str, due: datetime) -> dict[str, Any]:
    """The clock `key` as `ticket.get` shows it once its deadline is `due`."""

    async def shown() -> dict[str, Any] | None:
        reply = await desk.query("hbw", "ticket.get", {"ticket_id": ticket_id})
        clock = ((reply.get("ticket") or {}).get("sla") or {}).get("clocks", {}).get(key)
        return clock if clock and clock["deadline"] and parse(clock["deadline"]) == due else None

    return await eventually(shown)


async def override(desk: Desk, order: dict[str, Any], urgency: str, reason: str) -> None:
    reply = await desk.dispatch("hbw", "override", {
        "work_order_id": order["work_order_id"], "staff_id": SUPERVISOR, "urgency": urgency,
        "reason": reason,
    })  # fmt: skip
    assert reply["ok"] and reply["urgency"] == urgency, reply


async def test_an_order_made_urgent_at_friday_closing_is_due_that_evening_R7_1_R7_3_R7_6(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    ticket, order = await repair(desk, "r-urgent", content="厨房水龙头滴水")
    assert order["urgency"] == "general"  # R7.2
    key = f"order_collected_household:{order['order_no']}"
    # issued general at 17:29: one office minute that day, the other on Monday
    await due_shown(desk, ticket, key, monday(8, 31))

    await drill.set_clock(friday(17, 35))
    await override(desk, order, "urgent", "水管爆裂")  # R7.1: a burst pipe

    # two minutes from its issue in calendar time, as for an order urgent from the first; the
    # ticket's urgent repair clock counts from receipt (R7.3)
    clock = await due_shown(desk, ticket, key, friday(17, 31))
    await due_shown(desk, ticket, "urgent_on_site", friday(19, 29))
    assert clock["state"] == "running"
    [recounted] = [
        e["data"]
        for e in await drill.events("escalation.clock_recounted", ticket)
        if e["data"]["key"] == key
    ]
    assert recounted["counting"] == "calendar"
    assert parse(recounted["previous_deadline"]) == monday(8, 31)

    async def breached() -> dict[str, Any] | None:
        found = await drill.events("escalation.clock_breached", ticket)
        return next((e["data"] for e in found if e["data"]["key"] == key), None)

    # already passed when it was made urgent: late at once, and the supervisor is told
    breach = await eventually(breached)
    assert parse(breach["deadline"]) == friday(17, 31)
    assert breach["notification"]["role"] == "department_supervisor"

    listed = await desk.query("hbw", "workorder.list", {})
    [shown] = [o for o in listed["work_orders"] if o["order_no"] == order["order_no"]]
    assert parse(shown["clocks"][key]["deadline"]) == friday(17, 31)
    assert shown["urgency"] == "urgent"


async def test_an_urgent_order_made_general_no_longer_counts_the_night_R7_1_R7_7(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services()
    drill = Drill(desk)
    ticket, order = await repair(desk, "r-general", content="厨房水管爆裂, 大量漏水")
    assert order["urgency"] == "urgent"  # R7.1: a burst pipe
    await walk(desk, order["work_order_id"], ("collect", {"collected_by": "E01"}))  # at 17:29
    key = f"on_site_household:{order['order_no']}"
    await due_shown(desk, ticket, key, friday(17, 44))  # urgent: calendar time

    await drill.set_clock(friday(17, 35))
    await override(desk, order, "general", "只是滴水")

    # 15 office minutes from its collection: one on Friday, fourteen on Monday
    await due_shown(desk, ticket, key, monday(8, 44))
    assert ("clock_breached", key) not in await drill.decided_at(friday(17, 45))

    number = (await desk.ticket("hbw", ticket))["ticket_no"]
    shown = await cli(nats_server.url, "ticket", "show", number, "--site", "hbw")
    assert shown.exit_code == 0, shown.output
    [row] = [line for line in shown.output.splitlines() if key in line]
    assert "2026-11-30 08:44" in row  # the clocks' table says their zone once, below it
    assert "times in Asia/Shanghai, UTC+08:00" in shown.output

    async with console_as(settings, sim_clock, SITES, nats_server.url, "S01") as client:
        page = await client.get(f"/tickets/{number}")
        assert page.status_code == 200, page.text[:300]
        [row] = [r for r in page.text.split("<tr") if CLOCKS["on_site_household"] in r]
        assert order["order_no"] in row and "2026-11-30 08:44 (UTC+08:00)" in row


async def test_an_order_made_public_runs_the_public_collection_clock_from_its_issue_R7_6_R7_12(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    """A household order is to be collected within 2 minutes of its issue (R7.6), a public
    facility's within 5 (R7.12): made public, the order's running collection clock is the
    public one, counted from the same issue, as the site counts (one office minute on Friday,
    four on Monday); the household one is cancelled, not late."""
    await drill_services()
    drill = Drill(desk)
    ticket, order = await repair(desk, "r-public", content="厨房水龙头滴水")
    assert (order["urgency"], order["scope"]) == ("general", "household")
    household = f"order_collected_household:{order['order_no']}"
    public = f"order_collected_public:{order['order_no']}"
    await due_shown(desk, ticket, household, monday(8, 31))

    await drill.set_clock(friday(17, 35))
    reply = await desk.dispatch("hbw", "override", {
        "work_order_id": order["work_order_id"], "staff_id": SUPERVISOR, "scope": "public",
        "reason": "其实是楼道总阀",
    })  # fmt: skip
    assert reply["ok"] and (reply["urgency"], reply["scope"]) == ("general", "public"), reply

    clock = await due_shown(desk, ticket, public, monday(8, 34))
    assert clock["state"] == "running"
    [stopped] = [
        e["data"]
        for e in await drill.events("escalation.clock_stopped", ticket)
        if e["data"]["key"] == household
    ]
    assert stopped["outcome"] == "cancelled"
    [started] = [
        e["data"]
        for e in await drill.events("escalation.clock_started", ticket)
        if e["data"]["key"] == public
    ]
    assert parse(started["started_at"]) == friday(17, 29)

    number = (await desk.ticket("hbw", ticket))["ticket_no"]
    async with console_as(settings, sim_clock, SITES, nats_server.url, "S01") as client:
        page = await client.get(f"/tickets/{number}")
        assert page.status_code == 200, page.text[:300]
        [row] = [r for r in page.text.split("<tr") if CLOCKS["order_collected_public"] in r]
        assert "2026-11-30 08:34 (UTC+08:00)" in row
        [listed] = [r for r in page.text.split("<tr") if f"/orders/{order['order_no']}/slip" in r]
        assert "公共设施" in listed  # the orders' table shows the scope as overridden
