"""The services' refusals as the console shows them, over HTTP (docs/CONSOLE.md): the rules the
desk, a supervisor and a technician meet in a day's work read in Chinese first, with the
service's own words after them, and nothing changes."""

from __future__ import annotations

import html
import re

import httpx
import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_of, csrf_of, first_order
from tests.integration.drill import Drill, shanghai
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 11, 23, 9, 0)
SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "staff": {
        "HB-S01": {"role": "receptionist"},
        "HB-CS1": {"role": "cs_assistant"},
        "HB-ENG": {"role": "department_supervisor", "department": "engineering"},
        "HB-T01": {"role": "technician"},
    }}}}
)  # fmt: skip


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


def message_of(page: httpx.Response) -> str:
    """The refusal as the person reads it: the alert's text (its fields listed), or a page's."""
    found = re.search(r'id="message">(.*?)</div>', page.text, re.S) or re.search(
        r"<p>([^<]*（[^<]*)</p>", page.text
    )
    assert found, page.text[:1500]
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<li>|<br>", "\n", found.group(1))))


async def test_the_desks_refusals_read_in_chinese_and_change_nothing_R8_5_R6_3(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services()
    staff = ("HB-S01", "HB-T01", "HB-CS1")
    async with console_of(settings, sim_clock, SITES, nats_server.url, *staff) as clients:
        front, technician, assistant = clients
        form = await front.get("/desk")
        # a help request without its category (受理登记)
        help_request = {"csrf": csrf_of(form.text), "channel": "phone", "kind": "help",
                        "name": "张先生", "phone": "13700002222", "room": "2-0101",
                        "content": "老人摔倒需要帮忙"}  # fmt: skip
        refused = await front.post("/desk", data=help_request)
        assert refused.status_code == 400
        assert "求助须选择求助类别（A–G）" in message_of(refused)
        assert (await desk.query("hbw", "ticket.list", {}))["tickets"] == []

        # a complaint classified valid with a communicative type
        complaint = await desk.command("hbw", "report", report_body("c-1", staff_id="HB-S01"))
        ticket_no = complaint["ticket_no"]

        async def ticket_page() -> str | None:
            page = await front.get(f"/tickets/{ticket_no}")
            return page.text if "分析界定" in page.text else None

        csrf = csrf_of(await eventually(ticket_page))
        classify = {"csrf": csrf, "validity": "valid", "communicative_type": "venting"}
        refused = await front.post(f"/tickets/{ticket_no}/classify", data=classify)
        assert refused.status_code == 400
        assert message_of(refused).startswith("填写有误：沟通性类型只用于沟通性投诉")
        got = await desk.query("hbw", "ticket.get", {"ticket_no": ticket_no})
        assert got["ticket"]["status"] == "received"

        # a technician's fee without a quote accepted before the work (R8.5)
        repair = report_body("r-1", staff_id="HB-S01", kind="repair", category="plumbing")
        reported = await desk.command("hbw", "report", repair)

        number = (await first_order(desk, reported["ticket_id"]))["order_no"]
        csrf = csrf_of((await technician.get(f"/orders/{number}")).text)
        for verb, fields in (("collect", {}), ("assign", {"technician": "HB-T01"}), ("arrive", {})):
            done = await technician.post(f"/orders/{number}/{verb}", data={"csrf": csrf} | fields)
            assert done.status_code == 200, done.text[:800]
        # the same step twice (a second tap, or a colleague's): the order's state, in Chinese
        again = await technician.post(f"/orders/{number}/arrive", data={"csrf": csrf})
        assert "派工单当前为“已到场”，不能登记到场" in message_of(again)
        fee = {"csrf": csrf, "actual_item": "阀芯", "notes": "更换阀芯", "fee": "35"}
        refused = await technician.post(f"/orders/{number}/complete", data=fee)
        assert refused.status_code == 400
        assert "收费须在维修前报价并经客户接受（R8.5）" in message_of(refused)
        got = await desk.query("hbw", "workorder.get", {"order_no": number})
        assert got["work_order"]["status"] == "arrived"

        # a notice acknowledged by a role it was not sent to (R6.3–R6.7)
        await Drill(desk).set_clock(shanghai(2026, 11, 25, 9, 1))  # the complaint climbs

        async def notice() -> str | None:
            listed = await desk.query("hbw", "notice.list", {"role": "department_supervisor"})
            return listed["notices"][0]["notification_id"] if listed["notices"] else None

        notice_id = await eventually(notice)
        csrf = csrf_of((await assistant.get("/notices?all=1")).text)
        refused = await assistant.post(f"/notices/{notice_id}/ack", data={"csrf": csrf})
        assert refused.status_code == 403
        assert "此操作须由部门主管、项目经理、总经理办公会进行" in refused.text
        assert "HB-CS1 的岗位是辖区客服助理" in refused.text


async def test_a_bad_intake_form_names_its_fields_by_their_labels_in_chinese_and_sends_nothing(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    """The receptionist reads the form's own labels and what is wrong in Chinese; the contract's
    path and pydantic's words stay after them, small, for whoever supports the desk."""
    await drill_services()
    async with console_of(settings, sim_clock, SITES, nats_server.url, "HB-S01") as (front,):
        form = await front.get("/desk")
        bad = {"csrf": csrf_of(form.text), "channel": "phone", "kind": "repair",
               "category": "plumbing", "name": "张先生", "phone": "12"}  # fmt: skip
        refused = await front.post("/desk", data=bad)

        assert refused.status_code == 400
        said = message_of(refused)
        assert said.startswith("填写有误：请检查以下字段")
        assert "联系电话：格式不正确（String should match pattern" in said
        assert "内容：必填（Field required）" in said
        assert '<span title="reporter.phone">联系电话</span>' in refused.text
        assert '<small class="path">content</small>' in refused.text
        assert (await desk.query("hbw", "ticket.list", {}))["tickets"] == []
        assert not [m for m in await desk.events() if m.subject.endswith(".ticket.reported")]
