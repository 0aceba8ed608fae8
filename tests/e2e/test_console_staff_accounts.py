"""账号管理 in a real browser against `propdesk up` (docs/CONSOLE.md "Signing in"): the CS
supervisor resets an assistant's forgotten password from the menu, reads the one-time password
off the page once, and the assistant uses it to choose a new one. The pages are photographed at
1366×768 and 390×844 (var/screenshots/pwreset/) and are no wider than a phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.console_support import (
    DESKTOP,
    SCREENSHOTS,
    Running,
    chromium,
    first_sign_in,
    no_overflow,
    running_up,
    shoot,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    yield from running_up(tmp_path_factory, "console-accounts")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from chromium()


def test_a_supervisor_resets_an_assistants_password_and_the_assistant_chooses_a_new_one(
    running: Running, browser
) -> None:
    (SCREENSHOTS / "pwreset").mkdir(parents=True, exist_ok=True)
    assistant = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    first_sign_in(assistant, running, "hbw", "HB-CS1", "assistant-2026")
    assert assistant.locator(".top nav a", has_text="账号管理").count() == 0

    supervisor = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    first_sign_in(supervisor, running, "hbw", "HB-CSS", "supervisor-2026")
    supervisor.click(".top nav a:has-text('账号管理')")
    assert supervisor.url.endswith("/accounts")
    row = supervisor.locator("#staff-HB-CS1")
    assert "已设置密码" in row.inner_text()
    assert supervisor.locator("#staff-HB-M01 button").count() == 0  # the manager: the operator's
    assert supervisor.locator("#staff-HB-CSS button").count() == 0  # herself: 修改密码
    shoot(supervisor, "pwreset/01-accounts")
    no_overflow(supervisor)

    row.locator("button", has_text="重置密码").click()
    one_time = supervisor.inner_text("#one-time-password")
    assert "把临时密码当面或电话告知本人" in supervisor.inner_text("#issued")
    shoot(supervisor, "pwreset/02-one-time-password")
    no_overflow(supervisor)

    assistant.reload()  # her session ended with the reset
    assert "/login" in assistant.url
    assistant.select_option("select[name=site]", "hbw")
    assistant.fill("[name=staff_id]", "HB-CS1")
    assistant.fill("[name=password]", one_time)
    assistant.click("button[type=submit]")
    assert assistant.url.endswith("/password")
    shoot(assistant, "pwreset/03-password-after-reset")
    assistant.fill("[name=old]", one_time)
    assistant.fill("[name=new]", "assistant-2027")
    assistant.fill("[name=repeat]", "assistant-2027")
    assistant.click("button[type=submit]")
    assert not assistant.url.endswith("/password"), assistant.content()[:500]

    supervisor.goto(f"{running.console}/accounts")
    assert "已设置密码" in supervisor.inner_text("#staff-HB-CS1")
    assert "HB-CS1" in supervisor.inner_text("#resets") and one_time not in supervisor.content()
    shoot(supervisor, "pwreset/04-accounts-after")
    no_overflow(supervisor)
