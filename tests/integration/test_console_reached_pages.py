"""The pages a ticket's page links to, for a role whose menu lacks them (docs/CONSOLE.md, "What
each role sees"; screens.may_open): a project manager reading a repair's ticket opens its work
order and its printable slip — to read, not to take the order's steps — and is not offered the
promise form, which is not her work."""

from __future__ import annotations

import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_of, csrf_of, first_order
from tests.integration.support import Desk, report_body

pytestmark = pytest.mark.integration

SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "staff": {
        "HB-S01": {"role": "receptionist"},
        "HB-M01": {"role": "project_manager"},  # 工单列表, no 派工单 nor 承诺回复 in her menu
    }}}}
)  # fmt: skip


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


async def test_a_tickets_work_order_opens_from_its_page_to_read_only(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services()
    body = report_body("pm-1", staff_id="HB-S01", kind="repair", category="plumbing",
                       content="厨房水管漏水")  # fmt: skip
    reported = await desk.command("hbw", "report", body)
    number = (await first_order(desk, reported["ticket_id"]))["order_no"]
    free_port = settings.model_copy(update={"console_port": 0})
    async with console_of(free_port, sim_clock, SITES, nats_server.url, "HB-M01") as (manager,):
        ticket = await manager.get(f"/tickets/{reported['ticket_no']}")
        assert ticket.status_code == 200
        assert f'href="/orders/{number}"' in ticket.text
        assert 'id="promise-from-ticket"' not in ticket.text  # not a page of hers
        order = await manager.get(f"/orders/{number}")
        assert order.status_code == 200, order.text[:500]
        assert (await manager.get(f"/orders/{number}/slip")).status_code == 200
        # to read: a step posted to it is the console's refusal, nothing recorded
        posted = await manager.post(f"/orders/{number}/collect",
                                    data={"csrf": csrf_of(ticket.text)})  # fmt: skip
        assert posted.status_code == 403 and "未保存任何内容" in posted.text
        assert (await manager.get("/orders")).status_code == 403  # the queues stay the desk's
