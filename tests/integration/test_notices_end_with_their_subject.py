"""Notices about something other than a ticket end with it, through NATS (R6.3;
docs/NOTIFICATIONS.md): an incident closed, a promise kept, an outage restored. Escalation
publishes each notice's end (`escalation.notification_ended`, with the code of what closed its
subject), and the notification channel, asking before each send, does not send it again past
`resend_after`; the same kind of notice whose subject is still open is sent again."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually
from tests.integration.webhook import Hook

pytestmark = pytest.mark.integration

RESEND = timedelta(minutes=30)  # the site's resend_after


@pytest.fixture
def drill_sites(hook: Hook) -> SiteDirectory:
    """Every role these notices go to posts to the local webhook."""
    route = [{"webhook": hook.url}]
    roles = {role: route for role in ("department_supervisor", "project_manager",
                                      "cs_supervisor", "receptionist")}  # fmt: skip
    notify = {"resend_after": "PT30M", "roles": roles}
    return SiteDirectory.model_validate(
        {"sites": {"hbw": {"name": "Harbour View", "notify": notify}}}
    )


def attempts(hook: Hook, reason: str, ticket_no: str) -> dict[str, list[int]]:
    """The attempts posted of each notification for `reason` about `ticket_no`."""
    found: dict[str, list[int]] = {}
    for _, post in hook.posts:
        note = post["notification"]
        if (note["reason"], note["ticket_no"]) == (reason, ticket_no):
            found.setdefault(note["notification_id"], []).append(post["attempt"])
    return found


async def posted(hook: Hook, reason: str, ticket_no: str, count: int,
                 attempt: int = 1) -> dict[str, list[int]]:  # fmt: skip
    """Once `count` notifications have each been posted `attempt` times."""

    async def enough() -> dict[str, list[int]] | None:
        found = attempts(hook, reason, ticket_no)
        done = len(found) == count and all(len(a) >= attempt for a in found.values())
        return found if done else None

    return await eventually(enough)


async def ended(drill: Drill, ticket_no: str, count: int) -> dict[str, str]:
    """The published ends of `ticket_no`'s notifications: notification id → why."""

    async def published() -> dict[str, str] | None:
        found = {e["data"]["notification_id"]: e["data"]["why"]
                 for e in await drill.events("escalation.notification_ended")
                 if e["data"]["ticket_no"] == ticket_no}  # fmt: skip
        return found if len(found) >= count else None

    return await eventually(published)


async def test_an_incident_closed_is_not_alerted_again_and_its_alerts_end_R16_5_R6_3(
    desk: Desk, drill_services, hook: Hook
) -> None:
    await drill_services("intake", "escalation")
    drill = Drill(desk)
    opened = {}
    for ref, kind, place in (("inc-closed", "lift_entrapment", "2号楼电梯"),
                             ("inc-open", "flood", "地下车库B2")):  # fmt: skip
        reply = await desk.command("hbw", "incident_open", {
            "client_ref": ref, "kind": kind, "place": place, "staff_id": "S01",
            "occurred_at": START.isoformat(), "measure": "已到场处置",
        })  # fmt: skip
        assert reply["ok"], reply
        opened[ref] = reply["incident_no"]
    for number in opened.values():  # security and the duty manager, at once (R10.7)
        await posted(hook, "incident_alerted", number, 2)

    ids = {"incident_id": opened["inc-closed"], "staff_id": "S01"}
    for verb, extra in (("incident_report_up", {"to": "project_manager", "note": "电话报告"}),
                        ("incident_close", {"follow_up": "门机故障, 已更换门锁"})):  # fmt: skip
        reply = await desk.command("hbw", verb, ids | extra)
        assert reply["ok"], reply
    alerts = attempts(hook, "incident_alerted", opened["inc-closed"])
    assert await ended(drill, opened["inc-closed"], 2) == dict.fromkeys(alerts, "incident_closed")

    await drill.set_clock(START + RESEND + timedelta(minutes=1))
    still = await posted(hook, "incident_alerted", opened["inc-open"], 2, attempt=2)
    assert sorted(still.values()) == [[1, 2], [1, 2]]  # the open one's: told again
    await asyncio.sleep(2.5)  # a few of the channel's ticks
    assert attempts(hook, "incident_alerted", opened["inc-closed"]) == {a: [1] for a in alerts}


async def test_a_promise_kept_and_an_outage_restored_are_not_told_again_R6_15_R16_6_R6_3(
    desk: Desk, drill_services, hook: Hook
) -> None:
    await drill_services("intake", "escalation")
    drill = Drill(desk)
    due = START + timedelta(hours=1)
    for ref in ("p-kept", "p-open"):
        made = await desk.command("hbw", "promise_make", {
            "client_ref": ref, "due_at": due.isoformat(), "staff_id": "S01",
            "what": "核实水费后回电",
        })  # fmt: skip
        assert made["ok"], made
    announced = await desk.command("hbw", "maintenance_announce", {
        "staff_id": "S01", "client_ref": "water-3", "kind": "water_outage",
        "scope": {"buildings": ["3"]}, "starts_at": START.isoformat(),
        "expected_end": due.isoformat(), "text": "3号楼水管爆裂抢修停水, 预计一小时内恢复供水",
    })  # fmt: skip
    assert announced["ok"], announced
    outage = announced["notice_no"]

    past_due = due + timedelta(minutes=2)
    await drill.set_clock(past_due)  # each promise overdue, the outage past its restoration
    for ref in ("p-kept", "p-open"):
        await posted(hook, "promise_overdue", ref, 1)
    [alert] = await posted(hook, "maintenance_restoration_overdue", outage, 1)

    kept = await desk.command("hbw", "promise_keep", {
        "promise": "p-kept", "staff_id": "S01", "outcome": "已回电说明水费"})  # fmt: skip
    assert kept["ok"], kept
    restored = await desk.command("hbw", "maintenance_end", {
        "staff_id": "S01", "notice_id": outage, "outcome": "restored"})  # fmt: skip
    assert restored["ok"], restored
    [overdue] = attempts(hook, "promise_overdue", "p-kept")
    assert await ended(drill, "p-kept", 1) == {overdue: "promise_kept"}
    assert await ended(drill, outage, 1) == {alert: "maintenance_ended"}

    await drill.set_clock(past_due + RESEND + timedelta(minutes=1))
    assert list((await posted(hook, "promise_overdue", "p-open", 1, attempt=2)).values()) == [
        [1, 2]
    ]  # the promise still open: told again
    await asyncio.sleep(2.5)  # a few of the channel's ticks
    assert attempts(hook, "promise_overdue", "p-kept") == {overdue: [1]}
    assert attempts(hook, "maintenance_restoration_overdue", outage) == {alert: [1]}
