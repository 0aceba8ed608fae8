"""The console's 维修通告 page over HTTP (R7.9, R16.6; docs/OUTAGES.md): the desk announces an
outage from the page (a refused form records nothing), the intake form shows the notices in
force with their restoration time, and the restoration is revised, then marked restored."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.integration.console_support import console_as, csrf_of
from tests.integration.drill import shanghai
from tests.integration.support import Desk, eventually
from tests.integration.test_incident_console import SITES

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 12, 7, 9, 0)


@pytest.fixture
def drill_sites():
    return SITES


def _local(delta: timedelta) -> str:
    return (CLOCK_STARTS + delta).strftime("%Y-%m-%dT%H:%M")  # as a browser sends it


async def test_the_desk_announces_revises_and_restores_an_outage_from_the_console_R16_6(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services("intake", "reporting")
    async with console_as(settings, sim_clock, SITES, nats_server.url, "HB-S01") as client:
        page = await client.get("/announcements")
        assert page.status_code == 200 and "发布维修通告" in page.text
        form = {"csrf": csrf_of(page.text), "client_ref": "console-water-1",
                "kind": "water_outage", "buildings": "3、5", "starts_at": _local(timedelta()),
                "expected_end": _local(timedelta(hours=2)),
                "text": "水管抢修停水, 预计两小时内恢复"}  # fmt: skip

        no_scope = await client.post("/announcements", data=form | {"buildings": ""})
        assert no_scope.status_code == 400 and "whole site" in no_scope.text
        backwards = await client.post("/announcements", data=form | {"expected_end": _local(
            -timedelta(hours=1))})  # fmt: skip
        assert backwards.status_code == 400 and "expected_end" in backwards.text
        forged = await client.post("/announcements", data=form | {"csrf": "forged"})
        assert forged.status_code == 403
        assert (await desk.query("hbw", "maintenance.list", {}))["notices"] == []

        shown = await client.post("/announcements", data=form)
        assert shown.status_code == 200 and "已发布" in shown.text
        assert 'id="n-HBW-MN-0001"' in shown.text and "3、5栋" in shown.text
        assert "2026-12-07 11:00" in shown.text  # the restoration time, in the site's zone

        intake_form = await client.get("/desk")
        assert 'id="active-HBW-MN-0001"' in intake_form.text and "停水" in intake_form.text
        # a caller from 3-201 with no water: linked, told the restoration time, and the
        # ticket's page says to what
        reported = await client.post("/desk", data={
            "csrf": csrf_of(intake_form.text), "client_ref": "no-water", "channel": "phone",
            "kind": "repair", "category": "plumbing", "name": "王小明", "phone": "13800138000",
            "room": "3-201", "content": "家里没水"})  # fmt: skip
        assert 'id="maintenance-HBW-MN-0001"' in reported.text, reported.text[:800]
        assert 'id="answered-by-notice"' in reported.text  # an inquiry: no work order (R16.6)
        assert "来电所报的停水已由维修通告 HBW-MN-0001 公告" in reported.text  # which cut
        number = re.search(r'id="ticket-no">([^<]+)<', reported.text).group(1)  # type: ignore[union-attr]

        async def ticket_page() -> str | None:
            page = await client.get(f"/tickets/{number}")
            return page.text if page.status_code == 200 else None

        ticket = await eventually(ticket_page)
        assert 'id="maintenance"><a href="/announcements?show=all#n-HBW-MN-0001"' in ticket

        # the caller's ticket, from the notice's row: its page, not a search by phone
        listed_page = (await client.get("/announcements")).text
        assert f'<a href="/tickets/{number}">{number}</a>' in listed_page
        assert (await client.get(f"/tickets/{number}")).status_code == 200
        # a ticket number searched as a phone: said in Chinese, pydantic's English after it
        as_phone = await client.get(f"/search?by=phone&q={number}")
        assert as_phone.status_code == 400 and "来电号码</span>：格式不正确（" in as_phone.text
        assert "invalid command" not in as_phone.text
        assert number in (await client.get(f"/search?by=ticket_no&q={number}")).text

        revise = {"csrf": csrf_of(shown.text), "expected_end": _local(-timedelta(hours=1)),
                  "reason": "管件需另购"}  # fmt: skip
        backwards = await client.post("/announcements/HBW-MN-0001/revise", data=revise)
        assert backwards.status_code == 400, backwards.text[-600:]
        row = backwards.text.split('id="n-HBW-MN-0001"', 1)[1].split("</tr>", 1)[0]
        assert "<details open>" in row and 'value="管件需另购"' in row  # what was typed, kept
        assert f'value="{_local(-timedelta(hours=1))}"' in row
        revised = await client.post("/announcements/HBW-MN-0001/revise", data=revise | {
            "expected_end": _local(timedelta(hours=4))})  # fmt: skip
        assert "预计恢复时间已修改" in revised.text and "2026-12-07 13:00" in revised.text
        restored = await client.post("/announcements/HBW-MN-0001/restored", data={
            "csrf": csrf_of(revised.text)})  # fmt: skip
        assert "已记录恢复" in restored.text and "暂无生效中的维修通告" in restored.text
        listed = await desk.query("hbw", "maintenance.list", {})
        assert [(n["status"], n["revisions"]) for n in listed["notices"]] == [("restored", 1)]
        assert 'id="active-' not in (await client.get("/desk")).text
