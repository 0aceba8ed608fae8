"""First-contact ownership and the shift log through NATS (docs/SHIFTS.md, contract §31): the
staff member who takes the contact owns the ticket until a recorded hand-over (R10.1); the desk
writes its log, closes it at shift change with its open tickets (R15.10, R15.12), the incoming
shift — the night duty too — signs it (R15.9, R15.11), and an unsigned handover is reminded."""

from __future__ import annotations

import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.drill import Drill, shanghai
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 12, 3, 10, 0)  # the day shift (08:00–20:00)
STAFF = {
    "S01": {"role": "receptionist"},
    "S02": {"role": "receptionist"},
    "S03": {"role": "cs_assistant"},
    "N01": {"role": "department_staff", "department": "engineering"},  # night duty (R15.11)
    "CSS": {"role": "cs_supervisor"},
}


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SiteDirectory.model_validate(
        {"sites": {"hbw": {"name": "Harbour View", "staff": STAFF}}}
    )


async def test_a_ticket_is_owned_by_its_first_contact_and_the_shift_log_is_handed_over_R10_1_R15_9_R15_12(  # noqa: E501
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk, "hbw")
    reported = await desk.command("hbw", "report", report_body("own-1", staff_id="S01"))
    assert reported["ok"], reported
    ticket_no = reported["ticket_no"]

    # R10.1: only the owner (or a supervisor) hands it over, to staff of the site
    hand = {"ticket_id": ticket_no, "to_staff": "S02", "reason": "换班"}
    refused = await desk.command("hbw", "hand_over", hand | {"staff_id": "S02"})
    assert refused["error"]["code"] == "forbidden" and "owner S01" in refused["error"]["message"]
    handed = await desk.command("hbw", "hand_over", hand | {"staff_id": "S01", "to_staff": "S03"})
    assert (handed["ok"], handed["owner"]) == (True, "S03"), handed

    # R15.10: the day shift writes; R15.12: it closes at shift change with its open ticket
    entry = {"staff_id": "S01", "kind": "unresolved", "text": "3-201 噪音投诉待回访",
             "ticket_id": ticket_no}  # fmt: skip
    assert (await desk.command("hbw", "shift_entry", entry))["ok"]
    await drill.set_clock(shanghai(2026, 12, 3, 20, 5))
    closed = await desk.command("hbw", "shift_close", {"staff_id": "S01", "pending": [ticket_no]})
    assert (closed["shift"], closed["status"], closed["pending"]) == (
        "2026-12-03T08:00",
        "closed",
        1,
    )

    # R15.9, R15.11: the night duty reads the log and signs it, in time
    shown = await desk.query("hbw", "shift.show", {"previous": True})
    assert shown["status"] == "closed", shown
    assert [(p["ticket_no"], p["owner"]) for p in shown["pending"]] == [(ticket_no, "S03")]
    signed = await desk.command("hbw", "shift_sign", {"staff_id": "N01"})
    assert (signed["status"], signed["signed_by"]) == ("signed", ["N01"]), signed
    await drill.decided_at(shanghai(2026, 12, 3, 21, 0))

    # the night shift's log, closed at 08:02 and not signed within 30 minutes: reminded
    night = {"staff_id": "N01", "kind": "abnormal", "text": "02:10 地下车库积水, 已处理"}
    assert (await desk.command("hbw", "shift_entry", night))["ok"]
    await drill.set_clock(shanghai(2026, 12, 4, 8, 2))
    closed = await desk.command("hbw", "shift_close", {"staff_id": "N01"})
    assert closed["shift"] == "2026-12-03T20:00", closed

    await drill.set_clock(shanghai(2026, 12, 4, 8, 31))  # within the grace: nothing yet
    assert not [n for n in await drill.notices("cs_supervisor")]
    decided = await drill.decided_at(shanghai(2026, 12, 4, 8, 33))
    assert decided == {("handover_unsigned", "handover")}, decided

    async def reminded() -> list[dict] | None:
        found = [n for n in await drill.notices("cs_supervisor")
                 if n["reason"] == "handover_unsigned"]  # fmt: skip
        return found or None

    [note] = await eventually(reminded)
    assert (note["ticket_no"], note["about"]) == ("2026-12-03T20:00", "shift")
    # no reminder for the day shift's log, signed in time
    assert all(n["ticket_no"] != "2026-12-03T08:00" for n in await drill.notices("cs_supervisor"))

    # the month's report counts them; the ticket's state names its owner now (R10.1)
    async def counted() -> dict | None:
        reply = await desk.query("hbw", "report.monthly", {"month": "2026-12"})
        found = reply["report"]["handovers"] if reply["ok"] else {}
        return found if found.get("unsigned") == 1 else None

    assert await eventually(counted) == {
        "handovers": 2, "signed_on_time": 1, "signed_late": 0, "unsigned": 1,
        "pending_items": 1, "tickets_handed_over": 1,
    }  # fmt: skip
    ticket = (await desk.query("hbw", "ticket.get", {"ticket_no": ticket_no}))["ticket"]
    assert ticket["owner"] == "S03" and ticket["handovers"][0]["from_staff"] == "S01"
    # …and the company quality pack shows them side by side with the other measures (R12.3)
    pack = await desk.request("desk.qry.company.report.quality", {"month": "2026-12"})
    [site] = [s for s in pack["report"]["sites"] if s["site"] == "hbw"]
    handed = ("handovers", "handovers_signed_on_time", "handovers_signed_late",
              "handovers_unsigned", "handover_on_time_rate", "tickets_handed_over")  # fmt: skip
    assert [site[k] for k in handed] == [2, 1, 0, 1, 0.5, 1]
    assert pack["report"]["company"]["handover_on_time_rate"] == 0.5
