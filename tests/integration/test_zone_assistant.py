"""The zone CS assistant (辖区客服助理) through the bus and the console: each zone has its CS
assistant, who holds the valid complaints of her zone (R1.3, R6.3). A ticket takes its zone from
the reporter's unit on file (R16.4); `ticket.list` filters by zones; the console shows a CS
assistant with zones her zones' tickets, day and care roll first, the whole site a click away,
and one with no zones the whole site as before (docs/CONSOLE.md "Her zones")."""

from __future__ import annotations

import re

import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_of
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "staff": {
        "HB-S01": {"role": "receptionist"},
        "HB-CS1": {"role": "cs_assistant"},  # no zones: the whole site
        "HB-CS2": {"role": "cs_assistant", "zones": ["a区"]},  # as the file names it, any case
    }}}}
)  # fmt: skip
ROOMS = {"za": "3-201", "zb": "8-801", "zn": "9-901"}  # 9-901 is not on file


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


async def file_and_report(desk: Desk) -> None:
    """Two units on file, in zones A区 and B区, a special-care resident in each, and a complaint
    from each unit and from one not on file."""
    for unit, zone in (("3-201", "A区"), ("8-801", "B区")):
        body = {"staff_id": "HB-CS1", "unit_ref": unit, "room": unit[2:], "zone": zone}
        assert (await desk.command("hbw", "unit_register", body))["ok"]
    for ref, unit in (("HBW-0001", "3-201"), ("HBW-0002", "8-801")):
        body = {"staff_id": "HB-CS1", "resident_ref": ref, "kind": "owner", "name": "独居老人",
                "phones": [f"1391111{ref[-4:]}"], "special_care": "elderly_alone",
                "unit_ref": unit}  # fmt: skip
        assert (await desk.command("hbw", "resident_register", body))["ok"]
    for ref, room in ROOMS.items():
        reporter = {"name": "王小明", "phone": "13800138000", "room": room}
        body = report_body(ref, staff_id="HB-S01", reporter=reporter)
        assert (await desk.command("hbw", "report", body))["ok"]


async def listed(desk: Desk, **query: object) -> list[str]:
    reply = await desk.query("hbw", "ticket.list", query)
    assert reply["ok"], reply
    return sorted(t["client_ref"] for t in reply["tickets"])


async def test_ticket_list_gives_a_zones_tickets_by_the_unit_file_R1_3_R6_3(
    desk: Desk, drill_services
) -> None:
    await drill_services("intake", "reporting")
    await file_and_report(desk)
    assert await eventually(lambda: _all_three(desk))
    assert await listed(desk, zones=["A区"]) == ["za"]
    assert await listed(desk, zones=[" b区", "A区"]) == ["za", "zb"]  # without case
    assert await listed(desk, zones=["C区"]) == []
    got = (await desk.query("hbw", "ticket.get", {"ticket_no": await _no(desk, "za")}))["ticket"]
    assert got["zone"] == "A区" and got["unit"] == "3-201"
    history = got["history"][0]  # the published report carries the zone (schema 2)
    assert history["event_type"] == "ticket.reported" and history["data"]["zone"] == "A区"
    refused = await desk.query("hbw", "ticket.list", {"zones": [""]})
    assert refused["ok"] is False and refused["error"]["code"] == "invalid"


async def _all_three(desk: Desk) -> bool:
    return await listed(desk) == ["za", "zb", "zn"]


async def _no(desk: Desk, ref: str) -> str:
    reply = await desk.query("hbw", "ticket.list", {})
    return next(t["ticket_no"] for t in reply["tickets"] if t["client_ref"] == ref)


def ticket_rows(html: str) -> int:
    table = html.split('id="tickets"', 1)
    return table[1].split("</table>")[0].count("<tr") - 1 if len(table) > 1 else 0


def shown(html: str) -> str:
    found = re.search(r'id="area-shown">([^<]*)<', html)
    assert found, html[:500]
    return found.group(1)


