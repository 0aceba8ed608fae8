"""A zone is compared without case wherever two meet (R1.3, shared/kernel/zones.py), every letter
folded, not the ASCII ones only: `ticket.list` and `notice.list` (reporting's SQL, contract 12.2,
12.5) give a zone asked in another case what the console's live banner and intake's care roll
would (`zone_key`), for a zone named with letters beyond ASCII."""

from __future__ import annotations

import pytest

from tests.integration.support import Desk, eventually, report_body
from tests.integration.test_zone_notices import SITES

pytestmark = pytest.mark.integration

ZONE = "Östliche Straße"  # as the unit file names it: Ö and ß are beyond ASCII


@pytest.fixture
def drill_sites():
    return SITES


async def test_a_zone_asked_in_another_case_finds_its_tickets_and_notices_R1_3(
    desk: Desk, drill_services
) -> None:
    await drill_services("intake", "reporting", "escalation")
    body = {"staff_id": "HB-CS1", "unit_ref": "7-101", "room": "7-101", "zone": ZONE}
    assert (await desk.command("hbw", "unit_register", body))["ok"]
    reporter = {"name": "王小明", "phone": "13800138000", "room": "7-101"}
    body = report_body("z1", staff_id="HB-S01", kind="complaint", category="noise",
                       reporter=reporter)  # fmt: skip
    reply = await desk.command("hbw", "report", body)
    assert reply["ok"], reply

    async def told() -> list[dict] | None:  # a complaint: its zone's CS assistant at once (R6.3)
        found = (await desk.query("hbw", "notice.list", {"role": "cs_assistant"}))["notices"]
        return found or None

    [notice] = await eventually(told)
    assert notice["zone"] == ZONE
    for asked in ("östliche straße", "ÖSTLICHE STRASSE "):  # lower case; upper, ß as SS
        tickets = await desk.query("hbw", "ticket.list", {"zones": [asked]})
        assert [t["ticket_no"] for t in tickets["tickets"]] == [reply["ticket_no"]], asked
        notices = await desk.query("hbw", "notice.list", {"zones": [asked]})
        assert [n["notification_id"] for n in notices["notices"]] == [notice["notification_id"]]
    other = await desk.query("hbw", "ticket.list", {"zones": ["Westliche Straße"]})
    assert other["tickets"] == []
