"""notice.list (docs/contract.md §12.5): a site's desk reads its notifications, oldest first, and
which are acknowledged, through the query it may send (it cannot read the stream NOTICES)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually, report_body

pytestmark = pytest.mark.integration


async def breached_help_requests(desk: Desk, drill: Drill, count: int) -> list[str]:
    """`count` help requests whose 5-minute reply clock breaches (R10.2): one notice each to the
    cs_assistant."""
    ids = []
    for n in range(count):
        body = report_body(f"h-{n}", kind="help", help_category="G", category=None)
        reply = await desk.command("hbw", "report", body)
        assert reply["ok"], reply
        await eventually(lambda r=reply: drill.events("escalation.clock_started", r["ticket_id"]))
        ids.append(reply["ticket_id"])
    await drill.set_clock(START + timedelta(minutes=10))
    return ids


async def listed(desk: Desk, **body: object) -> dict:
    reply = await desk.query("hbw", "notice.list", body)
    assert reply["ok"], reply
    return reply


async def three_listed(desk: Desk, drill: Drill) -> list[str]:
    """Three breached help requests' tickets, once notice.list lists their notices."""
    ids = await breached_help_requests(desk, drill, 3)

    async def all_three() -> bool:
        return len((await listed(desk))["notices"]) == 3

    await eventually(all_three)
    return ids


async def test_the_desk_lists_its_notices_oldest_first_and_sees_which_are_acknowledged(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    first, second = await breached_help_requests(desk, drill, 2)

    async def both() -> list[dict] | None:
        found = (await listed(desk, role="cs_assistant"))["notices"]
        return found if len(found) == 2 else None

    notices = await eventually(both)
    assert [n["ticket_id"] for n in notices] == [first, second]
    assert {n["reason"] for n in notices} == {"clock_breached"}
    assert all(n["acknowledged_at"] is None for n in notices)
    assert (await listed(desk, role="project_manager"))["notices"] == []
    # one subject's notices (an incident's page asks for its own)
    about = await listed(desk, ticket_no=notices[1]["ticket_no"])
    assert [n["ticket_id"] for n in about["notices"]] == [second]

    ack = {"notification_id": notices[0]["notification_id"], "note": "已回电"}
    acked = await drill.escalation("ack", {"staff_id": "CS1"} | ack)
    assert acked["ok"], acked
    assert (acked["role"], acked["ticket_no"]) == ("cs_assistant", notices[0]["ticket_no"])

    async def only_the_second_open() -> list[dict] | None:
        found = (await listed(desk, open=True))["notices"]
        return found if [n["ticket_id"] for n in found] == [second] else None

    await eventually(only_the_second_open)
    [done, _] = (await listed(desk))["notices"]
    assert (done["acknowledged_by"], done["note"]) == ("CS1", "已回电")
    # written as the notice's own times are (raised_at, due_at): UTC as Z (contract §12.5)
    assert done["acknowledged_at"] == "2026-11-23T02:10:00Z" == done["raised_at"]


async def test_notices_come_a_page_at_a_time_and_a_foreign_cursor_is_refused(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    ids = await three_listed(desk, drill)
    pages, cursor = [], None
    while True:
        page = await listed(desk, limit=2, **({"cursor": cursor} if cursor else {}))
        pages.append([n["ticket_id"] for n in page["notices"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert pages == [ids[:2], ids[2:]]
    bad = await desk.query("hbw", "notice.list", {"cursor": "abc"})
    assert bad["error"]["code"] == "invalid" and bad["error"]["fields"][0]["field"] == "cursor"
    other = await desk.query("ohs", "notice.list", {})
    assert other == {"ok": True, "notices": [], "next_cursor": None}  # hbw's are hbw's


async def test_newest_first_pages_back_to_the_oldest_and_counts_every_one_still_waiting_R6_3(
    desk: Desk, drill_services
) -> None:
    """A desk reads its latest notices first and the older a page away; `waiting` counts every
    notice the filters choose that nobody acknowledged (and did not end), beyond any page: an
    old one owed is never lost off the end of a list (contract §12.5)."""
    await drill_services()
    drill = Drill(desk)
    ids = await three_listed(desk, drill)
    first = await listed(desk, newest_first=True, limit=2, count=True)
    assert [n["ticket_id"] for n in first["notices"]] == [ids[2], ids[1]]
    assert first["waiting"] == 3  # all three, though the page holds two
    older = await listed(desk, newest_first=True, limit=2, cursor=first["next_cursor"])
    assert [n["ticket_id"] for n in older["notices"]] == [ids[0]]
    assert older["next_cursor"] is None and "waiting" not in older  # asked only with count

    oldest = (await listed(desk))["notices"][0]  # the oldest: past the newest page of one
    ack = {"staff_id": "CS1", "notification_id": oldest["notification_id"]}
    assert (await drill.escalation("ack", ack))["ok"]

    async def two_waiting() -> dict | None:
        reply = await listed(desk, newest_first=True, limit=1, count=True)
        return reply if reply["waiting"] == 2 else None

    assert [n["ticket_id"] for n in (await eventually(two_waiting))["notices"]] == [ids[2]]
    assert (await listed(desk, role="project_manager", count=True))["waiting"] == 0