async def test_the_console_shows_a_zone_cs_assistant_her_zones_first_R1_3_R6_3(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services("intake", "reporting")
    await file_and_report(desk)
    assert await eventually(lambda: _all_three(desk))
    free_port = settings.model_copy(update={"console_port": 0})
    async with console_of(free_port, sim_clock, SITES, nats_server.url, "HB-CS2",
                          "HB-CS1") as (zoned, whole):  # fmt: skip
        # 工单列表: her zone's complaint only, said on the page, the whole site one click away
        mine = await zoned.get("/tickets")
        assert mine.status_code == 200
        assert ticket_rows(mine.text) == 1 and "3-201" in mine.text and "8-801" not in mine.text
        assert shown(mine.text) == "我的辖区：a区"
        assert 'href="/tickets?view=open&amp;area=site"' in mine.text
        site = await zoned.get("/tickets?view=open&area=site")
        assert ticket_rows(site.text) == 3 and shown(site.text) == "全部（本项目）"
        assert 'href="/tickets?view=overdue&amp;area=site"' in site.text  # the choice is kept

        # 今日概况: her zone's open cases; the whole site's on asking
        day = await zoned.get("/dashboard")
        assert _tile(day.text, "open") == 1 and _tile(day.text, "new") == 1
        assert shown(day.text) == "我的辖区：a区" and 'id="area-note"' in day.text
        assert _tile((await zoned.get("/dashboard?area=site")).text, "open") == 3

        # 关怀名单: her zone's special-care residents first (R11.10)
        roll = await zoned.get("/residents/care")
        assert _roll(roll.text) == ["HBW-0001"] and shown(roll.text) == "我的辖区：a区"
        assert _roll((await zoned.get("/residents/care?area=site")).text) == [
            "HBW-0001", "HBW-0002",
        ]  # fmt: skip

        # a CS assistant with no zones: the whole site, as before, and no choice offered
        theirs = await whole.get("/tickets")
        assert ticket_rows(theirs.text) == 3 and shown(theirs.text) == "全部（本项目）"
        assert 'id="area-tabs"' not in theirs.text
        assert _roll((await whole.get("/residents/care")).text) == ["HBW-0001", "HBW-0002"]
        assert _tile((await whole.get("/dashboard")).text, "open") == 3


def _tile(html: str, name: str) -> int:
    found = re.search(rf'id="{name}">(\d+)<', html)
    assert found, html[:500]
    return int(found.group(1))


def _roll(html: str) -> list[str]:
    return re.findall(r'<tr id="roll-([^"]+)"', html)


async def test_what_she_owns_is_under_mine_whatever_its_zone_R10_1_R1_3(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    """A zone CS assistant who logs a call from another zone owns it (首问负责制, R10.1): 我负责的
    lists it though her zones are chosen, and says it is every zone's; the other tabs keep her
    zones."""
    await drill_services("intake", "reporting")
    await file_and_report(desk)
    reporter = {"name": "王小明", "phone": "13800138000", "room": "8-801"}  # B区
    body = report_body("zb-hers", staff_id="HB-CS2", reporter=reporter)
    assert (await desk.command("hbw", "report", body))["ok"]
    assert await eventually(lambda: _listed_four(desk))
    free_port = settings.model_copy(update={"console_port": 0})
    async with console_of(free_port, sim_clock, SITES, nats_server.url, "HB-CS2") as (zoned,):
        hers = await zoned.get("/tickets?view=mine")
        assert hers.status_code == 200
        assert ticket_rows(hers.text) == 1 and "8-801" in hers.text
        assert 'id="area-tabs"' not in hers.text and 'id="mine-note"' in hers.text
        assert 'href="/tickets?view=open&amp;area=mine"' in hers.text  # her zones on the others
        assert ticket_rows((await zoned.get("/tickets?view=open")).text) == 1  # za only


async def _listed_four(desk: Desk) -> bool:
    return await listed(desk) == ["za", "zb", "zb-hers", "zn"]
