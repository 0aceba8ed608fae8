"""A violation case's, a shift log's and a special-care resident's notices end with what they
are about, through NATS (R6.3; docs/NOTIFICATIONS.md): a measure overdue (R14.3, R14.4) ends
when its case is closed (`violation_closed`) or a later measure replaces it (`measure_replaced`),
an unsigned handover's reminder (R15.9) when the log is signed (`shift_signed`), a care visit
due (R11.10) when the resident is visited (`care_visited`) or no longer flagged
(`care_not_needed`). Escalation publishes each end
(`escalation.notification_ended`), and reporting's `notice.list` lists the notice as ended and
waiting for nobody. The units: tests/unit/test_subject_notice_ends.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.integration.drill import Drill, shanghai
from tests.integration.support import Desk, eventually

# the site of the shift stories: its day shift (08:00–20:00), receptionist S01, night duty N01
# and CS-assistant supervisor CSS
from tests.integration.test_shift_stories import drill_sites  # noqa: F401

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 12, 3, 10, 0)  # the day shift


async def told(drill: Drill, reason: str, count: int) -> dict[str, str]:
    """Once escalation has published `count` notices for `reason`: subject ref → notice id."""

    async def published() -> dict[str, str] | None:
        found = {e["data"]["ticket_no"]: e["data"]["notification"]["notification_id"]
                 for e in await drill.events(f"escalation.{reason}")}  # fmt: skip
        return found if len(found) >= count else None

    return await eventually(published)


async def ended(drill: Drill, count: int) -> dict[str, str]:
    """Once `count` notices' ends are published: notice id → why."""

    async def published() -> dict[str, str] | None:
        found = {e["data"]["notification_id"]: e["data"]["why"]
                 for e in await drill.events("escalation.notification_ended")}  # fmt: skip
        return found if len(found) >= count else None

    return await eventually(published)


async def listed(desk: Desk, until: Any, role: str = "cs_supervisor") -> dict[str, Any]:
    """The role's notice.list (with `waiting`), once `until(reply)` holds."""

    async def probe() -> dict[str, Any] | None:
        reply = await desk.query("hbw", "notice.list", {"role": role, "count": True})
        return reply if reply["ok"] and until(reply) else None

    return await eventually(probe)


def ends_of(reply: dict[str, Any]) -> dict[str, str | None]:
    """notice id → why it ended, None while it goes on."""
    return {n["notification_id"]: (n.get("ended") or {}).get("why") for n in reply["notices"]}


async def test_a_measure_overdue_ends_when_its_case_closes_or_a_later_measure_replaces_it_R14_3_R14_4_R6_3(  # noqa: E501
    desk: Desk, drill_services
) -> None:
    """Two general cases (the CS-assistant supervisor's, R14.4), each with 即时劝导 due on 12-03:
    at the day's end each is overdue and she is told (R14.3). One case is closed, the other
    gets 限期整改: each notice ends with why, and notice.list says so."""
    await drill_services()
    drill = Drill(desk)
    for ref in ("v-closed", "v-next"):
        opened = await desk.command("hbw", "violation_open", {
            "staff_id": "S01", "client_ref": ref, "violation_class": "general",
            "category": "fire", "place": "3栋消防通道", "description": "杂物堵塞消防通道",
        })  # fmt: skip
        assert opened["ok"] and opened["responsible"] == "cs_supervisor", opened
        measure = {"staff_id": "CSS", "case": ref, "measure": "persuasion", "due_on": "2026-12-03"}
        assert (await desk.command("hbw", "violation_measure", measure))["ok"]

    await drill.set_clock(shanghai(2026, 12, 4, 0, 0))  # the due day over: both overdue
    notices = await told(drill, "measure_overdue", 2)
    both = set(notices.values())
    waiting = await listed(desk, lambda r: set(ends_of(r)) == both)
    assert waiting["waiting"] == 2 and set(ends_of(waiting).values()) == {None}

    closing = {"staff_id": "CSS", "case": "v-closed", "outcome": "已劝导清理"}
    assert (await desk.command("hbw", "violation_close", closing))["ok"]
    rectify = {"staff_id": "CSS", "case": "v-next", "measure": "rectify", "due_on": "2026-12-10"}
    assert (await desk.command("hbw", "violation_measure", rectify))["ok"]

    expected = {notices["v-closed"]: "violation_closed", notices["v-next"]: "measure_replaced"}
    assert await ended(drill, 2) == expected
    now = await listed(desk, lambda r: all(ends_of(r).values()))
    assert ends_of(now) == expected
    assert now["waiting"] == 0  # owed no more, though nobody acknowledged them


