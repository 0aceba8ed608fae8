"""A notice whose ticket ended before anyone acknowledged it, in a real browser against
`propdesk up` (R6.3; docs/CONSOLE.md, docs/NOTIFICATIONS.md): two complaints told to the CS
assistant at once (新投诉待处理); the project manager cancels one. Her page raises no banner for
the end (it is no new notice); her 通知 says 已结束（工单已撤销） on its row, not drawn as waiting,
its 确认 still there; her 今日概况 counts the other only. A banner raised for a notice drops it
once owed no more, 通知 never opened; the ticket's page lists its ended notice grey. 通知 and the
ticket's page are photographed at 1366×768 and 390×844 (var/screenshots/ended-0*-*.png)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.console_support import (
    DESKTOP,
    Running,
    chromium,
    no_overflow,
    running_up,
    shoot,
)
from tests.e2e.test_console_zones import listening, tile

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    yield from running_up(tmp_path_factory, "console-ended")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from chromium()


def complaint(running: Running, ref: str, room: str) -> dict[str, Any]:
    body = {"client_ref": ref, "channel": "phone", "kind": "complaint", "category": "noise",
            "staff_id": "HB-S01", "content": "楼上装修噪音太大",
            "reporter": {"name": "王小明", "phone": "13800138000", "room": room}}  # fmt: skip
    reply = running.ask("desk.cmd.hbw.intake.report", body)
    assert reply["ok"], reply
    return reply


def ended_listed(running: Running, timeout: float = 15) -> None:
    """Until reporting's notice.list says a notice ended (the view is eventually consistent)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listed = running.ask("desk.qry.hbw.notice.list", {"limit": 200})["notices"]
        if any(n.get("ended") for n in listed):
            return
        time.sleep(0.3)
    raise AssertionError("no notice listed ended")


def test_a_withdrawn_complaint_s_notice_is_shown_ended_and_not_counted_R6_3(
    running: Running, browser: Any
) -> None:
    page = listening(browser, running, "HB-CS1")
    page.wait_for_timeout(1_000)  # her feed subscribed (the response comes first)
    gone = complaint(running, "ended-gone", "3-201")
    kept = complaint(running, "ended-kept", "5-101")
    page.wait_for_selector("#live-banner:not([hidden])", timeout=15_000)  # new complaints
    tile(page, running, f"{running.console}/dashboard", "2")
    page.goto(f"{running.console}/notices")  # 通知 opened: the banner is taken down
    page.wait_for_load_state()

    with page.expect_response(lambda r: r.url.endswith("/live")):
        page.goto(f"{running.console}/desk")  # a page that does not reload itself
    page.wait_for_timeout(1_000)
    cancel = {"ticket_id": gone["ticket_id"], "staff_id": "HB-M01", "reason": "withdrawn"}
    assert running.ask("desk.cmd.hbw.intake.cancel", cancel)["ok"]  # the PM's: on the ladder
    ended_listed(running)
    page.wait_for_timeout(2_000)  # her feed heard the end: a change, no new notice
    assert page.locator("#live-banner").is_hidden()

    page.goto(f"{running.console}/notices")
    page.wait_for_load_state()  # loaded: query_selector does not wait
    [ended] = page.query_selector_all("#notices tbody tr.ended")
    assert gone["ticket_no"] in ended.inner_text()
    assert "已结束（工单已撤销）" in ended.inner_text()
    assert ended.query_selector("button") is not None  # still acknowledgeable
    waiting = page.query_selector_all("#notices tbody tr.late")
    assert [kept["ticket_no"] in r.inner_text() for r in waiting] == [True]
    shoot(page, "ended-01-notices")
    no_overflow(page)

    tile(page, running, f"{running.console}/dashboard", "1")  # the other only


