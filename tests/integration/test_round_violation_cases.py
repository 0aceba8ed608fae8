"""A resident's violation found on a round opens its violation case (R13.15b, R14.10,
docs/INSPECTION.md "Violation findings"): in the round's own transaction, once, naming the round's
finding and its ticket; the case closed, the finding's ticket is resolved within its week and its
check on site closes it (R13.16, R13.17)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually
from tests.integration.test_inspection_rounds import PLAN, ROUND, SITES
from tests.integration.test_inspection_rounds import drill_sites as drill_sites

pytestmark = pytest.mark.integration

FOUND = {"point": "垃圾房", "type": "violation", "location": "5-101", "violation_class": "general",
         "violation_category": "hygiene", "description": "住户在垃圾房堆放装修垃圾"}  # fmt: skip
WALK = ROUND | {"round_ref": "hbw-20261123-violation", "findings": [ROUND["findings"][0], FOUND]}
assert SITES.sites["hbw"].staff  # the drill's staff list: roles are checked


async def test_a_violation_found_on_a_round_opens_its_case_once_and_its_close_resolves_the_finding_R13_15_R14_10(  # noqa: E501
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    assert (await desk.command("hbw", "plan_rounds", PLAN))["ok"]
    reply = await desk.command("hbw", "record_round", WALK)
    assert reply["ok"], reply
    repair, violation = reply["findings"]
    assert repair["case_id"] is None and violation["routed_to"] == "violation_case"
    case_id = violation["case_id"]
    again = await desk.command("hbw", "record_round", WALK | {"staff_id": "S01"})
    assert again["duplicate"] and again["findings"][1]["case_id"] == case_id  # exactly once

    async def opened() -> list[dict[str, Any]] | None:
        return await drill.events("violation.opened") or None

    [event] = await eventually(opened)
    ref = f"round/{WALK['round_ref']}/1"
    assert event["aggregate_id"] == case_id
    assert (event["data"]["client_ref"], event["data"]["finding"]) == (ref, ref)
    assert event["data"]["ticket_id"] == violation["ticket_id"]
    assert (event["data"]["violation_class"], event["data"]["category"]) == ("general", "hygiene")
    assert (event["data"]["place"], event["data"]["responsible"]) == ("5-101", "cs_supervisor")
    # published in the round's order: its tickets, the case, then the round that names them
    order = [json_type(m) for m in await desk.events()]
    assert order.index("violation.opened") < order.index("round.recorded")
    assert order.index("ticket.reported") < order.index("violation.opened")
    [recorded] = await drill.events("round.recorded")
    assert recorded["data"]["findings"][1]["case_id"] == case_id

    ticket = violation["ticket_id"]
    await drill.started(ticket, "finding_resolved")
    await drill.set_clock(START + timedelta(days=2))
    measure = {"staff_id": "CS1", "case": case_id, "measure": "persuasion", "due_on": "2026-11-26"}
    measured = await desk.command("hbw", "violation_measure", measure)
    assert measured["ok"], measured
    close = {"staff_id": "CS1", "case": case_id, "outcome": "住户已清运装修垃圾"}
    closed = await desk.command("hbw", "violation_close", close)
    assert closed["ok"] and closed["status"] == "closed", closed
    assert (await drill.stopped(ticket, "finding_resolved"))["outcome"] == "met"  # R13.16
    [resolved] = [e for e in await drill.events("ticket.resolved") if e["aggregate_id"] == ticket]
    assert ref in resolved["data"]["resolution"]
    verified = await desk.command(
        "hbw", "verify", {"ticket_id": ticket, "staff_id": "CS1", "passed": True}
    )
    assert verified["ok"] and verified["status"] == "closed", verified  # R13.17

    case = await desk.query("hbw", "violation.get", {"case_id": case_id})
    assert case["ok"] and case["case"]["finding"] == ref, case


def json_type(msg: Any) -> str:
    return msg.subject.rsplit(".", 2)[-2] + "." + msg.subject.rsplit(".", 1)[-1]
