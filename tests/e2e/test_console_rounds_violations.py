"""The CS assistant's site pages in a real browser against `propdesk up` (issue 16;
docs/INSPECTION.md, docs/VIOLATIONS.md, docs/RESIDENTS.md): a CS assistant records a round from
the day's plan — a bad form names its field and records nothing — and its resident's violation
opens a case (R13.15b, R14.10); the case's measure is recorded with its due date (R14.3), a
penalty proposed by an assistant is refused (R14.7), the manager proposes and signs it (R14.6).
On 住户档案 she records a special-care resident's visit (R11.10). Pages are photographed at
1366×768 and 390×844 (var/screenshots/)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from tests.e2e.console_support import (
    DESKTOP,
    FIRST_RUN,
    PHONE,
    Running,
    chromium,
    no_overflow,
    running_up,
    shoot,
    until_listed,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

PLAN = {"staff_id": "HB-M01", "month": "2026-11", "slots": [
    {"name": "daily-check", "frequency": "daily", "starts": "08:00", "ends": "08:30",
     "area": "全小区", "points": ["大堂", "电梯", "垃圾房"]}]}  # fmt: skip


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    yield from running_up(tmp_path_factory, "console-cases")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from chromium()


def signed_in(browser, running: Running, staff: str):
    """`staff` in a browser context of their own: the first time with the first-run password,
    changed to their own; after that (another test of the module) with their own."""
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    own = f"{staff}-pass-2026"
    for password in (FIRST_RUN, own):
        page.goto(f"{running.console}/login")
        page.select_option("select[name=site]", "hbw")
        page.fill("[name=staff_id]", staff)
        page.fill("[name=password]", password)
        page.click("button[type=submit]")
        if urlparse(page.url).path != "/login":  # refused: the form again, saying why
            break
    if urlparse(page.url).path == "/password":
        for name in ("old", "new", "repeat"):
            page.fill(f"[name={name}]", FIRST_RUN if name == "old" else own)
        page.click("button[type=submit]")
    return page


def message(page) -> str:
    page.wait_for_load_state()  # the page a form's post answered: query_selector does not wait
    found = page.query_selector("#message")
    return found.inner_text() if found else ""


def test_a_round_recorded_on_the_console_opens_a_case_the_manager_signs_its_penalty_R13_14_R14_6_R14_7(  # noqa: E501
    running: Running, browser
) -> None:
    assert running.ask("desk.cmd.hbw.intake.plan_rounds", PLAN)["ok"]
    page = signed_in(browser, running, "HB-CS1")
    page.goto(f"{running.console}/rounds")
    page.click("#new-round")
    page.click("a.slot")  # the day's slot fills the area and its points
    assert page.input_value("[name=area]") == "全小区"
    assert page.input_value("[name=points]").split("\n") == ["大堂", "电梯", "垃圾房"]
    page.fill("[name=started_at]", "2026-11-23T08:00")
    page.fill("[name=ended_at]", "2026-11-23T08:30")
    page.fill("[name=f0_point]", "垃圾房")
    page.select_option("[name=f0_type]", "violation")
    page.fill("[name=f0_location]", "5-101")
    page.fill("[name=f0_description]", "住户在垃圾房堆放装修垃圾")
    page.select_option("[name=f0_violation_category]", "hygiene")
    page.fill("[name=f1_point]", "电梯")
    page.select_option("[name=f1_type]", "facility")
    page.fill("[name=f1_description]", "3号梯按钮损坏")
    page.click("#record-round button[type=submit]")  # a facility finding without its category
    assert "findings.1" in message(page) and "category" in message(page)
    day = running.ask("desk.qry.hbw.round.list", {"day": "2026-11-23"})
    assert day["rounds"] == []  # nothing recorded
    shoot(page, "31-round-refused")
    page.select_option("[name=f1_category]", "elevator")
    page.click("#record-round button[type=submit]")
    assert "已立违例案件 1 宗" in page.inner_text("#done")
    until_listed(page, running, f"{running.console}/rounds?day=2026-11-23", "3号梯按钮损坏")
    shoot(page, "32-round-recorded")
    assert page.query_selector('#findings a[href^="/violations/"]')  # the finding's case
    no_overflow(page)

    until_listed(page, running, f"{running.console}/violations", "5-101")
    shoot(page, "33-violations")
    page.select_option("#open-violation [name=violation_class]", "major")
    page.select_option("#open-violation [name=category]", "fire")
    page.fill("#open-violation [name=place]", "13912345678")  # a phone number is not a place
    page.fill("#open-violation [name=description]", "杂物堵塞消防通道")
    page.click("#open-violation button")
    assert "place" in message(page)
    page.fill("#open-violation [name=place]", "3栋消防通道")
    page.fill("#open-violation [name=offender_name]", "钱多多")
    page.click("#open-violation button")
    assert "已立案" in page.inner_text("#done") and "项目经理" in page.content()  # major (R14.2)
    assert "钱多多" not in page.content()  # the offender stays in intake
    page.goto(f"{running.console}/violations")
    # a case is named by its day and id, never by the form's token or the finding's path
    assert "违例-20261123-" in page.inner_text("#violations")
    assert "round/" not in page.inner_text("#violations")
    page.click('#violations tr:has-text("5-101") a')
    case_url = page.url
    page.goto(f"{running.console}/violations/no-such-case")  # a mistyped address: plain words
    assert page.inner_text("main").count("本项目没有这个违例案件") == 1
    assert "UUID" not in page.content()
    page.goto(case_url)
    assert "巡查发现 round/" in page.content()  # the finding it came from
    page.select_option("#measure [name=measure]", "persuasion")
    page.fill("#measure [name=due_on]", "2026-11-20")  # before today
    page.click("#measure button")
    assert "due_on" in message(page)
    page.fill("#measure [name=due_on]", "2026-11-25")
    page.click("#measure button")
    assert "处理措施已保存" in page.inner_text("#done")
    assert "2026-11-25" in page.inner_text("#measures")
    page.fill("#penalty-form [name=penalty]", "罚款")
    page.click("#penalty-form button")  # an assistant may not propose one (R14.7)
    assert "R14.7" in message(page) and page.query_selector("#penalty") is None
    shoot(page, "34-violation-refused")

    manager = signed_in(browser, running, "HB-M01")
    manager.goto(case_url)
    manager.fill("#penalty-form [name=penalty]", "清运费")
    manager.fill("#penalty-form [name=amount]", "200")
    manager.click("#penalty-form button")
    assert "已建议" in manager.inner_text("#penalty")
    manager.click("#sign button")
    assert "经理已签署生效" in manager.inner_text("#penalty")  # in force once signed (R14.6)
    shoot(manager, "35-violation-signed")
    no_overflow(manager)

    # the assistant's menu (14 pages, 今日概况 among them) on a phone: one row that scrolls,
    # the current page in view
    page.goto(f"{running.console}/visits")
    page.set_viewport_size(PHONE)
    page.reload()
    nav = page.query_selector("header nav")
    links = nav.query_selector_all("a")
    assert len(links) == 14
    assert len({round(a.bounding_box()["y"]) for a in links}) == 1  # one row, not three
    here = page.query_selector("header nav a.here").bounding_box()
    assert here["x"] >= 0 and here["x"] + here["width"] <= PHONE["width"]
    page.set_viewport_size(DESKTOP)
    # on the office PC the long menu wraps under itself: 退出 stays beside the person, not
    # alone on a line of its own
    page.reload()
    me = page.query_selector("header .me").bounding_box()
    out = page.query_selector("header button.link").bounding_box()
    assert abs((me["y"] + me["height"] / 2) - (out["y"] + out["height"] / 2)) < 4, (me, out)


UNIT = {"staff_id": "HB-CS1", "unit_ref": "3-1201", "building": "3栋", "room": "1201",
        "zone": "A区"}  # fmt: skip
RESIDENT = {"staff_id": "HB-CS1", "resident_ref": "HBW-0001", "kind": "owner", "name": "张阿婆",
            "phones": ["13911112222", "075588886666"], "unit_ref": "3-1201",
            "special_care": "elderly_alone", "care_note": "行动不便，紧急联系女儿"}  # fmt: skip


def test_the_cs_assistant_records_a_special_care_visit_on_the_residents_page_R11_10(
    running: Running, browser
) -> None:
    """She makes the visits: she finds the resident by her unit, sees when her next visit is
    due, has a visit dated tomorrow refused with what she typed kept, and records the one she
    made."""
    for verb, body in (("unit_register", UNIT), ("resident_register", RESIDENT)):
        assert running.ask(f"desk.cmd.hbw.intake.{verb}", body)["ok"]
    page = signed_in(browser, running, "HB-CS1")
    page.goto(f"{running.console}/residents?unit=3-1201")
    care = "#care-HBW-0001"
    assert "尚未登记走访" in page.inner_text(care)
    # flagged at 09:00 on the day `up` starts: her first visit is due within the site's 30 days
    assert "2026-12-23 09:00" in page.inner_text("#next-visit-HBW-0001")

    page.fill(f"{care} [name=visited_at]", "2026-11-24T09:00")  # tomorrow
    page.fill(f"{care} [name=note]", "送药上门，精神好，冰箱有食物")
    page.click(f"{care} button[type=submit]")
    assert "走访时间不能晚于现在" in page.inner_text(f"{care} #message")
    assert page.input_value(f"{care} [name=note]") == "送药上门，精神好，冰箱有食物"
    assert page.input_value(f"{care} [name=visited_at]") == "2026-11-24T09:00"
    looked = running.ask("desk.qry.hbw.resident.lookup",
                         {"staff_id": "HB-CS1", "unit_ref": "3-1201"})  # fmt: skip
    assert looked["residents"][0]["care_visits"] == []  # nothing recorded
    shoot(page, "36-care-visit-refused")

    page.fill(f"{care} [name=visited_at]", "2026-11-23T08:30")
    page.click(f"{care} button[type=submit]")
    assert "已登记 HBW-0001 的关怀走访" in page.inner_text("#message")
    row = page.inner_text("#care-visits-HBW-0001 tbody tr")
    assert "2026-11-23 08:30" in row and "HB-CS1" in row and "冰箱有食物" in row
    # made at 08:30, before she was flagged at 09:00: the wait still runs from the flag
    assert "2026-12-23 09:00" in page.inner_text("#next-visit-HBW-0001")
    shoot(page, "37-care-visit-recorded")
    no_overflow(page)
