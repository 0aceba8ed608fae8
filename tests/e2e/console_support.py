"""The console's end-to-end tests: `propdesk up` on a simulated clock with the console on a free
port (one per test module), a signed-in HTTP client, and Debian's Chromium through Playwright.

Without /usr/bin/chromium the browser tests FAIL: CI installs it (.ci/run). Only a developer who
sets PROPDESK_ALLOW_NO_BROWSER=1 gets a skip instead."""

from __future__ import annotations

import asyncio
import os
import re
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
