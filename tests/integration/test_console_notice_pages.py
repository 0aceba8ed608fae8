"""通知 pages back through every notice, and 今日概况's 未确认通知 counts every one owed (R6.3):
a notice nobody acknowledged, older than a page of the newest, is neither lost from the list nor
from the count (notice.list `newest_first`, `count`: contract §12.5; CONSOLE.md 通知)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest

from services.console.application import my_notices
from tests.integration.console_support import console_of, csrf_of
from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually, report_body
from tests.integration.test_zone_notices import SITES, unacknowledged_rows, unacknowledged_tile

pytestmark = pytest.mark.integration


@pytest.fixture
def drill_sites():
    return SITES


async def help_notices(desk: Desk, count: int) -> list[dict]:
    """`count` help requests not replied to in 5 minutes (R10.2): their notices to cs_assistant,
    oldest first, once listed."""
    for n in range(count):
        body = report_body(f"h-{n}", staff_id="HB-S01", kind="help", help_category="G",
                           category=None)  # fmt: skip
        assert (await desk.command("hbw", "report", body))["ok"]
    await Drill(desk).set_clock(START + timedelta(minutes=10))

    async def listed() -> list[dict] | None:
        found = (await desk.query("hbw", "notice.list", {"role": "cs_assistant"}))["notices"]
        return found if len(found) == count else None

    return await eventually(listed)


def shown_ids(html: str) -> list[str]:
    return re.findall(r'<tr id="notice-([^"]+)"', html)


async def test_an_owed_notice_a_page_back_is_listed_there_and_counted_R6_3(
    desk: Desk, drill_services, settings, sim_clock, nats_server, monkeypatch
) -> None:
    monkeypatch.setattr(my_notices, "PAGE", 2)  # a page of two: the oldest of three a page back
    await drill_services("intake", "reporting", "escalation")
    oldest, *newer = await help_notices(desk, 3)
    free_port = settings.model_copy(update={"console_port": 0})
    async with console_of(free_port, sim_clock, SITES, nats_server.url, "HB-CS1") as (cs,):
        first = (await cs.get("/notices")).text
        for notice in newer:  # the newest two acknowledged: nothing waits on the first page
            acked = await cs.post(f"/notices/{notice['notification_id']}/ack",
                                  data={"csrf": csrf_of(first)})  # fmt: skip
            assert acked.status_code == 200
        first = (await cs.get("/notices")).text
        assert shown_ids(first) == [n["notification_id"] for n in reversed(newer)]
        assert unacknowledged_rows(first) == 0
        assert re.search(r'id="waiting">待确认 <strong>1</strong> 条', first)  # the older one
        assert unacknowledged_tile((await cs.get("/dashboard")).text)[0] == 1

        older = re.search(r'href="(/notices\?before=\d+)" id="older"', first)
        assert older, first[-1500:]
        back = (await cs.get(older.group(1))).text
        assert shown_ids(back) == [oldest["notification_id"]] and unacknowledged_rows(back) == 1
        assert 'id="older"' not in back and 'id="newest"' in back


async def test_the_live_banner_asks_which_of_its_notices_are_still_owed_R6_3(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    """/live/owed (live.js asks it on each page): of the banner's notices, the acknowledged one
    is owed no more; the one nobody acknowledged is; one reporting does not list (yet) is kept."""
    await drill_services("intake", "reporting", "escalation")
    done, owed = await help_notices(desk, 2)
    ack = {"staff_id": "HB-CS1", "notification_id": done["notification_id"]}
    assert (await Drill(desk).escalation("ack", ack))["ok"]

    async def acknowledged() -> bool:
        found = (await desk.query("hbw", "notice.list", {"open": True}))["notices"]
        return [n["notification_id"] for n in found] == [owed["notification_id"]]

    assert await eventually(acknowledged)
    unknown = str(uuid.uuid4())
    asked = [(done["notification_id"], done["ticket_no"]), (owed["notification_id"],
             owed["ticket_no"]), (unknown, "HBW-202611-9999")]  # fmt: skip
    query = "&".join(f"id={i}&no={n}" for i, n in asked)
    free_port = settings.model_copy(update={"console_port": 0})
    async with console_of(free_port, sim_clock, SITES, nats_server.url, "HB-CS1") as (cs,):
        reply = await cs.get(f"/live/owed?{query}")
    assert reply.status_code == 200
    assert reply.json() == {"owed": [owed["notification_id"], unknown]}
