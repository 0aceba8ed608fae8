"""Every service-level clock of docs/DOMAIN.md §5 warns and breaches at the right moment, through
NATS with real nats-server and stores, on the simulated clock (desk.sim.clock.set)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest

from shared.kernel.sla import DEFAULT_CLOCKS
from shared.kernel.vocabulary import ClockName, Department, Role
from tests.integration.drill import SECOND, Drill, parse
from tests.integration.support import START, Desk, eventually, report_body

pytestmark = pytest.mark.integration

WITHOUT_DISPATCH = ("intake", "escalation", "reporting")  # nobody issues the order: it breaches


async def order_of(desk: Desk, ticket_id: str) -> dict[str, Any]:
    async def issued() -> dict[str, Any] | None:
        reply = await desk.query("hbw", "ticket.get", {"ticket_id": ticket_id})
        orders = reply["ticket"]["work_orders"] if reply["ok"] else []
        return orders[0] if orders else None

    return await eventually(issued)


async def report(desk: Desk, ref: str, **fields: Any) -> str:
    reply = await desk.command("hbw", "report", report_body(ref, **fields))
    assert reply["ok"], reply
    return reply["ticket_id"]


async def help_request(desk: Desk) -> tuple[str, str]:
    ticket = await report(desk, "h-1", kind="help", help_category="G", category=None,
                          content="钥匙锁在屋里了")  # fmt: skip
    return ticket, "help_reply"


def repair(category: str, content: str = "厨房水龙头滴水") -> Callable[..., Awaitable[Any]]:
    async def reported(desk: Desk) -> str:
        return await report(desk, f"r-{category}", kind="repair", category=category,
                            content=content)  # fmt: skip

    return reported


def order_clock(
    name: str, category: str, content: str = "厨房水龙头滴水", *, collect: bool = False
) -> Any:
    async def setup(desk: Desk) -> tuple[str, str]:
        ticket = await repair(category, content)(desk)
        order = await order_of(desk, ticket)
        if collect:
            reply = await desk.dispatch(
                "hbw",
                "collect",
                {"work_order_id": order["work_order_id"], "collected_by": "E1", "staff_id": "E1"},
            )
            assert reply["ok"], reply
        return ticket, f"{name}:{order['order_no']}"

    return setup


def ticket_clock(name: str, category: str, content: str = "厨房水龙头滴水") -> Any:
    async def setup(desk: Desk) -> tuple[str, str]:
        return await repair(category, content)(desk), name

    return setup


async def non_standard(desk: Desk) -> tuple[str, str]:
    ticket = await report(desk, "c-1", kind="complaint", category="maintenance",
                          content="门禁坏了要换新款")  # fmt: skip
    body = {"ticket_id": ticket, "reason": "不在收费标准内", "non_standard": True, "staff_id": "S1"}

    async def issued() -> dict[str, Any] | None:
        # dispatch knows the ticket once it has read ticket.reported; until then: not_found
        reply = await desk.dispatch("hbw", "issue", body)
        return reply if reply["ok"] else None

    reply = await eventually(issued)
    return ticket, f"non_standard_assessed:{reply['order_no']}"


async def follow_up(desk: Desk) -> tuple[str, str]:
    ticket = await report(desk, "q-1", kind="inquiry", category="other", content="物业费怎么交")
    reply = await desk.command(
        "hbw", "resolve", {"ticket_id": ticket, "resolution": "已告知", "staff_id": "S1"}
    )
    assert reply["ok"], reply
    return ticket, "follow_up"


async def inspection_finding(desk: Desk) -> tuple[str, str]:
    ticket = await report(desk, "f-1", channel="inspection", reporter=None, kind="suggestion",
                          category="cleaning", content="巡查发现垃圾未清运")  # fmt: skip
    return ticket, "finding_resolved"


# A public facility's fault, wherever the reporter lives (R4.3a): a kitchen tap is household.
PUBLIC = "楼道声控灯不亮"

CASES: dict[ClockName, tuple[Any, tuple[str, ...]]] = {
    ClockName.help_reply: (help_request, ()),  # R10.2
    ClockName.order_issued_household: (ticket_clock("order_issued_household", "plumbing"),
                                       WITHOUT_DISPATCH),  # R7.6
    ClockName.order_issued_public: (ticket_clock("order_issued_public", "public_facility", PUBLIC),
                                    WITHOUT_DISPATCH),  # R7.12
    ClockName.order_collected_household: (order_clock("order_collected_household", "plumbing"),
                                          ()),  # R7.6
    ClockName.order_collected_public: (order_clock("order_collected_public", "public_facility",
                                                   PUBLIC), ()),  # R7.12
    ClockName.on_site_household: (order_clock("on_site_household", "plumbing", collect=True),
                                  ()),  # R7.7
    ClockName.on_site_public: (order_clock("on_site_public", "public_facility", PUBLIC,
                                           collect=True), ()),  # R7.13
    ClockName.urgent_on_site: (ticket_clock("urgent_on_site", "electrical", "家里停电了"),
                               ()),  # R7.3
    ClockName.urgent_fixed: (ticket_clock("urgent_fixed", "electrical", "家里停电了"), ()),  # R7.3
    ClockName.general_fixed: (ticket_clock("general_fixed", "plumbing"), ()),  # R7.3
    ClockName.non_standard_assessed: (non_standard, ()),  # R7.14
    ClockName.follow_up: (follow_up, ()),  # R11.3, G1
    ClockName.finding_resolved: (inspection_finding, ()),  # R13.16
}  # fmt: skip


def test_the_drill_covers_every_clock_of_the_table() -> None:
    assert set(CASES) == set(ClockName)


@pytest.mark.parametrize("clock", list(CASES), ids=str)
async def test_each_clock_warns_at_80_percent_and_breaches_at_its_target(
    clock: ClockName, desk: Desk, drill_services
) -> None:
    setup, names = CASES[clock]
    await drill_services(*names)
    drill = Drill(desk)
    ticket_id, key = await setup(desk)
    rule = DEFAULT_CLOCKS[clock]

    started = await drill.started(ticket_id, key)
    assert started["clock"] == clock
    assert started["target_seconds"] == rule.target.total_seconds()
    begin, deadline, warn = (parse(started[k]) for k in ("started_at", "deadline", "warn_at"))
    assert deadline == begin + rule.target
    assert warn == begin + rule.target * 0.8

    assert ("clock_warned", key) not in await drill.decided_at(warn - SECOND)
    assert ("clock_warned", key) in await drill.decided_at(warn)
    assert ("clock_breached", key) not in await drill.decided_at(deadline - SECOND)
    assert ("clock_breached", key) in await drill.decided_at(deadline)
    assert ("clock_breached", key) not in await drill.decided_at(deadline + rule.target)

    async def notified() -> list[dict[str, Any]]:
        return [
            n
            for n in await drill.notices(rule.notify.value)
            if n["ticket_id"] == ticket_id and n["clock"] == clock
        ]

    [notice] = await eventually(notified)
    assert notice["reason"] == "clock_breached"
    assert parse(notice["due_at"]) == deadline
    assert notice["order_no"] == (key.partition(":")[2] or None)  # a work order's: the order
    [breach] = [
        e
        for e in await drill.events("escalation.clock_breached", ticket_id)
        if e["data"]["key"] == key
    ]
    assert breach["data"]["notification"]["notification_id"] == notice["notification_id"]
    assert breach["data"]["compensation_risk"] is rule.compensation_risk  # R7.4
    await _told_to_the_department_of_the_work(desk, ticket_id, notice, rule.notify)

    async def overdue() -> dict[str, Any] | None:
        reply = await desk.query("hbw", "ticket.get", {"ticket_id": ticket_id})
        sla = reply["ticket"]["sla"]
        return sla if sla["clocks"].get(key, {}).get("breached") else None

    sla = await eventually(overdue)
    assert key in sla["open_clocks"]
    assert sla["overdue"] is True


async def _told_to_the_department_of_the_work(
    desk: Desk, ticket_id: str, notice: dict[str, Any], role: Role
) -> None:
    """A breach told to department supervisors names the department that does the late work, and
    is on that department's own list (R7.3, R7.6, R7.7, R7.12–R7.14; contract §20.4)."""
    if role is not Role.department_supervisor:
        assert notice["department"] is None
        return
    ticket = (await desk.query("hbw", "ticket.get", {"ticket_id": ticket_id}))["ticket"]
    [department] = {order["department"] for order in ticket["work_orders"]}
    assert notice["department"] == department

    async def listed(asked: str) -> bool:
        query = {"role": role.value, "department": asked}
        notices = (await desk.query("hbw", "notice.list", query))["notices"]
        return notice["notification_id"] in {n["notification_id"] for n in notices}

    assert await eventually(lambda: listed(department))
    assert not await listed(_another(department))


