"""The zone CS assistant's notices through the bus and the console (R1.3: the complaint
information goes to the assistant of the customer's zone; R6.3: at once to the zone CS
assistant). Escalation's notification to cs_assistant about a ticket names the ticket's zone;
`notice.list` gives a zone's notices and the site-wide ones (no zone: nobody's zone loses them);
the console's 通知 (我的岗位) shows a CS assistant with zones hers first, the whole site a click
away, and one with no zones every notice of her role, as before."""

from __future__ import annotations

import re

import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_of, csrf_of, heard, told
from tests.integration.drill import Drill, shanghai
from tests.integration.support import Desk, eventually, report_body
from tests.integration.test_zone_assistant import shown

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 11, 23, 9, 0)
SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "staff": {
        "HB-S01": {"role": "receptionist"},
        "HB-CS1": {"role": "cs_assistant"},  # no zones: the whole site
        "HB-CS2": {"role": "cs_assistant", "zones": ["A区", "B区"]},  # as deploy/sites.example
        "HB-M01": {"role": "project_manager"},
    }}}}
)  # fmt: skip
UNITS = {"3-201": "A区", "5-101": "C区"}
ROOMS = {"za": "3-201", "zc": "5-101", "zn": "9-901"}  # 9-901 is not on file: no zone


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


async def breached_repairs(desk: Desk) -> None:
    """A repair from a unit of A区, one of C区 and one not on file, none given a work order in
    time (R7.6): each breach tells cs_assistant."""
    for unit, zone in UNITS.items():
        body = {"staff_id": "HB-CS1", "unit_ref": unit, "room": unit[2:], "zone": zone}
        assert (await desk.command("hbw", "unit_register", body))["ok"]
    for ref, room in ROOMS.items():
        reporter = {"name": "王小明", "phone": "13800138000", "room": room}
        body = report_body(ref, staff_id="HB-S01", kind="repair", category="plumbing",
                           content="厨房水管漏水", reporter=reporter)  # fmt: skip
        assert (await desk.command("hbw", "report", body))["ok"]
    await Drill(desk).set_clock(shanghai(2026, 11, 24, 9, 0))
    assert await eventually(lambda: _all_three(desk))


async def zones_told(desk: Desk, **query: object) -> list[str]:
    reply = await desk.query("hbw", "notice.list", {"role": "cs_assistant", **query})
    assert reply["ok"], reply
    return sorted(n.get("zone") or "-" for n in reply["notices"])


async def _all_three(desk: Desk) -> bool:
    return len(await zones_told(desk)) == 3


async def test_notice_list_gives_a_zones_notices_and_the_site_wide_ones_R1_3_R6_3(
    desk: Desk, drill_services
) -> None:
    await drill_services("intake", "reporting", "escalation")
    await breached_repairs(desk)
    assert await zones_told(desk) == ["-", "A区", "C区"]  # each breach names its ticket's zone
    assert await zones_told(desk, zones=["a区", "B区"]) == ["-", "A区"]  # without case
    assert await zones_told(desk, zones=["B区"]) == ["-"]  # the site-wide one is everyone's
    told = (await desk.query("hbw", "notice.list", {"zones": ["A区"]}))["notices"]
    assert {(n["reason"], n["clock"]) for n in told} == {
        ("clock_breached", "order_issued_household")
    }
    refused = await desk.query("hbw", "notice.list", {"zones": [""]})
    assert refused["ok"] is False and refused["error"]["code"] == "invalid"


def notice_rows(html: str) -> list[str]:
    """Each row's zone as the 岗位 column says it (（A区）), or - for none."""
    table = html.split('id="notices"', 1)
    if len(table) == 1:
        return []
    cells = re.findall(r"<td>辖区客服助理(?:（([^）]*)）)?</td>", table[1].split("</table>")[0])
    return sorted(zone or "-" for zone in cells)


