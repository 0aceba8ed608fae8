"""The zone CS assistant in a real browser against `propdesk up` (R1.3, R6.3; docs/CONSOLE.md):
HB-CS2 (A区 and B区, as on deploy/sites.example.json; added to `up`'s default sites here) and
HB-CS1 (no zones) are both signed in. A complaint from C区 raises HB-CS1's live banner and not
hers; one from A区 raises hers, in words. Her 今日概况 counts the unacknowledged notices her 通知
lists — her zones' and the site-wide ones under 我的辖区, her role's across the site under 全部 —
and says so; the tile opens that list. The dashboard is photographed at 1366×768 and 390×844
(var/screenshots/)."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from typing import Any

import pytest

from propdesk.demo.sites import SITES
from shared.kernel.sites import SiteDirectory
from tests.e2e.console_support import (
    DESKTOP,
    Running,
    chromium,
    first_sign_in,
    no_overflow,
    shoot,
    start_up,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

UNITS = {"3-201": "A区", "5-101": "C区"}


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """`propdesk up` on its default sites, with a zone CS assistant on hbw's staff list."""
    data_dir = tmp_path_factory.mktemp("console-zones") / "var"
    data_dir.mkdir()
    sites = copy.deepcopy(SITES)
    sites["sites"]["hbw"]["staff"]["HB-CS2"] = {"role": "cs_assistant", "zones": ["A区", "B区"]}
    SiteDirectory.model_validate(sites).save(data_dir / "sites.json")
    up = start_up(data_dir)
    yield up
    up.process.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from chromium()


def complaint_from(running: Running, ref: str, room: str) -> str:
    body = {"client_ref": ref, "channel": "phone", "kind": "complaint", "category": "noise",
            "staff_id": "HB-S01", "content": "楼上装修噪音太大",
            "reporter": {"name": "王小明", "phone": "13800138000", "room": room}}  # fmt: skip
    reply = running.ask("desk.cmd.hbw.intake.report", body)
    assert reply["ok"], reply
    return reply["ticket_no"]


def listening(browser: Any, running: Running, staff: str) -> Any:
    """`staff` signed in, on a page that listens to /live and does not reload itself (受理登记):
    a banner is raised in place, not lost in a reload."""
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    first_sign_in(page, running, "hbw", staff, f"zones-{staff}-2026")
    with page.expect_response(lambda r: r.url.endswith("/live")):
        page.goto(f"{running.console}/desk")
    return page


def tile(page: Any, running: Running, url: str, expected: str, timeout: float = 15) -> None:
    """The views are eventually consistent: load `url` until 未确认通知 says `expected`."""
    deadline = time.monotonic() + timeout
    while True:
        page.goto(url)
        page.wait_for_load_state()
        if page.inner_text("#unacknowledged") == expected or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert page.inner_text("#unacknowledged") == expected


def test_her_banner_and_her_dashboard_are_her_zones_R1_3_R6_3(running: Running, browser) -> None:
    for unit, zone in UNITS.items():
        body = {"staff_id": "HB-CS1", "unit_ref": unit, "room": unit[2:], "zone": zone}
        assert running.ask("desk.cmd.hbw.intake.unit_register", body)["ok"]
    hers = listening(browser, running, "HB-CS2")
    theirs = listening(browser, running, "HB-CS1")
    hers.wait_for_timeout(1_000)  # both feeds subscribed (the response comes first)

    # C区's complaint: the assistant with no zones is told, as before; 黄丽 is not
    cc = complaint_from(running, "zone-c", "5-101")
    theirs.wait_for_selector("#live-banner:not([hidden])", timeout=15_000)
    assert f"{cc} · 新投诉待处理" in theirs.inner_text("#live-banner")
    hers.wait_for_timeout(2_000)  # her feed heard the same notice, a burst is one message
    assert hers.locator("#live-banner").is_hidden()

    # A区's complaint: hers, said in words
    ca = complaint_from(running, "zone-a", "3-201")
    hers.wait_for_selector("#live-banner:not([hidden])", timeout=15_000)
    assert f"{ca} · 新投诉待处理" in hers.inner_text("#live-banner")

    # 今日概况: her zones' and the site-wide ones unacknowledged, as her 通知 lists them
    tile(hers, running, f"{running.console}/dashboard", "1")
    assert hers.inner_text("#area-shown") == "我的辖区：A区、B区"
    said = "发给我的岗位（辖区客服助理）：A区、B区和不分辖区"
    assert hers.inner_text("#unacknowledged-of") == said
    shoot(hers, "zones-01-dashboard")
    no_overflow(hers)
    hers.click("#unacknowledged")  # the tile opens what it counts
    hers.wait_for_url("**/notices?area=mine")  # loaded: query_selector does not wait
    rows = hers.query_selector_all("#notices tbody tr.late")
    assert [ca in r.inner_text() for r in rows] == [True]

    # under 全部: her role's across the site, C区's too
    tile(hers, running, f"{running.console}/dashboard?area=site", "2")
    assert hers.inner_text("#unacknowledged-of") == "发给我的岗位（辖区客服助理）"
    shoot(hers, "zones-02-dashboard-site")
