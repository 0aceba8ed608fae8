"""The console's 回访 list over HTTP (docs/CONSOLE.md): each call with what was done (处理结果)
and, for the roles that may see a caller's details (shared/kernel/staff.py
`intake.reveal_contact`, R15.2), a 查看电话 that puts the number in the call's row; a role that
makes the call without that right is not offered a look intake would refuse and record."""

from __future__ import annotations

import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_of, csrf_of
from tests.integration.support import Desk, ready_to_resolve, report_body
from tests.integration.test_console_ticket_page import page_once

pytestmark = pytest.mark.integration

SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "staff": {
        "HB-S01": {"role": "receptionist"},
        "HB-CSS": {"role": "cs_supervisor"},  # 回访 in her menu; a caller's details not hers
    }}}}
)  # fmt: skip


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


async def test_the_call_back_list_offers_the_number_only_to_who_may_see_it_R11_1_R15_2(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services("intake", "reporting")
    reported = await desk.command("hbw", "report", report_body("fu-1", staff_id="HB-S01"))
    ticket_id = reported["ticket_id"]
    await ready_to_resolve(desk, "hbw", ticket_id, "HB-S01")
    done = {"ticket_id": ticket_id, "staff_id": "HB-S01", "resolution": "已与楼上住户协调"}
    resolved = await desk.command("hbw", "resolve", done)
    assert resolved["ok"], resolved
    free_port = settings.model_copy(update={"console_port": 0})
    async with console_of(free_port, sim_clock, SITES, nats_server.url, "HB-S01",
                          "HB-CSS") as (desk_page, supervisor):  # fmt: skip
        page = await page_once(desk_page, "/follow-ups", reported["ticket_no"])
        assert "已与楼上住户协调" in page  # what the customer is asked about
        reveal = f'action="/tickets/{ticket_id}/reveal_contact"'
        assert reveal in page
        theirs = await supervisor.get("/follow-ups")
        assert theirs.status_code == 200 and reported["ticket_no"] in theirs.text
        assert "已与楼上住户协调" in theirs.text
        assert reveal not in theirs.text and "查看电话" not in theirs.text

        form = {"csrf": csrf_of(page), "back": "/follow-ups", "purpose": "回访"}
        shown = await desk_page.post(f"/tickets/{ticket_id}/reveal_contact", data=form)
        assert shown.status_code == 200
        row = shown.text.split(f'id="contact-{reported["ticket_no"]}"')[1].split("</ul>")[0]
        assert "13800138000" in row