async def test_the_console_shows_a_zone_cs_assistant_her_zones_notices_R1_3_R6_3(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services("intake", "reporting", "escalation")
    await breached_repairs(desk)
    free_port = settings.model_copy(update={"console_port": 0})
    async with console_of(free_port, sim_clock, SITES, nats_server.url, "HB-CS2",
                          "HB-CS1") as (zoned, whole):  # fmt: skip
        # 通知 (我的岗位): her zones' and the site-wide ones, said on the page
        mine = await zoned.get("/notices")
        assert mine.status_code == 200
        assert notice_rows(mine.text) == ["-", "A区"]
        assert shown(mine.text) == "我的辖区：A区、B区"
        assert 'href="/notices?area=site"' in mine.text
        site = await zoned.get("/notices?area=site")
        assert (
            notice_rows(site.text) == ["-", "A区", "C区"] and shown(site.text) == "全部（本项目）"
        )

        # any CS assistant may still acknowledge another zone's notice (R6.3: not narrowed)
        other = re.search(r'<tr id="notice-([^"]+)"[^>]*>(?:(?!</tr>).)*（C区）', site.text, re.S)
        assert other, site.text[:500]
        acked = await zoned.post(
            f"/notices/{other.group(1)}/ack", data={"csrf": csrf_of(site.text)}
        )
        assert acked.status_code == 200  # back to her zones' notices, where it is not
        after = (await zoned.get("/notices?area=site")).text
        assert re.search(rf'id="notice-{other.group(1)}"(?:(?!</tr>).)*HB-CS2 于', after, re.S)

        # a CS assistant with no zones: every notice of her role, as before, no choice offered
        theirs = await whole.get("/notices")
        assert notice_rows(theirs.text) == ["-", "A区", "C区"]
        assert 'id="area-tabs"' not in theirs.text


def unacknowledged_rows(html: str) -> int:
    """The rows of 通知 nobody has acknowledged (drawn class="late")."""
    table = html.split('id="notices"', 1)
    return table[1].split("</table>")[0].count('class="late"') if len(table) > 1 else 0


def unacknowledged_tile(html: str) -> tuple[int, str]:
    """今日概况's 未确认通知: its count, and what it says it counts."""
    found = re.search(r'id="unacknowledged">(\d+)<.*?id="unacknowledged-of">([^<]*)<', html, re.S)
    assert found, html[:500]
    return int(found.group(1)), found.group(2)


async def test_the_dashboard_counts_the_unacknowledged_notices_her_notices_page_lists_R1_3_R6_3(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services("intake", "reporting", "escalation")
    await breached_repairs(desk)  # three to cs_assistant: A区's, C区's and one to no zone
    opened = await desk.command("hbw", "incident_open", {
        "client_ref": "pc-1", "kind": "power_cut", "place": "3号楼", "measure": "已联系电力公司",
        "occurred_at": CLOCK_STARTS.isoformat(), "staff_id": "HB-S01",
    })  # fmt: skip
    assert opened["ok"], opened  # and two to other roles: the duty manager, security (R16.5)
    assert await eventually(lambda: _listed(desk, 5))
    free_port = settings.model_copy(update={"console_port": 0})
    async with console_of(free_port, sim_clock, SITES, nats_server.url, "HB-CS2",
                          "HB-CS1", "HB-M01") as (zoned, whole, manager):  # fmt: skip
        # 我的辖区: her zones' and the site-wide ones, as 通知 lists them; 全部: her role's
        for area, count in (("mine", 2), ("site", 3)):
            day = (await zoned.get(f"/dashboard?area={area}")).text
            listed = (await zoned.get(f"/notices?area={area}")).text
            assert unacknowledged_tile(day)[0] == unacknowledged_rows(listed) == count
            assert f'href="/notices?area={area}"' in day  # the tile opens what it counts
        assert unacknowledged_tile(day)[1] == "发给我的岗位（辖区客服助理）"
        mine = (await zoned.get("/dashboard")).text
        assert unacknowledged_tile(mine)[1] == "发给我的岗位（辖区客服助理）：A区、B区和不分辖区"

        # one acknowledged: one fewer on her dashboard, as on her 通知
        listed = (await zoned.get("/notices")).text
        row = re.search(r'<tr id="notice-([^"]+)"[^>]*>(?:(?!</tr>).)*（A区）', listed, re.S)
        assert row, listed[:500]
        acked = await zoned.post(f"/notices/{row.group(1)}/ack", data={"csrf": csrf_of(listed)})
        assert unacknowledged_rows(acked.text) == 1
        assert unacknowledged_tile((await zoned.get("/dashboard")).text)[0] == 1

        # a CS assistant with no zones: every notice of her role, as 通知 lists them
        theirs = (await whole.get("/dashboard")).text
        assert unacknowledged_tile(theirs)[0] == unacknowledged_rows(
            (await whole.get("/notices")).text
        ) == 2  # fmt: skip
        # the duty manager: his role's, the incident's alert — not the CS assistants'
        his = (await manager.get("/dashboard")).text
        assert unacknowledged_tile(his) == (1, "发给我的岗位（项目经理）")
        assert unacknowledged_rows((await manager.get("/notices")).text) == 1


async def _listed(desk: Desk, count: int) -> bool:
    return len((await desk.query("hbw", "notice.list", {}))["notices"]) == count


async def test_a_withdrawn_complaint_s_notice_is_shown_ended_and_not_counted_R6_3(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    """Two complaints from her zone, each told to her at once (新投诉待处理, R6.3); one withdrawn
    by its customer: her page hears the change and raises no 新通知 banner (the end is no new
    notice); her 通知 says 已结束（工单已撤销） on its row, not drawn as waiting, its 确认 still
    there; 今日概况's 未确认通知 counts the other only. Her late 签收 is still taken."""
    await drill_services("intake", "reporting", "escalation")
    body = {"staff_id": "HB-CS1", "unit_ref": "3-201", "room": "201", "zone": "A区"}
    assert (await desk.command("hbw", "unit_register", body))["ok"]
    tickets = {}
    for ref in ("gone", "open"):
        reply = await desk.command("hbw", "report", report_body(ref, staff_id="HB-S01"))
        assert reply["ok"], reply
        tickets[ref] = reply["ticket_id"]
    assert await eventually(lambda: _listed(desk, 2))
    free_port = settings.model_copy(update={"console_port": 0})
    async with console_of(free_port, sim_clock, SITES, nats_server.url, "HB-CS2") as (zoned,):
        listed = (await zoned.get("/notices")).text
        assert unacknowledged_rows(listed) == 2 and "已结束" not in listed
        assert unacknowledged_tile((await zoned.get("/dashboard")).text)[0] == 2

        cancel = {"ticket_id": tickets["gone"], "staff_id": "HB-M01", "reason": "withdrawn"}
        async with heard(zoned) as live:
            assert (await desk.command("hbw", "cancel", cancel))["ok"]  # the PM's: on the ladder
            assert await eventually(lambda: _ended(desk))
            assert await eventually(lambda: _changed(live))  # her page heard it, and reloads
        assert told(live) == []  # the end is no new notice: no banner
        listed = (await zoned.get("/notices")).text
        gone = ended_row(listed)
        assert "已结束（工单已撤销）" in gone and "<button>确认</button>" in gone
        assert unacknowledged_rows(listed) == 1  # the open complaint's only
        assert unacknowledged_tile((await zoned.get("/dashboard")).text)[0] == 1

        notification = re.search(r'id="notice-([^"]+)"', gone)
        assert notification
        acked = await zoned.post(
            f"/notices/{notification.group(1)}/ack", data={"csrf": csrf_of(listed)}
        )
        assert acked.status_code == 200  # her 签收, late: still taken
        assert "HB-CS2 于" in ended_row(acked.text) and unacknowledged_rows(acked.text) == 1


def ended_row(html: str) -> str:
    """The one row of 通知 drawn as ended."""
    [row] = re.findall(r'<tr id="notice-[^"]+" class="ended">.*?</tr>', html, re.S)
    return row


async def _changed(live: list[tuple[str, dict]]) -> bool:
    return any(kind == "changed" for kind, _ in live)


async def _ended(desk: Desk) -> bool:
    listed = (await desk.query("hbw", "notice.list", {}))["notices"]
    return any(n.get("ended") for n in listed)
