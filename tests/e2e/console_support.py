"""The console's end-to-end tests: `propdesk up` on a simulated clock with the console on a free
port (one per test module), a signed-in HTTP client, and Debian's Chromium through Playwright.

Without /usr/bin/chromium the browser tests FAIL: CI installs it (.ci/run). Only a developer who
sets PROPDESK_ALLOW_NO_BROWSER=1 gets a skip instead."""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.kernel.settings import Settings
from shared.messaging.client import Bus
from shared.messaging.natsd import free_port
from tests.e2e.conftest import Process

CHROMIUM = Path("/usr/bin/chromium")
FIRST_RUN = "propdesk-first"  # README: the first-run password
SCREENSHOTS = Path(__file__).parents[2] / "var" / "screenshots"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
START = "2026-11-23T09:00+08:00"  # a Monday


@dataclass
class Running:
    process: Process
    nats_url: str
    console: str
    data_dir: Path

    def ask(self, subject: str, body: dict[str, Any]) -> dict[str, Any]:
        async def go() -> dict[str, Any]:
            async with Bus(self.nats_url, Settings(data_dir=self.data_dir)) as bus:
                return await bus.request(subject, body)

        # a thread of its own: Playwright's sync API keeps an event loop in the test's thread
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, go()).result()

    def tickets(self, site: str = "hbw") -> list[dict[str, Any]]:
        return self.ask(f"desk.qry.{site}.ticket.list", {"limit": 200})["tickets"]


def start_up(data_dir: Path) -> Running:
    port = free_port()
    process = Process(
        "up", "--data-dir", str(data_dir), "--nats-port", str(port), "--console-port", "0",
        "--clock", "simulated", "--start", START,
    )  # fmt: skip
    process.wait_ready(60)
    line = next(line for line in process.lines if line.startswith("propdesk console: "))
    return Running(process, f"nats://127.0.0.1:{port}", line.split(": ", 1)[1].strip(), data_dir)


def running_up(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Running]:
    """A test module's `running` fixture: `propdesk up` with its console, stopped after."""
    up = start_up(tmp_path_factory.mktemp(name) / "var")
    yield up
    up.process.stop()


def chromium() -> Iterator[Any]:
    """A test module's `browser` fixture: headless Chromium (or the failure that says why not)."""
    browser_or_fail()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def shoot(page: Any, name: str) -> None:
    """The page as it is, at the desktop size and at a phone's."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def no_overflow(page: Any) -> None:
    """Nothing wider than the phone's screen, outside the tables' own scroll boxes."""
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    cut = page.evaluate(CUT_OFF)
    page.set_viewport_size(DESKTOP)
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a phone"
    assert not cut, f"{page.url}: past the phone's edge in a stacked table: {cut}"


# a stacked table (static/stack.js) has no scroll box to reach what is past the screen's edge
CUT_OFF = """() => [...document.querySelectorAll(
    'table.stacked button, table.stacked select, table.stacked input:not([type=hidden])')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.outerHTML.slice(0, 80))"""


def first_sign_in(page: Any, running: Running, site: str, staff: str, password: str) -> None:
    """The first sign-in in the browser: the first-run password, then the person's own."""
    page.goto(f"{running.console}/login")
    page.select_option("select[name=site]", site)
    page.fill("[name=staff_id]", staff)
    page.fill("[name=password]", FIRST_RUN)
    page.click("button[type=submit]")
    page.fill("[name=old]", FIRST_RUN)
    page.fill("[name=new]", password)
    page.fill("[name=repeat]", password)
    page.click("button[type=submit]")
    assert not page.url.endswith("/password"), page.content()[:500]


def until_listed(page: Any, running: Running, url: str, text: str, timeout: float = 15) -> None:
    """The views are eventually consistent: reload until `text` shows."""
    deadline = time.monotonic() + timeout
    while True:
        page.goto(url)
        if text in page.content():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never shown at {url}")
        time.sleep(0.3)


def browser_or_fail() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("PROPDESK_ALLOW_NO_BROWSER") == "1":
        pytest.skip("no /usr/bin/chromium (PROPDESK_ALLOW_NO_BROWSER=1)")
    pytest.fail("no /usr/bin/chromium: apt-get install chromium fonts-noto-cjk (.ci/run does)")


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--no-first-run"],
    )  # fmt: skip


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def signed_in(base: str, site: str, staff: str, password: str = "a-new-pass-1") -> httpx.Client:
    """An HTTP client signed in as `staff`, the first-run password changed to `password`;
    its `csrf` attribute holds the session's token."""
    client = httpx.Client(base_url=base, follow_redirects=True, timeout=10)
    page = client.get("/login")
    form = {"csrf": csrf_of(page.text), "site": site, "staff_id": staff}
    reply = client.post("/login", data=form | {"password": FIRST_RUN})
    if reply.url.path == "/login":  # already changed (a second client of the same person)
        reply = client.post("/login", data=form | {"csrf": csrf_of(reply.text)} | {
            "password": password})  # fmt: skip
    else:
        assert reply.url.path == "/password", reply.text[:300]
        changed = client.post(
            "/password",
            data={"csrf": csrf_of(reply.text), "old": FIRST_RUN, "new": password,
                  "repeat": password},
        )  # fmt: skip
        assert changed.url.path != "/password", changed.text[:500]
    client.csrf = csrf_of(client.get("/password").text)  # type: ignore[attr-defined]
    return client
