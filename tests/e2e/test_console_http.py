"""Bad input to the console over plain HTTP (issue 14): each refused with a clear message in
Chinese, and nothing recorded — the site's ticket list is the same before and after."""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import PROPDESK
from tests.e2e.console_support import FIRST_RUN, Running, csrf_of, running_up, signed_in

pytestmark = pytest.mark.e2e

REPAIR = {
    "channel": "phone", "kind": "repair", "category": "plumbing", "name": "李四",
    "phone": "13912345678", "room": "5-302", "content": "厨房水管漏水",
}  # fmt: skip


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    yield from running_up(tmp_path_factory, "console-http")


@pytest.fixture(scope="module")
def desk(running: Running) -> Iterator[httpx.Client]:
    client = signed_in(running.console, "hbw", "HB-S02")
    yield client
    client.close()


@pytest.fixture(scope="module")
def a_ticket(running: Running, desk: httpx.Client) -> str:
    """One hbw ticket, logged through the console: its number."""
    reply = desk.post("/desk", data={"csrf": desk.csrf, **REPAIR})  # type: ignore[attr-defined]
    assert reply.status_code == 200, reply.text[:500]
    return re.search(r'id="ticket-no">([^<]+)<', reply.text).group(1)  # type: ignore[union-attr]


def refused(reply: httpx.Response, status: int, words: str) -> None:
    assert reply.status_code == status, reply.text[:800]
    assert words in reply.text, reply.text[:800]


def message_of(reply: httpx.Response) -> str:
    """The refusal as the person reads it: the alert's text, its fields listed."""
    found = re.search(r'id="message">(.*?)</div>', reply.text, re.S)
    assert found, reply.text[:800]
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<li>|<br>", "\n", found.group(1))))


def recorded(running: Running) -> int:
    return len(running.tickets("hbw"))


def post(client: httpx.Client, path: str, data: dict[str, Any], **kw: Any) -> httpx.Response:
    return client.post(path, data=data, **kw)


