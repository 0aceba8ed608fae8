"""The console's incident pages over HTTP (R16.5; docs/INCIDENTS.md): the desk opens an
incident from the page, a refused form records nothing, the steps are recorded with CSRF, and
the notices page links the alert to its incident."""

from __future__ import annotations

import re

import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_as, console_of, csrf_of
from tests.integration.drill import Drill, shanghai
from tests.integration.support import Desk, eventually

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 12, 6, 2, 0)
SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "staff": {
        "HB-S01": {"role": "receptionist"},
        "HB-M01": {"role": "project_manager"},
    }}}}
)  # fmt: skip


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


async def test_the_desk_opens_and_closes_an_incident_from_the_console_R16_5(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services()
    async with console_of(settings, sim_clock, SITES, nats_server.url,
                          "HB-S01", "HB-M01") as (client, manager):  # fmt: skip
        page = await client.get("/incidents")
        assert page.status_code == 200 and "登记突发事件" in page.text
        csrf = csrf_of(page.text)
        opened = {"csrf": csrf, "client_ref": "console-fire-1", "kind": "fire",
                  "place": "地下车库", "measure": "启动消防系统, 广播疏散"}  # fmt: skip

        missing = await client.post("/incidents", data=opened | {"place": ""})
        assert missing.status_code == 400 and "place" in missing.text
        forged = await client.post("/incidents", data=opened | {"csrf": "forged"})
        assert forged.status_code == 403
        listed = await desk.query("hbw", "incident.list", {})
        assert listed["incidents"] == []  # nothing recorded

        shown = await client.post("/incidents", data=opened)
        assert shown.status_code == 200, shown.text[:500]
        number = re.search(r'id="incident-no">([^<]+)<', shown.text).group(1)  # type: ignore[union-attr]
        assert number == "HBW-INC-202612-001" and "火灾" in shown.text
        assert "已通知安保主管和值班经理" in shown.text
        # the duty manager's first look: an emergency still being handled (R16.5)
        dashboard = (await manager.get("/dashboard")).text
        assert re.search(r'id="incidents">1<', dashboard), dashboard

        early = await client.post(f"/incidents/{number}/close", data={
            "csrf": csrf, "follow_up": "已扑灭"})  # fmt: skip
        assert early.status_code == 400 and 'id="message"' in early.text
        up = await client.post(f"/incidents/{number}/report_up", data={
            "csrf": csrf, "to": "project_manager", "note": "电话报告"})  # fmt: skip
        assert up.status_code == 200 and "上报已保存" in up.text
        closed = await client.post(f"/incidents/{number}/close", data={
            "csrf": csrf, "follow_up": "电缆短路起火, 已更换"})  # fmt: skip
        assert "已结案" in closed.text and "电缆短路起火" in closed.text
        assert re.search(r'id="incidents">0<', (await manager.get("/dashboard")).text)

        async def alerted() -> str | None:
            notices = await client.get("/notices?all=1")
            return notices.text if f'href="/incidents/{number}"' in notices.text else None

        notices = await eventually(alerted)
        assert "突发事件" in notices
        # the incident's page: who was told, and that nobody has acknowledged yet (R16.5)
        told = (await client.get(f"/incidents/{number}")).text.split('id="alerts"')[1]
        told = told.split("</table>")[0]
        assert "部门主管（秩序维护部）" in told and "项目经理" in told, told  # security, duty
        assert "尚未确认" in told, told
        row = notices.split(f'href="/incidents/{number}"')[1].split("</td>")[0]
        assert "火灾 · 地下车库" in row, row  # what happened and where, before it is opened


async def test_a_night_flood_logged_at_the_desk_its_ticket_names_it_its_record_in_time_R16_5(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services()
    async with console_as(settings, sim_clock, SITES, nats_server.url, "HB-S01") as client:
        form = await client.get("/desk")
        reported = await client.post("/desk", data={
            "csrf": csrf_of(form.text), "client_ref": "night-flood", "channel": "hotline",
            "kind": "help", "help_category": "F", "incident_kind": "flood", "name": "王先生",
            "phone": "13800138000", "room": "地下车库B2", "content": "车库进水"})  # fmt: skip
        number = re.search(r'href="/incidents/([^"]+)"', reported.text).group(1)  # type: ignore[union-attr]
        ticket_no = re.search(r'id="ticket-no">([^<]+)<', reported.text).group(1)  # type: ignore[union-attr]

        async def ticket_page() -> str | None:
            page = await client.get(f"/tickets/{ticket_no}")
            return page.text if 'id="incidents"' in page.text else None

        # the ticket's page names the emergency it opened, and links to it
        assert f'<a href="/incidents/{number}">{number}</a> 水浸' in await eventually(ticket_page)

        csrf = csrf_of(reported.text)
        await Drill(desk, "hbw").set_clock(shanghai(2026, 12, 6, 2, 20))
        up = await client.post(f"/incidents/{number}/report_up", data={
            "csrf": csrf, "to": "project_manager", "note": "电话报告值班经理"})  # fmt: skip
        assert "上报已保存" in up.text
        earlier = await client.post(f"/incidents/{number}/measure", data={
            "csrf": csrf, "measure": "关闭给水总阀", "taken_at": "2026-12-06T02:10"})  # fmt: skip
        assert "处理措施已保存" in earlier.text
        record = earlier.text.split('id="measures"', 1)[1].split("</table>", 1)[0]
        # in the order they happened: the measure of 02:10 before the report of 02:20
        assert record.index("关闭给水总阀") < record.index("上报 项目经理")
        assert "2026-12-06 02:10 (UTC+08:00)" in record
