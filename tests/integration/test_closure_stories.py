"""Closure and the ticket's references through NATS (issue 13): a ticket is named by its number in
every command, and cancelling is for a duplicate or a withdrawal (docs/DOMAIN.md §2, §6)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.drill import Drill
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration


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
