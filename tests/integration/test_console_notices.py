"""通知 over HTTP (docs/CONSOLE.md): everyone reads the site's notices, but only the role a notice
was sent to, or one above it, is offered to acknowledge it (R6.3–R6.7); the others see whose it
is, so nobody presses a button that can only be refused."""

from __future__ import annotations

import html

import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_of, csrf_of
from tests.integration.drill import Drill, shanghai
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 11, 23, 9, 0)
SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "staff": {
        "HB-S01": {"role": "receptionist"},
        "HB-CS1": {"role": "cs_assistant"},
        "HB-CLN": {"role": "department_supervisor", "department": "cleaning"},
    }}}}
)  # fmt: skip


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


async def supervisor_s_notice(desk: Desk) -> str:
    """The notice a cleaning complaint left unanswered for two days sends the department
    supervisor (R6.4): its notification_id."""
    body = report_body("n-1", staff_id="HB-S01", category="cleaning")
    assert (await desk.command("hbw", "report", body))["ok"]
    await Drill(desk).set_clock(shanghai(2026, 11, 25, 9, 1))

    async def notice() -> str | None:
        listed = await desk.query("hbw", "notice.list", {"role": "department_supervisor"})
        return listed["notices"][0]["notification_id"] if listed["notices"] else None

    return await eventually(notice)


async def test_only_the_notices_role_or_one_above_is_offered_to_acknowledge_it_R6_4(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services()
    notice_id = await supervisor_s_notice(desk)
    staff = ("HB-CS1", "HB-CLN")
    async with console_of(settings, sim_clock, SITES, nats_server.url, *staff) as clients:
        assistant, supervisor = clients
        everyone = (await assistant.get("/notices?all=1")).text
        assert f'id="notice-{notice_id}"' in everyone
        assert f"/notices/{notice_id}/ack" not in everyone  # a cs_assistant may not
        assert "待部门主管确认" in everyone

        mine = (await supervisor.get("/notices")).text
        assert f"/notices/{notice_id}/ack" in mine
        acked = await supervisor.post(f"/notices/{notice_id}/ack", data={"csrf": csrf_of(mine)})
        assert acked.status_code == 200 and "HB-CLN 于" in acked.text


async def test_a_note_escalation_refuses_is_said_in_chinese_with_the_form_s_label_R6_4(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    """The console sends an acknowledgement's note as typed, unchecked: escalation's contract
    refuses one over 500 characters, and its reply names the check (docs/contract.md §3), so the
    console says it as it says its own checks of a form. The notice stays unacknowledged."""
    await drill_services()
    notice_id = await supervisor_s_notice(desk)
    async with console_of(settings, sim_clock, SITES, nats_server.url, "HB-CLN") as (supervisor,):
        mine = (await supervisor.get("/notices")).text
        form = {"csrf": csrf_of(mine), "note": "已安排保洁" * 101}
        refused = await supervisor.post(f"/notices/{notice_id}/ack", data=form)

        assert refused.status_code == 400
        assert (
            "填写有误：请检查以下字段（说明：最多 500 个字"
            "（String should have at most 500 characters））"
        ) in html.unescape(refused.text)
        listed = await desk.query("hbw", "notice.list", {"role": "department_supervisor"})
        [still] = [n for n in listed["notices"] if n["notification_id"] == notice_id]
        assert still["acknowledged_at"] is None