def test_a_form_without_a_session_is_refused(running: Running, a_ticket: str) -> None:
    before = recorded(running)
    with httpx.Client(base_url=running.console) as stranger:
        refused(stranger.post("/desk", data={"csrf": "x", **REPAIR}), 401, "请先登录")
        page = stranger.get("/tickets", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert recorded(running) == before


def test_a_form_without_or_with_a_forged_csrf_token_is_refused(
    running: Running, desk: httpx.Client, a_ticket: str
) -> None:
    before = recorded(running)
    refused(desk.post("/desk", data=REPAIR), 403, "CSRF 校验失败")
    refused(desk.post("/desk", data={"csrf": "forged", **REPAIR}), 403, "CSRF 校验失败")
    refused(
        desk.post(f"/tickets/{a_ticket}/resolve", data={"csrf": "", "resolution": "x"}),
        403, "未保存任何内容",
    )  # fmt: skip
    assert recorded(running) == before


def test_a_form_missing_its_fields_is_refused_naming_them(
    running: Running, desk: httpx.Client, a_ticket: str
) -> None:
    before = recorded(running)
    csrf = desk.csrf  # type: ignore[attr-defined]
    reply = desk.post("/desk", data={"csrf": csrf, "channel": "phone", "kind": "repair"})
    refused(reply, 400, "填写有误")
    assert "内容：必填（Field required）" in message_of(reply)
    reply = desk.post("/desk", data={"csrf": csrf, **REPAIR, "phone": ""})  # a call needs one
    refused(reply, 400, "reporter.phone is required for phone contacts")
    assert recorded(running) == before


def test_a_megabyte_field_is_refused(running: Running, desk: httpx.Client, a_ticket: str) -> None:
    before = recorded(running)
    huge = {"csrf": desk.csrf, **REPAIR, "content": "漏" * (1024 * 1024 // 3)}  # type: ignore[attr-defined]
    refused(desk.post("/desk", data=huge), 413, "提交的内容过大")
    assert recorded(running) == before


def test_script_tags_in_content_are_escaped_on_every_page(
    running: Running, desk: httpx.Client
) -> None:
    script = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    reply = desk.post("/desk", data={"csrf": desk.csrf, **REPAIR, "content": script})  # type: ignore[attr-defined]
    number = re.search(r'id="ticket-no">([^<]+)<', reply.text).group(1)  # type: ignore[union-attr]
    page = desk.get(f"/tickets/{number}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>" not in page.text and "<img src=x" not in page.text
    listed = desk.get("/tickets?view=all")
    assert "<script>alert" not in listed.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")


def test_another_sites_ticket_is_not_found_there(running: Running, a_ticket: str) -> None:
    hbw_id = next(t["ticket_id"] for t in running.tickets("hbw") if t["ticket_no"] == a_ticket)
    before = running.ask("desk.qry.hbw.ticket.get", {"ticket_id": hbw_id})["ticket"]
    other = signed_in(running.console, "tech-park", "TP-S01")
    try:
        refused(other.get(f"/tickets/{hbw_id}"), 404, "本项目没有这个工单")
        refused(other.get(f"/tickets/{a_ticket}"), 404, "本项目没有这个工单")
        reply = other.post(
            f"/tickets/{hbw_id}/resolve",
            data={"csrf": other.csrf, "resolution": "别的项目的人来处理"},  # type: ignore[attr-defined]
        )
        refused(reply, 404, "本项目没有这个工单")
    finally:
        other.close()
    after = running.ask("desk.qry.hbw.ticket.get", {"ticket_id": hbw_id})["ticket"]
    assert after["history"] == before["history"]


def test_a_wrong_password_signs_nobody_in(running: Running) -> None:
    with httpx.Client(base_url=running.console, follow_redirects=True) as client:
        csrf = csrf_of(client.get("/login").text)
        form = {"csrf": csrf, "site": "hbw", "staff_id": "HB-S03", "password": "guess-1234"}
        reply = client.post("/login", data=form)
        assert reply.url.path == "/login" and "工号或密码错误" in reply.text
        unknown = client.post("/login", data=form | {"staff_id": "HB-NOBODY"})
        assert "工号或密码错误" in unknown.text
        assert client.get("/tickets").url.path == "/login"


def test_a_signed_out_session_is_over(running: Running) -> None:
    client = signed_in(running.console, "hbw", "HB-S03")
    cookie = client.cookies.get("pd_session")
    client.post("/logout", data={"csrf": client.csrf})  # type: ignore[attr-defined]
    with httpx.Client(base_url=running.console, cookies={"pd_session": cookie or ""}) as old:
        refused(old.post("/desk", data={"csrf": client.csrf, **REPAIR}), 401, "登录已失效")  # type: ignore[attr-defined]
    client.close()


def test_a_technician_is_not_shown_a_residents_phone(running: Running, a_ticket: str) -> None:
    technician = signed_in(running.console, "hbw", "HB-T02")
    try:
        reply = technician.post(
            f"/tickets/{a_ticket}/reveal_contact",
            data={"csrf": technician.csrf, "purpose": "上门联系"},  # type: ignore[attr-defined]
        )
        # a ticket's page is reached from a work order, to read: the console refuses the form
        # before intake is asked (screens.may_open)
        refused(reply, 403, "此页面不属于维修技术员的工作，未保存任何内容")
        assert "13912345678" not in reply.text
    finally:
        technician.close()


def test_an_appointment_is_read_in_the_sites_time_and_promised(
    running: Running, desk: httpx.Client
) -> None:
    form = {
        "csrf": desk.csrf, **REPAIR, "appointment_start": "2026-11-25T14:00",  # type: ignore[attr-defined]
        "appointment_end": "2026-11-25T16:00",
    }  # fmt: skip
    reply = desk.post("/desk", data=form)
    assert reply.status_code == 200, reply.text[:500]
    promises = re.search(r'<ul id="promises">(.*?)</ul>', reply.text, re.S).group(1)  # type: ignore[union-attr]
    assert "预约上门" in promises and "2026-11-25 14:00 (UTC+08:00)" in promises
    assert "一般维修完成" in promises and "2026-11-28 14:00 (UTC+08:00)" in promises


def test_a_forgotten_password_is_reset_by_the_operator_with_a_one_time_password(
    running: Running,
) -> None:
    """`propdesk console reset-password` against a running console: the one-time password it
    prints signs the person in once, to the password page; the public first-run password does
    not (anyone could have signed in as them)."""
    signed_in(running.console, "hbw", "HB-CS1", "cs-assistant-1").close()
    reset = subprocess.run(
        [PROPDESK, "console", "reset-password", "--site", "hbw", "--staff", "HB-CS1",
         "--data-dir", str(running.data_dir)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert reset.returncode == 0 and "password forgotten" in reset.stdout, reset.stderr
    one_time = re.search(r"one-time password: (\S+)", reset.stdout).group(1)  # type: ignore[union-attr]
    with httpx.Client(base_url=running.console, follow_redirects=True) as client:
        csrf = csrf_of(client.get("/login").text)
        form = {"csrf": csrf, "site": "hbw", "staff_id": "HB-CS1"}
        for gone in ("cs-assistant-1", FIRST_RUN):
            old = client.post("/login", data=form | {"password": gone})
            assert "工号或密码错误" in old.text
            form["csrf"] = csrf_of(old.text)
        first = client.post("/login", data=form | {"password": one_time})
        assert first.url.path == "/password"


def test_reports_go_to_managers_and_quality_and_the_company_pack_to_quality_only(
    running: Running,
) -> None:
    technician = signed_in(running.console, "hbw", "HB-T03")
    manager = signed_in(running.console, "hbw", "HB-GMO")
    quality = signed_in(running.console, "hbw", "HB-QA")
    try:
        refused(technician.get("/reports/monthly?period=2026-11&format=csv"), 403, "无权下载")
        refused(manager.get("/reports/quality?period=2026-11&format=xlsx"), 403, "无权下载")
        weekly = manager.get("/reports/weekly?period=2026-W48&format=csv")
        assert weekly.status_code == 200, weekly.text[:300]
        assert "hbw-2026-W48-weekly.csv" in weekly.headers["content-disposition"]
        pack = quality.get("/reports/quality?period=2026-11&format=xlsx")
        assert pack.status_code == 200 and pack.content[:2] == b"PK", pack.text[:300]
        assert "company-2026-11-quality.xlsx" in pack.headers["content-disposition"]
    finally:
        for client in (technician, manager, quality):
            client.close()


def test_the_rounds_page_shows_the_day_and_refuses_a_bad_date(running: Running) -> None:
    """巡查 (docs/INSPECTION.md): the day's summary with its due time, the week's sheet; a date
    that is not one is refused in Chinese (R12.9, R1.5). The CS supervisor's page: the
    receptionist's menu has no 巡查."""
    assistant = signed_in(running.console, "hbw", "HB-CSS")
    try:
        day = assistant.get("/rounds", params={"day": "2026-12-03"})
        assert day.status_code == 200 and "每日巡查问题汇总" in day.text, day.text[:800]
        assert "18:30" in day.text
        week = assistant.get("/rounds", params={"day": "2026-12-03", "week": "1"})
        assert week.status_code == 200 and "物业品质监督检查表" in week.text
        refused(assistant.get("/rounds", params={"day": "3/12"}), 400, "日期 3/12 无效")
    finally:
        assistant.close()


def test_a_page_outside_a_roles_menu_is_refused_and_a_form_posted_to_it_changes_nothing(
    running: Running, a_ticket: str
) -> None:
    """A technician's console is their work orders (docs/CONSOLE.md "What each role sees"): the
    desk's intake form, the resident file, the shift log and the ticket list are refused with
    why, and a form posted there records nothing; a ticket's page, reached from a work order's
    查看工单, is theirs to read. The receptionist is refused the CS assistant's 巡查."""
    technician = signed_in(running.console, "hbw", "HB-T01")
    before = recorded(running)
    try:
        for path in ("/desk", "/residents", "/residents/care", "/shifts", "/tickets", "/search",
                     "/dashboard", "/visits", "/surveys", "/accounts"):  # fmt: skip
            refused(technician.get(path), 403, "此页面不属于维修技术员的工作，请从菜单进入")
        posted = technician.post("/desk", data={"csrf": technician.csrf, **REPAIR})  # type: ignore[attr-defined]
        refused(posted, 403, "此页面不属于维修技术员的工作，未保存任何内容")
        assert recorded(running) == before
        assert technician.get("/orders").status_code == 200
        page = technician.get(f"/tickets/{a_ticket}")
        assert page.status_code == 200 and a_ticket in page.text
    finally:
        technician.close()
    receptionist = signed_in(running.console, "hbw", "HB-S01")
    try:
        refused(receptionist.get("/rounds"), 403, "此页面不属于前台接待员的工作")
        assert receptionist.get("/search", params={"by": "room", "q": "5-302"}).status_code == 200
    finally:
        receptionist.close()