def _another(department: str) -> str:
    return next(d.value for d in Department if d.value != department)


@pytest.mark.parametrize(
    ("fields", "clock", "after"),
    [
        ({"kind": "repair", "category": "plumbing"}, "general_fixed", timedelta(hours=72)),
        ({"kind": "repair", "category": "electrical", "content": "整栋楼停电"}, "urgent_fixed",
         timedelta(hours=24)),
        ({"kind": "help", "help_category": "G", "category": None}, "help_reply",
         timedelta(minutes=5)),
        ({"kind": "complaint"}, "complaint_reply", timedelta(days=2)),
        ({"kind": "inquiry", "category": "other"}, None, None),
    ],
)  # fmt: skip
async def test_the_report_reply_tells_the_first_deadline_the_clocks_will_keep_R3_9(
    fields: dict[str, Any], clock: str | None, after: timedelta | None, desk: Desk,
    drill_services,
) -> None:  # fmt: skip
    await drill_services()
    drill = Drill(desk)
    reply = await desk.command("hbw", "report", report_body("p-1", **fields))
    assert reply["ok"], reply
    if clock is None:
        assert reply["deadline"] is None
        return
    assert reply["deadline"]["clock"] == clock
    assert parse(reply["deadline"]["due_at"]) == START + after
    assert reply["deadline"]["due_at"].endswith("+08:00")  # the site's offset
    if clock == "complaint_reply":  # the reply is due when the ladder's first step is (R6.4)
        [ladder] = await eventually(
            lambda: drill.events("escalation.ladder_started", reply["ticket_id"])
        )
        step = ladder["data"]["steps"]["department_supervisor"]
        assert parse(step) == parse(reply["deadline"]["due_at"])
    else:
        started = await drill.started(reply["ticket_id"], clock)
        assert parse(started["deadline"]) == parse(reply["deadline"]["due_at"])


async def test_a_reply_within_five_minutes_stops_the_help_clock_met_R10_2(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    ticket_id, key = await help_request(desk)
    started = await drill.started(ticket_id, key)
    await drill.set_clock(START + timedelta(minutes=3))
    reply = await desk.command(
        "hbw", "reply", {"ticket_id": ticket_id, "message": "值班人员马上到", "staff_id": "S1"}
    )
    assert reply["ok"], reply

    stopped = await drill.stopped(ticket_id, key)
    assert (stopped["outcome"], stopped["counted_seconds"]) == ("met", 180.0)
    assert ("clock_breached", key) not in await drill.decided_at(parse(started["deadline"]))
