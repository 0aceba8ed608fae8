"""The complaint ladder (R6.3–R6.7, docs/DOMAIN.md §3), pauses, acknowledgements and restarts,
through NATS on the simulated clock."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from services.escalation.entrypoint import EscalationService
from shared.kernel.settings import Settings
from tests.integration.conftest import DRILL_SITES
from tests.integration.drill import SECOND, Drill, parse
from tests.integration.support import START, Desk, eventually, ready_to_resolve, report_body
from tests.postgres import STORES

pytestmark = [pytest.mark.integration, pytest.mark.parametrize("persistence", STORES)]

DAY = timedelta(days=1)


async def complaint(desk: Desk, drill: Drill, ref: str = "c-1") -> str:
    reply = await desk.command("hbw", "report", report_body(ref))  # noise complaint, valid
    assert reply["ok"], reply
    await eventually(lambda: drill.events("escalation.ladder_started", reply["ticket_id"]))
    return reply["ticket_id"]


async def day_by_day(drill: Drill, days: int) -> dict[int, set[tuple[str, str]]]:
    """Walk the clock a day at a time from START: what was decided on which day."""
    return {day: await drill.decided_at(START + day * DAY) for day in range(1, days + 1)}


async def test_an_unresolved_complaint_climbs_every_level_and_becomes_major_after_a_month(
    desk: Desk, drill_services
) -> None:
    """R6.4 2 days → supervisor, R6.5 1 week → project manager, R6.6 2 weeks → GM office,
    R6.7 one month → major; every step notifies the role (C11: counted from receipt), and the
    upgrade is reported to quality and, upward, to every level of the ladder (R5.4). The complaint
    climbs level by level, each level told in its turn (R1.8), up to the manager and the GM office
    who decide what the levels below could not resolve (R6.10)."""
    await drill_services()
    drill = Drill(desk)
    ticket = await complaint(desk, drill)

    decided = await day_by_day(drill, 31)

    climbed = {day: sorted(found) for day, found in decided.items() if found}
    assert climbed == {
        2: [("complaint_escalated", "department_supervisor")],
        7: [("complaint_escalated", "project_manager")],
        14: [("complaint_escalated", "gm_office")],
        30: [
            ("complaint_upgraded", "major"),
            ("major_reported", "major:department_supervisor"),
            ("major_reported", "major:gm_office"),
            ("major_reported", "major:project_manager"),
        ],
    }
    [upgrade] = await drill.events("escalation.complaint_upgraded", ticket)
    assert upgrade["data"]["severity"] == "major"
    [notice] = await eventually(lambda: drill.notices("quality"))
    assert notice["ticket_id"] == ticket
    for role in ("department_supervisor", "project_manager", "gm_office"):

        async def both(role: str = role) -> list[dict[str, Any]] | None:
            found = await drill.notices(role)
            return found if len(found) == 2 else None

        notices = await eventually(both)
        assert {n["ticket_id"] for n in notices} == {ticket}
        assert sorted(n["reason"] for n in notices) == ["complaint_escalated", "major_reported"]

    async def shown() -> dict[str, Any] | None:
        reply = await desk.query("hbw", "ticket.get", {"ticket_id": ticket})
        sla = reply["ticket"]["sla"]
        return sla if sla["ladder"] and sla["ladder"]["upgraded"] else None

    sla = await eventually(shown)
    assert sla["escalation_level"] == "gm_office"
    assert sla["next_deadline"] is None


async def test_a_complaint_resolved_on_day_3_stops_after_the_first_level(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    ticket = await complaint(desk, drill)
    early = await day_by_day(drill, 2)
    assert early[2] == {("complaint_escalated", "department_supervisor")}

    await drill.set_clock(START + 3 * DAY)
    await ready_to_resolve(desk, "hbw", ticket)  # classified (R6.2), its solution accepted (R6.9)
    resolved = await desk.command(
        "hbw", "resolve", {"ticket_id": ticket, "resolution": "已协调施工方", "staff_id": "S1"}
    )
    assert resolved["ok"], resolved
    [change] = await eventually(lambda: drill.events("escalation.ladder_changed", ticket))
    assert change["data"] == change["data"] | {"state": "stopped", "reason": "resolved"}

    later = [await drill.decided_at(START + day * DAY) for day in range(4, 32)]
    assert all(("complaint_escalated", level) not in found for found in later
               for level in ("project_manager", "gm_office"))  # fmt: skip
    assert len(await drill.events("escalation.complaint_escalated", ticket)) == 1
    assert await drill.events("escalation.complaint_upgraded", ticket) == []


async def test_a_communicative_complaint_leaves_the_ladder_and_never_climbs(
    desk: Desk, drill_services
) -> None:
    """R5.6 / C10: a communicative complaint is explained to the customer, never escalated."""
    await drill_services()
    drill = Drill(desk)
    ticket = await complaint(desk, drill)
    reply = await desk.command(
        "hbw",
        "classify",
        {"ticket_id": ticket, "validity": "communicative", "communicative_type": "venting",
         "staff_id": "S1"},
    )  # fmt: skip
    assert reply["ok"], reply
    await eventually(lambda: drill.events("escalation.ladder_changed", ticket))

    decided = await day_by_day(drill, 31)
    assert not any(decided.values())

    async def ladder() -> bool:
        reply = await desk.query("hbw", "ticket.get", {"ticket_id": ticket})
        return reply["ticket"]["sla"]["ladder"]["state"] == "left"

    assert await eventually(ladder)  # reporting's view applies the change a moment after the bus


async def test_a_paused_repair_clock_does_not_count_the_paused_time(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    body = report_body("r-1", kind="repair", category="plumbing", content="卫生间下水慢")
    ticket = (await desk.command("hbw", "report", body))["ticket_id"]
    started = await drill.started(ticket, "general_fixed")
    deadline = parse(started["deadline"])
    assert deadline == START + timedelta(hours=72)  # R7.3

    await drill.set_clock(START + timedelta(hours=10))
    bad = await drill.escalation("pause", {"ticket_id": ticket, "clock": "general_fixed",
                                           "reason": "holiday"})  # fmt: skip
    assert bad["ok"] is False and bad["error"]["code"] == "invalid"
    paused = await drill.escalation(
        "pause",
        {"ticket_id": ticket, "clock": "general_fixed", "reason": "parts", "note": "等配件"},
    )
    assert paused == {"ok": True, "ticket_id": ticket, "clocks": ["general_fixed"]}
    again = await drill.escalation("pause", {"ticket_id": ticket, "clock": "general_fixed",
                                             "reason": "parts"})  # fmt: skip
    assert again["ok"] is False

    # two days waiting for parts: its warning point (57.6 h) passes, nothing is decided
    assert not {
        d for d in await drill.decided_at(START + timedelta(hours=58)) if d[1] == "general_fixed"
    }
    resumed = await drill.escalation("resume", {"ticket_id": ticket})
    assert resumed["clocks"] == ["general_fixed"]
    [moved] = await eventually(lambda: drill.events("escalation.clock_resumed", ticket))
    assert parse(moved["data"]["deadline"]) == deadline + timedelta(hours=48)

    late = deadline + timedelta(hours=48)
    assert ("clock_breached", "general_fixed") not in await drill.decided_at(deadline)
    assert ("clock_breached", "general_fixed") not in await drill.decided_at(late - SECOND)
    assert ("clock_breached", "general_fixed") in await drill.decided_at(late)


async def test_a_breach_notification_is_acknowledged_once_and_recorded(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    body = report_body("h-1", kind="help", help_category="G", category=None, content="电梯困人")
    ticket = (await desk.command("hbw", "report", body))["ticket_id"]
    await drill.started(ticket, "help_reply")
    await drill.decided_at(START + timedelta(minutes=5))
    [notice] = await eventually(lambda: drill.notices("cs_assistant"))

    unknown = await drill.escalation("ack", {"notification_id": ticket})
    assert unknown["ok"] is False and unknown["error"]["code"] == "not_found"
    ack = await drill.escalation("ack", {"notification_id": notice["notification_id"],
                                         "note": "已回电"})  # fmt: skip
    assert ack == {
        "ok": True,
        "notification_id": notice["notification_id"],
        "role": "cs_assistant",
        "ticket_id": ticket,
        "ticket_no": notice["ticket_no"],
        "acknowledged_by": "S09",
    }
    twice = await drill.escalation("ack", {"notification_id": notice["notification_id"]})
    assert twice["ok"] is False and twice["error"]["code"] == "conflict"

    [recorded] = await eventually(
        lambda: drill.events("escalation.notification_acknowledged", ticket)
    )
    assert recorded["actor"] == "S09"

    async def acknowledged() -> dict[str, Any] | None:
        reply = await desk.query("hbw", "ticket.get", {"ticket_id": ticket})
        shown = reply["ticket"]["sla"]["notifications"][notice["notification_id"]]
        return shown if shown["acknowledged_by"] else None

    shown = await eventually(acknowledged)
    assert shown["acknowledged_by"] == "S09" and shown["role"] == "cs_assistant"


async def test_the_clock_cannot_go_backwards_and_needs_an_offset(
    desk: Desk, drill_services
) -> None:
    await drill_services("escalation")
    back = await desk.request("desk.sim.clock.set", {"now": (START - SECOND).isoformat()})
    assert back["ok"] is False and back["error"]["code"] == "invalid"
    naive = await desk.request("desk.sim.clock.set", {"now": "2026-12-01T09:00:00"})
    assert naive["ok"] is False and naive["error"]["code"] == "invalid"
    fine = await desk.request("desk.sim.clock.set", {"now": "2026-12-01T09:00:00+08:00"})
    assert fine["ok"] is True and parse(fine["now"]) == parse("2026-12-01T01:00:00+00:00")


async def test_a_restarted_escalation_service_resumes_its_clocks_and_never_decides_twice(
    desk: Desk, drill_services, nats_server, settings: Settings, sim_clock
) -> None:
    running = await drill_services()
    drill = Drill(desk)
    body = report_body("h-1", kind="help", help_category="G", category=None, content="需要帮助")
    ticket = (await desk.command("hbw", "report", body))["ticket_id"]
    await drill.started(ticket, "help_reply")
    assert ("clock_warned", "help_reply") in await drill.decided_at(START + timedelta(minutes=4))
    await eventually(lambda: drill.events("escalation.clock_warned", ticket))

    await running["escalation"].stop()
    sim_clock.set(START + timedelta(minutes=30))  # the deadline passes while it is down
    # and the schedule (a derived index) is lost: it is rebuilt from the store
    Path(settings.data_dir / "escalation-schedule.sqlite3").unlink()
    for _ in range(2):  # restart, then restart again: nothing is decided twice
        restarted = EscalationService(settings, sim_clock, DRILL_SITES)
        await restarted.start(nats_server.url)
        await eventually(lambda: drill.events("escalation.clock_breached", ticket))
        await drill.set_clock(START + timedelta(minutes=31))
        await restarted.stop()
    running.pop("escalation")

    assert len(await drill.events("escalation.clock_warned", ticket)) == 1
    [breach] = await drill.events("escalation.clock_breached", ticket)
    assert parse(breach["occurred_at"]) == START + timedelta(minutes=30)
    assert len(await drill.events("escalation.clock_started", ticket)) == 1