def notice_of(running: Running, ticket_no: str, timeout: float = 15) -> dict[str, Any]:
    """The notice about `ticket_no`, once reporting lists it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = running.ask("desk.qry.hbw.notice.list", {"ticket_no": ticket_no})["notices"]
        if found:
            return found[0]
        time.sleep(0.3)
    raise AssertionError(f"no notice about {ticket_no} listed")


def signed_in_again(browser: Any, running: Running, staff: str) -> Any:
    """`staff`, who chose her password in `listening`, signed in again in a new browser
    context, on a page that listens to /live and does not reload itself (受理登记)."""
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    page.goto(f"{running.console}/login")
    page.select_option("select[name=site]", "hbw")
    page.fill("[name=staff_id]", staff)
    page.fill("[name=password]", f"zones-{staff}-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    with page.expect_response(lambda r: r.url.endswith("/live")):
        page.goto(f"{running.console}/desk")
    return page


def banner_says(page: Any, right: Any, timeout: float = 15) -> None:
    """Until the banner's text is `right` (the page's CSP allows no evaluated script)."""
    deadline = time.monotonic() + timeout
    while not right(page.inner_text("#live-banner")):
        assert time.monotonic() < deadline, page.inner_text("#live-banner")
        page.wait_for_timeout(300)


def banner_gone(page: Any) -> None:
    page.wait_for_selector("#live-banner", state="hidden", timeout=15_000)


def test_the_banner_drops_a_notice_owed_no_more_without_opening_notices_R6_3(
    running: Running, browser: Any
) -> None:
    """Her 新通知 banner is kept through her pages until 通知 is opened — or until the notice is
    owed no more: its ticket ended, or someone acknowledged it elsewhere (another tab, another
    member, `propdesk notice ack`). The page asks /live/owed on each load and on each change at
    the desk, and drops those; one still owed stays on the next page. The ticket's page lists the
    ended notice grey (ended-02-ticket-*.png)."""
    page = signed_in_again(browser, running, "HB-CS1")  # a tab of her own: nothing kept
    page.wait_for_timeout(1_000)  # her feed subscribed
    gone = complaint(running, "banner-gone", "3-201")
    page.wait_for_selector("#live-banner:not([hidden])", timeout=15_000)
    assert gone["ticket_no"] in page.inner_text("#live-banner")
    notice_of(running, gone["ticket_no"])
    cancel = {"ticket_id": gone["ticket_id"], "staff_id": "HB-M01", "reason": "withdrawn"}
    assert running.ask("desk.cmd.hbw.intake.cancel", cancel)["ok"]
    banner_gone(page)  # ended: heard as a change, checked, dropped — 通知 never opened
    page.goto(f"{running.console}/tickets")
    page.wait_for_load_state()
    page.wait_for_timeout(1_000)  # the page's own check
    assert page.locator("#live-banner").is_hidden()  # and not raised again on the next page

    with page.expect_response(lambda r: r.url.endswith("/live")):
        page.goto(f"{running.console}/desk")
    page.wait_for_timeout(1_000)
    acked = complaint(running, "banner-acked", "3-201")
    owed = complaint(running, "banner-owed", "3-201")
    banner_says(page, lambda said: owed["ticket_no"] in said and "另有 1 条" in said)
    notice = notice_of(running, acked["ticket_no"])
    ack = {"notification_id": notice["notification_id"], "staff_id": "HB-CS1"}
    assert running.ask("desk.cmd.hbw.escalation.ack", ack)["ok"]  # elsewhere: on the bus
    # the acknowledged one dropped; the one still owed stays
    banner_says(page, lambda said: owed["ticket_no"] in said and "另有" not in said)
    page.goto(f"{running.console}/tickets/{gone['ticket_id']}")
    page.wait_for_load_state()
    page.wait_for_timeout(1_000)  # the page's own check: the other still owed
    banner = page.inner_text("#live-banner")
    assert owed["ticket_no"] in banner and acked["ticket_no"] not in banner

    # the ticket's page lists its notice, ended: grey, 已结束（工单已撤销）
    [row] = page.query_selector_all("#ticket-notices tbody tr.ended")
    assert "已结束（工单已撤销）" in row.inner_text()
    shoot(page, "ended-02-ticket")
    no_overflow(page)
