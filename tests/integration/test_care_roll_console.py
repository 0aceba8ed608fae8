"""The console's care roll over HTTP (关怀名单, R11.10, R15.2; docs/CONSOLE.md, docs/RESIDENTS.md):
the CS assistant opens it from 住户档案, sees the special-care residents by when each is next
to be visited — in the site's time, the late marked — follows one to her card, records the
visit there, and the roll moves her down; a role that may not read the file is refused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_of, csrf_of
from tests.integration.drill import Drill
from tests.integration.support import START, Desk

pytestmark = pytest.mark.integration

SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "staff": {
        "HB-CS1": {"role": "cs_assistant"},
        "HB-SV1": {"role": "cs_supervisor"},  # not a keeper of the resident file (R15.2)
    }}}}
)  # fmt: skip


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


def rows(html: str) -> list[str]:
    """The roll's rows, in order: each resident's ref."""
    return re.findall(r'<tr id="roll-([^"]+)"', html)


def row(html: str, ref: str) -> str:
    start = html.index(f'<tr id="roll-{ref}"')
    return html[start : html.index("</tr>", start)]


async def test_the_cs_assistant_finds_who_is_due_on_the_care_roll_and_records_the_visit_R11_10(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services("intake", "escalation")
    drill = Drill(desk)
    room = {"staff_id": "HB-CS1", "unit_ref": "3-1201", "room": "1201", "zone": "A区"}
    assert (await desk.command("hbw", "unit_register", room))["ok"]
    for ref, name, care, days in (("HBW-0001", "张阿婆", "elderly_alone", 0),
                                  ("HBW-0002", "张先生", None, 0),
                                  ("HBW-0003", "赵伯", "disabled", 2)):  # fmt: skip
        await drill.set_clock(START + timedelta(days=days))
        body = {"staff_id": "HB-CS1", "resident_ref": ref, "kind": "owner", "name": name,
                "phones": [f"1391111{ref[-4:]}"], "special_care": care,
                "care_note": "独居，耳背" if care == "elderly_alone" else None,
                "unit_ref": "3-1201" if ref != "HBW-0003" else None}  # fmt: skip
        assert (await desk.command("hbw", "resident_register", body))["ok"]
    # 31 days on: 张阿婆's visit (due 30 days after her flag) is a day late, 赵伯's due tomorrow
    await drill.set_clock(START + timedelta(days=31))
    free_port = settings.model_copy(update={"console_port": 0})
    async with console_of(free_port, sim_clock, SITES, nats_server.url, "HB-CS1",
                          "HB-SV1") as (assistant, supervisor):  # fmt: skip
        home = await assistant.get("/residents")
        assert '<a href="/residents/care" id="care-roll-tab">关怀名单</a>' in home.text

        page = await assistant.get("/residents/care")
        assert page.status_code == 200
        assert rows(page.text) == ["HBW-0001", "HBW-0003"]  # her son needs no visits
        assert '共 2 人，<strong class="late-text">其中 1 人已超时</strong>' in page.text
        late = row(page.text, "HBW-0001")
        assert 'class="late"' in late and "已超时 1天" in late
        assert "2026-12-23 10:00 (UTC+08:00)" in late  # in the site's time
        assert "独居老人：独居，耳背" in late and "3-1201 · A区" in late and "尚未登记走访" in late
        card = "/residents?ref=HBW-0001#care-HBW-0001"
        assert f'<a href="{card}">张阿婆</a>' in late
        soon = row(page.text, "HBW-0003")
        assert "2026-12-25 10:00 (UTC+08:00)" in soon and "剩余 1天" in soon
        assert "（未入住）" in soon  # in no unit on file: her card is found by her file number

        only_late = await assistant.get("/residents/care?view=late")
        assert rows(only_late.text) == ["HBW-0001"]
        week = await assistant.get("/residents/care?view=week")
        assert rows(week.text) == ["HBW-0001", "HBW-0003"]

        # her card, from the roll: the visit recorded there, back on her card
        found = await assistant.get(card.split("#")[0])
        assert 'id="care-HBW-0001"' in found.text and "关怀说明：独居，耳背" in found.text
        assert 'action="/residents/visits?ref=HBW-0001"' in found.text
        visit = {"csrf": csrf_of(found.text), "resident_ref": "HBW-0001", "visited_at": "",
                 "note": "上门探访，身体好"}  # fmt: skip
        saved = await assistant.post("/residents/visits?ref=HBW-0001", data=visit)
        assert saved.status_code == 200 and "已登记 HBW-0001 的关怀走访" in saved.text
        assert saved.url.params["ref"] == "HBW-0001"
        after = await assistant.get("/residents/care")
        assert rows(after.text) == ["HBW-0003", "HBW-0001"] and 'class="late"' not in after.text
        assert "上门探访" not in after.text  # how it went stays on her card
        assert "HB-CS1" in row(after.text, "HBW-0001")  # who made the latest visit
        assert (await assistant.get("/residents/care?view=late")).text.count("<tr id=") == 0

        # the CS supervisor does not keep the file (R15.2): not in her menu, the console
        # refuses the page without asking intake
        refused = await supervisor.get("/residents/care")
        assert refused.status_code == 403 and 'role="alert"' in refused.text
        assert "此页面不属于客服助理部主管的工作" in refused.text and rows(refused.text) == []

    # each page was a look, in intake's caller log (R15.2)
    log = await desk.request(
        "desk.ops.intake.resident_lookups", {"site": "hbw", "month": "2026-12"}
    )
    seen = [(x["by"], x["staff_id"], bool(x["refused"])) for x in log["looks"]]
    roll, card = ("care_roll", "HB-CS1", False), ("ref", "HB-CS1", False)
    # three views of the roll, her card before and after the visit, the roll twice
    assert seen == [roll, roll, roll, card, card, roll, roll]
