"""Maintenance and outage notices (维修通告) through NATS (docs/OUTAGES.md): an outage announced
with its expected restoration time, a contact in its scope linked to it, and the duty manager
alerted when the time passes with neither a revision nor "restored" (R16.6, R7.10, S1:120)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.drill import Drill, shanghai
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 12, 7, 9, 0)


async def test_an_outage_links_the_contacts_in_its_scope_and_alerts_when_restoration_is_overdue_R16_6(  # noqa: E501
    desk: Desk, drill_services
) -> None:
    await drill_services("intake", "escalation")
    drill = Drill(desk, "hbw")
    # the desk announces a water cut in building 3, back "within two hours" (S1:120)
    announced = await desk.command("hbw", "maintenance_announce", {
        "staff_id": "S01", "client_ref": "water-3", "kind": "water_outage",
        "scope": {"buildings": ["3"]}, "starts_at": CLOCK_STARTS.isoformat(),
        "expected_end": (CLOCK_STARTS + timedelta(hours=2)).isoformat(),
        "text": "3号楼水管爆裂抢修停水, 预计两小时内恢复供水",
    })  # fmt: skip
    assert announced["ok"] and announced["notice_no"] == "HBW-MN-0001", announced

    # a caller from 3-201 reports no water: intake links the ticket to the outage
    await drill.set_clock(CLOCK_STARTS + timedelta(minutes=20))
    body = report_body("no-water", kind="repair", category="plumbing", content="家里没水了")
    reported = await desk.command("hbw", "report", body)
    assert reported["ok"], reported
    [linked] = await eventually(lambda: drill.events("maintenance.contact_linked"))
    assert linked["data"] | {"ticket_id": None} == {
        "ticket_id": None, "ticket_no": reported["ticket_no"], "by": "auto",
    }  # fmt: skip
    assert linked["aggregate_id"] == announced["notice_id"]
    listed = await desk.query("hbw", "maintenance.list", {"active": True})
    assert [(n["notice_no"], n["linked"]) for n in listed["notices"]] == [
        ("HBW-MN-0001", [reported["ticket_no"]])
    ]

    # two hours on, neither revised nor restored: the duty manager is alerted
    decided = await drill.decided_at(CLOCK_STARTS + timedelta(hours=2, minutes=1))
    assert ("maintenance_restoration_overdue", "restoration") in decided

    async def told() -> list[dict]:
        notes = await drill.notices("project_manager")
        return [n for n in notes if n["reason"] == "maintenance_restoration_overdue"]

    [alert] = await eventually(told)
    assert (alert["about"], alert["ticket_no"]) == ("maintenance", "HBW-MN-0001")
