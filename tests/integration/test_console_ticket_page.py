"""What a ticket's page tells the desk, over HTTP (docs/CONSOLE.md): a complaint's ladder says
which steps it has climbed (R6.3–R6.7), a repeat call is counted and what the caller said on it
is shown (R16.1), and the texts the services write are read in Chinese."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_as, first_order
from tests.integration.drill import Drill, shanghai
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 11, 23, 9, 0)
SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "staff": {
        "HB-S01": {"role": "receptionist"},
        "HB-CLN": {"role": "department_supervisor", "department": "cleaning"},
        "HB-M01": {"role": "project_manager"},
    }}}}
)  # fmt: skip


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


def desk_page(settings: Any, sim_clock: Any, nats_server: Any) -> Any:
    return console_as(settings, sim_clock, SITES, nats_server.url, "HB-S01")


async def page_once(client: httpx.AsyncClient, path: str, text: str) -> str:
    async def shown() -> str | None:
        page = await client.get(path)
        return page.text if text in page.text else None

    return await eventually(shown)


async def test_a_complaints_ladder_shows_the_steps_climbed_not_as_overdue_R6_4(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services()
    body = report_body("ladder-1", staff_id="HB-S01", category="cleaning")
    ticket_no = (await desk.command("hbw", "report", body))["ticket_no"]
    # two days and a minute later the complaint is the department supervisor's (R6.4)
    await Drill(desk).set_clock(shanghai(2026, 11, 25, 9, 1))
    async with desk_page(settings, sim_clock, nats_server) as client:
        page = await page_once(client, f"/tickets/{ticket_no}", "当前：部门主管")
        step = page.split('id="ladder"')[1].split("</tr>")[1]  # the first step: 部门主管
        assert "部门主管" in step and "已升级" in step, step
        assert "已超时" not in step, step
        next_step = page.split('id="ladder"')[1].split("</tr>")[2]
        assert "项目经理" in next_step and "剩余" in next_step, next_step


async def test_a_repeat_call_is_counted_and_what_the_caller_said_is_shown_R16_1(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services("intake", "reporting")
    reported = await desk.command("hbw", "report", report_body("repeat-1", staff_id="HB-S01"))
    ticket_no = reported["ticket_no"]
    linked = await desk.command("hbw", "link", {
        "ticket_id": reported["ticket_id"], "staff_id": "HB-S01", "channel": "phone",
        "content": "又来电催促，噪音还在"})  # fmt: skip
    assert linked["ok"], linked
    async with desk_page(settings, sim_clock, nats_server) as client:
        page = await page_once(client, f"/tickets/{ticket_no}", "重复来电</strong>")
        assert 'id="repeats">1 次' in page
        history = page.split('id="history"')[1]
        assert "又来电催促，噪音还在" in history and "来电" in history


async def test_the_automatic_resolution_and_the_close_reason_are_read_in_chinese(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services("intake", "dispatch", "reporting")
    body = report_body("done-1", staff_id="HB-S01", kind="repair", category="plumbing")
    reported = await desk.command("hbw", "report", body)

    order_id = (await first_order(desk, reported["ticket_id"]))["work_order_id"]
    steps = [("collect", {"collected_by": "HB-CLN"}), ("assign", {"technician": "HB-CLN"}),
             ("arrive", {}), ("complete", {"notes": "换阀芯", "actual_item": "阀芯"}),
             ("sign_off", {"quality": 5, "attitude": 5})]  # fmt: skip
    ref = {"work_order_id": order_id, "staff_id": "HB-CLN"}
    for verb, fields in steps:
        done = await desk.dispatch("hbw", verb, ref | fields)
        assert done["ok"], done
    async with desk_page(settings, sim_clock, nats_server) as client:
        page = await page_once(client, f"/tickets/{reported['ticket_no']}", "已处理待回访")
        assert "全部派工单已完工并经客户签认" in page
        # one history: the order's steps among the ticket's, each naming its order, in order
        history = page.split('id="history"')[1]
        steps = re.findall(
            r"<strong>([^<]+)</strong> <a href=\"/orders/[^\"]+\">([^<]+)</a>", history
        )
        number = f"{reported['ticket_no']}-W1"
        assert steps == [
            (w, number) for w in ("派单", "领单签收", "派技术员", "到场", "完工", "客户评价签认")
        ]
        assert "技术员 HB-CLN" in history and "质量 5 分 · 态度 5 分" in history
        assert history.index("受理登记") < history.index("派单")
        assert "all work orders completed" not in page
        followed = await desk.command("hbw", "follow_up", {
            "ticket_id": reported["ticket_id"], "staff_id": "HB-S01", "score": 5})  # fmt: skip
        assert followed["ok"], followed
        page = await page_once(client, f"/tickets/{reported['ticket_no']}", "已关闭")
        assert "回访满意" in page and "satisfied_follow_up" not in page


async def test_classifying_again_starts_from_the_complaints_current_classification_R6_2(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    """The 分析界定 form shows what the complaint is now classified as: a desk changing only its
    category sees — and sends — its validity and severity as they stand."""
    await drill_services("intake", "reporting")
    reported = await desk.command("hbw", "report", report_body("classify-1", staff_id="HB-S01"))
    classified = await desk.command("hbw", "classify", {
        "ticket_id": reported["ticket_id"], "staff_id": "HB-S01", "validity": "valid",
        "severity": "important"})  # fmt: skip
    assert classified["ok"], classified
    async with desk_page(settings, sim_clock, nats_server) as client:
        page = await page_once(client, f"/tickets/{reported['ticket_no']}", "已界定")
        form = page.split('name="validity"')[1].split("</form>")[0]
        assert '<option value="valid" selected>有效投诉</option>' in form, form
        assert '<option value="important" selected>重要</option>' in form, form
        assert '<option value="communicative" selected>' not in form


async def test_the_managers_ladder_counts_lead_to_that_levels_open_complaints_R6_4(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services()
    body = report_body("ladder-2", staff_id="HB-S01", category="cleaning")
    ticket_no = (await desk.command("hbw", "report", body))["ticket_no"]
    await Drill(desk).set_clock(shanghai(2026, 11, 25, 9, 1))  # at the supervisor's step (R6.4)
    # a complaint logged now is at the ladder's first step, not the supervisor's
    fresh = report_body("ladder-3", staff_id="HB-S01", category="cleaning")
    fresh_no = (await desk.command("hbw", "report", fresh))["ticket_no"]
    both = "/tickets?view=open&kind=complaint"
    async with console_as(settings, sim_clock, SITES, nats_server.url, "HB-M01") as manager:
        page = await page_once(manager, "/dashboard", "部门主管</td>")
        rows = page.split('id="ladder"')[1].split("</tbody>")[0].split("</tr>")
        assert "辖区客服助理" in rows[1] and "部门主管" in rows[2], rows  # the ladder's order
        row = rows[2]
        link = f"{both}&level=department_supervisor"
        assert f'<a href="{link.replace("&", "&amp;")}">1</a>' in row, row
        await page_once(manager, both, fresh_no)
        level = await manager.get(link)
        assert ticket_no in level.text and fresh_no not in level.text
        assert "投诉升级至 部门主管 的工单" in level.text
        unknown = await manager.get(f"{both}&level=nobody")  # not a level: the whole list
        assert ticket_no in unknown.text and fresh_no in unknown.text


async def test_an_overdue_ticket_says_so_beside_its_status_not_its_next_deadline_R7_6(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    """Its order was not collected in 2 minutes (R7.6): the ticket is overdue, while its next
    deadline — the repair's, 72 hours on — is still ahead."""
    await drill_services()
    body = report_body("late-1", staff_id="HB-S01", kind="repair", category="plumbing",
                       content="厨房水管漏水")  # fmt: skip
    ticket_no = (await desk.command("hbw", "report", body))["ticket_no"]
    await Drill(desk).set_clock(shanghai(2026, 11, 23, 9, 10))
    async with desk_page(settings, sim_clock, nats_server) as client:
        page = await page_once(client, "/tickets?view=overdue", ticket_no)
        row = page.split(ticket_no)[1].split("</tr>")[0]
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        status, deadline = cells[4], cells[6]
        assert '<span class="badge">已超时</span>' in status, row
        assert "住户报修接单（W1）" in status, row  # which clock: the order's collection
        assert "剩余" in deadline and "超时" not in deadline, row
