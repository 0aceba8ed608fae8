"""关怀名单 in a real browser against `propdesk up` (R11.10; docs/RESIDENTS.md, docs/CONSOLE.md):
a month on, the CS assistant opens the care roll from 住户档案, reads who is late and who is due
next — in the site's time, the late rows red — and follows a late one to her card, where the
visit is recorded. On a phone the roll's rows are cards, nothing wider than the screen. Pages
are photographed at 1366×768 and 390×844 (var/screenshots/)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.console_support import (
    PHONE,
    Running,
    chromium,
    first_sign_in,
    no_overflow,
    running_up,
    shoot,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

UNITS = (("3-1201", "3栋", "1201", "A区"), ("5-0302", "5栋", "0302", "B区"))
RESIDENTS = (  # ref, name, why, unit, care note; flagged on day 0, 0 and 5 of the month
    ("HBW-0001", "张阿婆", "elderly_alone", "3-1201", "行动不便，女儿每周六来"),
    ("HBW-0002", "赵伯", "disabled", "5-0302", None),
    ("HBW-0003", "李奶奶", "other", None,
     "术后在家休养，独自一人，需要提醒按时服药并检查家中燃气是否关闭，紧急联系人为住在外地的儿子"),
)  # fmt: skip


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    yield from running_up(tmp_path_factory, "console-care-roll")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from chromium()


def at(running: Running, when: str) -> None:
    assert running.ask("desk.sim.clock.set", {"now": when})["ok"]


def test_the_cs_assistant_reads_the_care_roll_and_opens_a_late_residents_card_R11_10(
    running: Running, browser
) -> None:
    for ref, building, room, zone in UNITS:
        unit = {"staff_id": "HB-CS1", "unit_ref": ref, "building": building, "room": room,
                "zone": zone}  # fmt: skip
        assert running.ask("desk.cmd.hbw.intake.unit_register", unit)["ok"]
    for ref, name, why, unit, note in RESIDENTS:
        if ref == "HBW-0003":
            at(running, "2026-11-28T09:00+08:00")
        body = {"staff_id": "HB-CS1", "resident_ref": ref, "kind": "owner", "name": name,
                "phones": [f"1391111{ref[-4:]}"], "special_care": why, "unit_ref": unit,
                "care_note": note}  # fmt: skip
        assert running.ask("desk.cmd.hbw.intake.resident_register", body)["ok"]
    at(running, "2026-12-03T15:00+08:00")  # 赵伯 visited ten days in
    visit = {"staff_id": "HB-CS1", "resident_ref": "HBW-0002", "note": "送米送油"}
    assert running.ask("desk.cmd.hbw.intake.resident_visit", visit)["ok"]
    at(running, "2026-12-24T09:30+08:00")  # a month on: 张阿婆 late since 09:00 yesterday

    page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
    first_sign_in(page, running, "hbw", "HB-CS1", "care-roll-2026")
    page.goto(f"{running.console}/residents")
    page.click("#care-roll-tab")
    page.wait_for_url("**/residents/care")  # loaded: query_selector_all does not wait
    rows = page.query_selector_all("#care-roll tbody tr")
    assert [r.get_attribute("id") for r in rows] == ["roll-HBW-0001", "roll-HBW-0003",
                                                     "roll-HBW-0002"]  # fmt: skip
    assert [r.get_attribute("class") for r in rows] == ["late", None, None]
    late = rows[0].inner_text()
    assert "2026-12-23 09:00" in late and "已超时 1天30分" in late and "3-1201 · A区" in late
    assert "剩余 3天23小时30分" in rows[1].inner_text() and "（未入住）" in rows[1].inner_text()
    assert "2026-12-03 15:00" in rows[2].inner_text()  # her latest visit
    assert "其中 1 人已超时" in page.inner_text("#care-summary")
    shoot(page, "38-care-roll")

    # on a phone: each row a card, its cells labelled with their column
    page.set_viewport_size(PHONE)
    labelled = page.query_selector("#roll-HBW-0003 td:nth-child(4)")
    assert labelled.get_attribute("data-label") == "关怀"
    box = labelled.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    no_overflow(page)

    # the late one's card, from her name: the visit is recorded there
    page.click("#roll-HBW-0001 a")
    assert "ref=HBW-0001" in page.url
    assert "关怀说明：行动不便，女儿每周六来" in page.inner_text("#resident-HBW-0001")
    assert "2026-12-23 09:00" in page.inner_text("#next-visit-HBW-0001")
    shoot(page, "39-care-roll-card")
    page.fill("#care-HBW-0001 [name=note]", "上门探访，身体尚好")
    page.click("#care-HBW-0001 button[type=submit]")
    assert "已登记 HBW-0001 的关怀走访" in page.inner_text("#message")
    page.click("#care-roll-tab")
    page.wait_for_url("**/residents/care")
    rows = page.query_selector_all("#care-roll tbody tr")
    assert [r.get_attribute("id") for r in rows][-1] == "roll-HBW-0001"
    assert page.query_selector("#care-roll tr.late") is None
    shoot(page, "40-care-roll-visited")
