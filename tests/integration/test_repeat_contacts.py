"""Repeat contacts (issue 13 item 11): every contact counts in the month it was received (R3.1),
and a complaint raised again and again without result is flagged toward major for the desk to
confirm (R5.1a, R16.1), through NATS on the simulated clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually, report_body

pytestmark = pytest.mark.integration


async def test_four_repeats_of_a_cleaning_complaint_count_as_contacts_and_flag_it_R3_1_R5_1a(
    desk: Desk, drill_services
) -> None:
    """The stairwell is not cleaned as the contract says (R5.5a); the resident calls again four
    times. The month counts five contacts (R3.1); on the third raising the receptionist is told
    it may be major (R5.1a, R6.2), once; the complaint stays minor until the desk says so."""
    await drill_services()
    drill = Drill(desk)
    body = report_body("c-1", category="cleaning", content="楼道一周没有清扫, 合同写每天清扫")
    reply = await desk.command("hbw", "report", body)
    assert reply["ok"], reply
    ticket = reply["ticket_id"]
    classified = await desk.command(
        "hbw",
        "classify",
        {"ticket_id": ticket, "staff_id": "S01", "validity": "valid", "severity": "minor"},
    )
    assert classified["ok"], classified
    await eventually(lambda: drill.events("escalation.ladder_started", ticket))

    for n in range(1, 5):
        await drill.set_clock(START + n * timedelta(hours=3))
        linked = await desk.command(
            "hbw",
            "link",
            {"ticket_id": ticket, "staff_id": "S01", "channel": "phone",
             "content": f"第{n + 1}次来电: 楼道还是没人打扫"},
        )  # fmt: skip
        assert linked["ok"], linked

    [flag] = await eventually(lambda: drill.notices("receptionist"))
    assert (flag["reason"], flag["ticket_id"]) == ("major_suggested", ticket)
    [suggested] = await drill.events("escalation.major_suggested", ticket)
    assert suggested["data"]["raised"] == 3
    assert await drill.events("escalation.major_reported", ticket) == []
    assert await drill.events("escalation.complaint_upgraded", ticket) == []

    async def shown() -> dict[str, Any] | None:
        found = (await desk.query("hbw", "ticket.get", {"ticket_id": ticket}))["ticket"]
        return found if found["sla"]["major_suggested"] else None

    shown_ticket = await eventually(shown)
    assert shown_ticket["sla"]["major_suggested"] == 3
    assert shown_ticket["severity"] == "minor"  # a flag for the desk, not an upgrade

    async def counted() -> dict[str, Any] | None:
        report = (await desk.query("hbw", "report.monthly", {"month": "2026-11"}))["report"]
        return report if report["contacts"] >= 5 else None

    report = await eventually(counted)
    assert (report["contacts"], report["tickets"], report["repeat_contacts"]) == (5, 1, 4)
    assert report["by_channel"]["phone"] == 5
    assert report["by_kind"]["complaint"] == 1  # one case
    weekly = (await desk.query("hbw", "report.weekly", {"week": "2026-W48"}))["report"]
    assert (weekly["contacts"], weekly["repeat_contacts"]) == (5, 4)