async def test_an_unsigned_handovers_reminder_ends_when_the_log_is_signed_R15_9_R6_3(
    desk: Desk, drill_services
) -> None:
    """The day shift's log closed at 20:05 and not signed within 30 minutes: the CS-assistant
    supervisor is reminded; the night duty signs it then, late (R15.9, R15.11), and the reminder
    ends (`shift_signed`)."""
    await drill_services()
    drill = Drill(desk)
    entry = {"staff_id": "S01", "kind": "abnormal", "text": "3栋电梯异响, 已报工程部"}
    assert (await desk.command("hbw", "shift_entry", entry))["ok"]
    await drill.set_clock(shanghai(2026, 12, 3, 20, 5))
    closed = await desk.command("hbw", "shift_close", {"staff_id": "S01"})
    assert (closed["shift"], closed["status"]) == ("2026-12-03T08:00", "closed"), closed

    decided = await drill.decided_at(shanghai(2026, 12, 3, 20, 36))
    assert decided == {("handover_unsigned", "handover")}, decided
    [reminder] = (await told(drill, "handover_unsigned", 1)).values()
    waiting = await listed(desk, lambda r: reminder in ends_of(r))
    assert ends_of(waiting) == {reminder: None} and waiting["waiting"] == 1

    signed = await desk.command("hbw", "shift_sign", {"staff_id": "N01"})
    assert (signed["status"], signed["signed_by"]) == ("signed", ["N01"]), signed

    assert await ended(drill, 1) == {reminder: "shift_signed"}
    now = await listed(desk, lambda r: ends_of(r)[reminder] is not None)
    assert ends_of(now) == {reminder: "shift_signed"} and now["waiting"] == 0


async def test_a_care_visit_due_ends_when_the_resident_is_visited_or_no_longer_flagged_R11_10_R6_3(
    desk: Desk, drill_services
) -> None:
    """Two special-care residents flagged at registration and not visited within the site's
    interval: the CS assistant is reminded of each (R11.10). One is visited, the other's file
    corrected to no special care: each reminder ends, and notice.list says why."""
    await drill_services()
    drill = Drill(desk)
    bodies = {ref: {"staff_id": "S01", "resident_ref": ref, "kind": "owner", "name": name,
                    "phones": [phone], "special_care": "elderly_alone"}
              for ref, name, phone in (("HBW-0001", "张阿婆", "13922220001"),
                                       ("HBW-0002", "李伯", "13922220002"))}  # fmt: skip
    for body in bodies.values():
        assert (await desk.command("hbw", "resident_register", body))["ok"]
    found = await desk.query("hbw", "resident.lookup", {"staff_id": "S01", "phone": "13922220001"})
    due = datetime.fromisoformat(found["residents"][0]["next_visit_due"])

    await drill.set_clock(due)
    reminders = await told(drill, "care_visit_due", 2)
    role = (await drill.events("escalation.care_visit_due"))[0]["data"]["notification"]["role"]
    both = set(reminders.values())
    waiting = await listed(desk, lambda r: set(ends_of(r)) == both, role)
    assert waiting["waiting"] == 2

    visit = {"staff_id": "S01", "resident_ref": "HBW-0001", "note": "上门探访, 身体安好"}
    assert (await desk.command("hbw", "resident_visit", visit))["ok"]
    no_longer = bodies["HBW-0002"] | {"special_care": None}
    assert (await desk.command("hbw", "resident_correct", no_longer))["ok"]

    expected = {reminders["HBW-0001"]: "care_visited", reminders["HBW-0002"]: "care_not_needed"}
    assert await ended(drill, 2) == expected
    now = await listed(desk, lambda r: all(ends_of(r).values()), role)
    assert ends_of(now) == expected and now["waiting"] == 0
