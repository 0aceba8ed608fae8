"""The resident and unit file through the bus (R16.2–R16.4, R11.10, R1.6; docs/RESIDENTS.md):
units and residents registered and corrected by commands, the desk recognising a caller by phone
with their unit, special-care flag and open tickets (each look recorded, R15.2), and a
special-care resident's ticket marked — names and phones never on DESK."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from propdesk.cli.verify import verify_view
from services.reporting.ops.registry import PROJECTIONS
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually, report_body

pytestmark = pytest.mark.integration

STAFF = {"S01": {"role": "receptionist"}, "T01": {"role": "technician"}}
SITES = {"strict": True, "sites": {"hbw": {"name": "华碧屋村", "staff": STAFF}}}
OWNER = {"name": "张阿婆", "phones": ["139 1111 2222", "0755-8888 6666"]}


@pytest.fixture
def drill_sites() -> SiteDirectory:  # the site's own count for a zone with no room on file
    return SiteDirectory.model_validate(
        {"sites": {"hbw": {"name": "Harbour View", "visits": {"occupied": {"C区": 50}}}}}
    )


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    SiteDirectory.model_validate(SITES)
    sites_file = tmp_path / "sites.json"
    sites_file.write_text(json.dumps(SITES, ensure_ascii=False), encoding="utf-8")
    return settings.model_copy(update={"sites_file": sites_file})


async def test_the_desk_recognises_a_special_care_caller_and_her_ticket_is_marked_R16_2_R11_10(
    desk: Desk, services
) -> None:
    # the unit and a public area are registered (R16.4)
    unit = {"staff_id": "S01", "unit_ref": "3-1201", "building": "3栋", "room": "1201",
            "zone": "A区"}  # fmt: skip
    assert (await desk.command("hbw", "unit_register", unit))["ok"]
    lobby = {"staff_id": "S01", "unit_ref": "3-lobby", "place_kind": "lobby", "building": "3栋"}
    assert (await desk.command("hbw", "unit_register", lobby))["ok"]

    # an elderly owner living alone, with two phones (R16.3) and a carer in her household
    body = {"staff_id": "S01", "resident_ref": "HBW-0001", "kind": "owner", **OWNER,
            "household": [{"name": "李护工", "relation": "carer"}],
            "special_care": "elderly_alone", "unit_ref": "3-1201"}  # fmt: skip
    registered = await desk.command("hbw", "resident_register", body)
    assert registered["ok"] and registered["special_care"] is True, registered
    assert registered["unit_refs"] == ["3-1201"] and registered["phones_short"] is False

    # she calls about a leak: the contact is reported from her phone
    caller = {"name": "张阿婆", "phone": "13911112222", "room": "3-1201"}
    report = report_body("rc-1", kind="repair", category="plumbing", content="厨房漏水",
                         reporter=caller)  # fmt: skip
    reported = await desk.command("hbw", "report", report)
    assert reported["ok"], reported

    # the desk recognises her by phone, however written, and sees her open ticket
    found = await desk.query(
        "hbw", "resident.lookup", {"staff_id": "S01", "phone": "+86 139-1111-2222"}
    )
    assert found["ok"], found
    (resident,) = found["residents"]
    assert resident["name"] == "张阿婆" and resident["special_care"] == "elderly_alone"
    assert [u["unit_ref"] for u in resident["units"]] == ["3-1201"]
    assert [t["ticket_no"] for t in resident["open_tickets"]] == [reported["ticket_no"]]
    by_unit = await desk.query("hbw", "resident.lookup", {"staff_id": "S01", "unit_ref": "3-1201"})
    assert [r["resident_ref"] for r in by_unit["residents"]] == ["HBW-0001"]

    # her ticket is marked special care where the desk reads it (ticket.get)
    async def marked(ticket_id: str = reported["ticket_id"]) -> dict | None:
        got = await desk.query("hbw", "ticket.get", {"ticket_id": ticket_id})
        return got["ticket"] if got["ok"] and got["ticket"].get("special_care") else None

    assert (await eventually(marked))["special_care_resident"] == resident["resident_id"]

    # her carer's call about the lift is linked with her own call: that ticket is marked too
    carer = report_body("rc-2", reporter={"name": "李护工", "phone": "13700007777"})
    other = await desk.command("hbw", "report", carer)
    her = {"name": "张阿婆", "phone": "13911112222"}
    link = {"staff_id": "S01", "ticket_id": other["ticket_id"], "channel": "phone",
            "content": "电梯又坏了", "reporter": her}  # fmt: skip
    assert (await desk.command("hbw", "link", link))["ok"]
    linked = await eventually(lambda: marked(other["ticket_id"]))
    assert linked["special_care_resident"] == resident["resident_id"]

    # a correction drops a phone: she is no longer found by it (R16.2)
    corrected = body | {"phones": ["0755 8888 6666"]}
    del corrected["unit_ref"]
    reply = await desk.command("hbw", "resident_correct", corrected)
    assert reply["ok"] and reply["phones_short"] is True  # fewer than two: flagged (R16.3)
    gone = await desk.query("hbw", "resident.lookup", {"staff_id": "S01", "phone": "13911112222"})
    assert gone["residents"] == []

    # a technician may not look (R15.2); a resident does not live in a lobby (R16.4)
    refused = await desk.query(
        "hbw", "resident.lookup", {"staff_id": "T01", "phone": "13911112222"}
    )
    assert refused["error"]["code"] == "forbidden"
    move = {"staff_id": "S01", "resident_ref": "HBW-0001", "unit_ref": "3-lobby", "move": "in"}
    wrong = await desk.command("hbw", "resident_move", move)
    assert wrong["error"]["code"] == "invalid" and "public area" in wrong["error"]["message"]

    # every look is in the caller log, the refused one too, and never the phone (R15.2, R15.3)
    filed = next(m for m in await desk.events() if m.subject.endswith("resident.registered"))
    at = datetime.fromisoformat(json.loads(filed.data)["recorded_at"])
    month = at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    log = await desk.request("desk.ops.intake.resident_lookups", {"site": "hbw", "month": month})
    seen = [(x["by"], x["staff_id"], len(x["found"])) for x in log["looks"]]
    assert seen == [
        ("phone", "S01", 1),
        ("unit", "S01", 1),
        ("phone", "S01", 0),
        ("phone", "T01", 0),
    ]
    assert log["looks"][-1]["refused"] and "13911112222" not in json.dumps(log)

    # on DESK: ids, units, kinds and the flag; no name, phone, household member or care reason
    ours = (".resident.", ".unit.", ".ticket.special_care")
    published = [m for m in await desk.events() if any(k in m.subject for k in ours)]
    types = [m.subject.split(".", 3)[3] for m in published]
    assert types == ["unit.registered", "unit.registered", "resident.registered",
                     "resident.moved_in", "ticket.special_care", "ticket.special_care",
                     "resident.corrected"]  # fmt: skip
    raw = " ".join(m.data.decode() for m in await desk.events())
    for secret in ("张阿婆", "李护工", "13911112222", "8888", "elderly_alone"):
        assert secret not in raw


async def test_a_special_care_resident_not_visited_in_time_is_a_reminder_to_the_cs_assistant_R11_10(
    desk: Desk, drill_services, nats_server
) -> None:
    """Flagged at registration, visited once on a Monday and the visit entered on Thursday: the
    next visit is due 30 days (the site's default) after the Monday — the desk's lookup says when,
    as escalation waits for it; when it passes, the CS assistant is told, once, and a correction
    to her file afterwards moves neither the due date nor the reminder; the quality pack counts
    the visit in November and her wait past due in December."""
    await drill_services()
    drill = Drill(desk)
    body = {"staff_id": "S01", "resident_ref": "HBW-0002", "kind": "tenant", "name": "赵伯",
            "phones": ["13922223333"], "special_care": "disabled"}  # fmt: skip
    registered = await desk.command("hbw", "resident_register", body)
    assert registered["ok"] and registered["phones_short"] is True  # one phone: allowed, flagged

    # Thursday 3 December the visit of Monday 30 November is entered; one "tomorrow" is refused
    now = START + timedelta(days=10)
    await drill.set_clock(now)
    visit = {"staff_id": "S01", "resident_ref": "HBW-0002", "note": "上门探访"}
    ahead = await desk.command("hbw", "resident_visit", visit | {
        "visited_at": (now + timedelta(days=1)).isoformat()})  # fmt: skip
    assert ahead["error"]["code"] == "invalid" and ahead["error"]["fields"][0]["field"] == (
        "visited_at"
    )
    made = now - timedelta(days=3)
    visit |= {"visited_at": made.isoformat()}
    assert (await desk.command("hbw", "resident_visit", visit))["ok"]
    [visited] = await eventually(lambda: drill.events("resident.care_visited"))
    assert visited["schema_version"] == 2 and "上门探访" not in json.dumps(visited)
    assert datetime.fromisoformat(visited["data"]["visited_at"]) == made
    due = made + timedelta(days=30)  # from when it was made, not when it was entered

    async def next_due() -> datetime:
        found = await desk.query("hbw", "resident.lookup",
                                 {"staff_id": "S01", "phone": "13922223333"})  # fmt: skip
        [zhao] = found["residents"]
        return datetime.fromisoformat(zhao["next_visit_due"])

    assert await next_due() == due
    found = await desk.query("hbw", "resident.lookup", {"staff_id": "S01", "phone": "13922223333"})
    [shown] = found["residents"][0]["care_visits"]
    assert datetime.fromisoformat(shown["visited_at"]) == made
    assert (shown["staff_id"], shown["note"]) == ("S01", "上门探访")

    assert (await drill.decided_at(due - timedelta(seconds=1))) == set()
    assert (await drill.decided_at(due)) == {("care_visit_due", "visit:2")}
    [reminder] = await eventually(lambda: drill.events("escalation.care_visit_due"))
    assert reminder["data"]["ticket_id"] == registered["resident_id"]

    async def listed() -> list[dict]:
        return (await desk.query("hbw", "notice.list", {"role": "cs_assistant"}))["notices"]

    [notice] = await eventually(listed)
    assert notice["reason"] == "care_visit_due" and notice["ticket_no"] == "HBW-0002"
    assert notice["about"] == "resident"

    # overdue and reminded, her file is corrected (a second phone): the visit is still owed
    # from the same day, on the page and in escalation — no new wait, no second reminder
    await drill.set_clock(due + timedelta(days=1))
    corrected = body | {"phones": ["13922223333", "0755 2222 3333"]}
    assert (await desk.command("hbw", "resident_correct", corrected))["ok"]
    await eventually(lambda: drill.events("resident.corrected"))
    assert await next_due() == due
    assert (await drill.decided_at(due + timedelta(days=31))) == set()
    assert len(await drill.events("escalation.care_visit_due")) == 1  # once

    # the quality pack counts her month by month: flagged and visited in November (the visit
    # made on the 30th, though entered in December), left waiting past her due in December
    async def care_figures(month: str) -> tuple[Any, ...] | None:
        pack = await desk.request("desk.qry.company.report.quality", {"month": month})
        [site] = pack["report"]["sites"]
        found = site["care_residents"], site["care_visits"], site["care_visits_overdue"]
        return found

    async def reminder_projected() -> tuple[Any, ...] | None:  # so the visit before it too
        found = await care_figures("2026-12")
        return found if found[2] else None

    assert await eventually(reminder_projected) == (1, 0, 1)
    assert await care_figures("2026-11") == (1, 1, 0)
    # the live view's facts are those a rebuild from DESK makes
    analytics = PROJECTIONS["analytics"]
    assert await verify_view(nats_server.url, analytics, SiteDirectory.model_validate(SITES)) == 0


async def test_the_file_counts_a_zones_households_places_its_callers_and_a_stewards_visit_is_a_care_visit_R11_6_R11_10_R16_6(  # noqa: E501
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    for ref, zone in (("5-101", "A区"), ("5-102", "A区"), ("5-103", "A区"), ("6-101", "B区")):
        room = {"staff_id": "S01", "unit_ref": ref, "room": ref[2:], "zone": zone}
        assert (await desk.command("hbw", "unit_register", room))["ok"]
    for ref, unit, care in (("HBW-0003", "5-101", "disabled"), ("HBW-0004", "5-102", None)):
        body = {"staff_id": "S01", "resident_ref": ref, "kind": "owner", "name": "赵伯",
                "phones": [f"1392222{ref[-4:]}"], "unit_ref": unit,
                "special_care": care}  # fmt: skip
        assert (await desk.command("hbw", "resident_register", body))["ok"]

    # ten days on, the steward visits 5-101: the week counts the file's households (R11.6),
    # and the visit is the care visit of the special-care resident living there (R11.10)
    now = START + timedelta(days=10)  # Thursday 3 December
    await drill.set_clock(now)
    visit = {"staff_id": "G01", "visit_ref": "v-1", "unit": "5-101", "zone": "A区",
             "visited_at": now.isoformat()}  # fmt: skip
    visited = await desk.command("hbw", "record_visit", visit)
    assert visited["ok"] and visited["care_visited"] == ["HBW-0003"], visited
    [care] = await eventually(lambda: drill.events("resident.care_visited"))
    assert care["data"]["resident_ref"] == "HBW-0003"
    week = (await desk.query("hbw", "visit.week", {"day": "2026-12-03"}))["weeks"][0]
    zones = [(z["zone"], z["occupied"], z["target"], z["visited"]) for z in week["zones"]]
    assert zones == [("A区", 2, 1, 1), ("B区", 0, 0, 0), ("C区", 50, 1, 0), ("*", 52, 2, 1)]

    # reporting counts the same households from DESK: the month's week is the same week
    async def reported() -> list | None:
        reply = await desk.query("hbw", "report.monthly", {"month": "2026-11"})
        weeks = reply["report"]["visits"]["weeks"] if reply["ok"] else []
        found = [w for w in weeks if w["first_day"] == "2026-11-30"]
        rows = [(z["zone"], z["occupied"], z["target"], z["visited"]) for z in found[0]["zones"]]
        return rows if rows == zones else None

    assert await eventually(reported) == zones

    # her first visit was due 30 days after she was flagged: the steward's visit moved it on
    assert (await drill.decided_at(START + timedelta(days=30, seconds=1))) == set()
    due = datetime.fromisoformat(care["data"]["visited_at"]) + timedelta(days=30)
    assert (await drill.decided_at(due)) == {("care_visit_due", "visit:2")}

    # a water cut in zone A区: a caller from 5-102 is linked to it, one from 6-101 (B区) not
    at = due  # the clock stands there
    announced = await desk.command("hbw", "maintenance_announce", {
        "staff_id": "S01", "client_ref": "water-a", "kind": "water_outage",
        "scope": {"zones": ["A区"]}, "starts_at": at.isoformat(),
        "expected_end": (at + timedelta(hours=2)).isoformat(), "text": "A区停水检修",
    })  # fmt: skip
    assert announced["ok"], announced
    numbers = {}
    for room in ("5-102", "6-101"):
        caller = {"name": "钱先生", "phone": "13700001111", "room": room}
        body = report_body(f"no-water-{room}", kind="repair", category="plumbing",
                           content="没水了", reporter=caller)  # fmt: skip
        numbers[room] = (await desk.command("hbw", "report", body))["ticket_no"]
    [linked] = await eventually(lambda: drill.events("maintenance.contact_linked"))
    assert linked["data"]["ticket_no"] == numbers["5-102"]
    listed = await desk.query("hbw", "maintenance.list", {"active": True})
    assert [n["linked"] for n in listed["notices"]] == [[numbers["5-102"]]]


async def test_the_quality_packs_trend_follows_the_special_care_visits_month_by_month_R11_10(
    desk: Desk, drill_services, nats_server
) -> None:
    """Flagged in November, visited on 30 November and 5 January, left waiting past her due on
    30 December and 4 February: the company pack of March, asked on the bus, shows her months
    in its six-month trend (and the monthly report the same); the live view is what a replay
    of DESK builds."""
    await drill_services()
    drill = Drill(desk)
    body = {"staff_id": "S01", "resident_ref": "HBW-0005", "kind": "tenant", "name": "钱伯",
            "phones": ["13933334444"], "special_care": "elderly_alone"}  # fmt: skip
    assert (await desk.command("hbw", "resident_register", body))["ok"]
    day = timedelta(days=1)

    async def visited(made: datetime) -> None:  # entered the day after
        await drill.set_clock(made + day)
        visit = {"staff_id": "S01", "resident_ref": "HBW-0005", "visited_at": made.isoformat()}
        assert (await desk.command("hbw", "resident_visit", visit))["ok"]

    first, second = START + 7 * day, START + 43 * day  # Monday 30 November, Tuesday 5 January
    await visited(first)
    assert await drill.decided_at(first + 30 * day) == {("care_visit_due", "visit:2")}
    await visited(second)
    assert ("care_visit_due", "visit:3") in await drill.decided_at(second + 30 * day)
    await drill.set_clock(START + 110 * day)  # 13 March

    async def trend() -> tuple[list[Any], ...] | None:
        pack = await desk.request("desk.qry.company.report.quality", {"month": "2027-03"})
        series = pack["report"]["trend"]["hbw"]
        found = series["care_residents"], series["care_visits"], series["care_visits_overdue"]
        return found if found[2][4] else None  # February's reminder projected, and all before

    #                       Oct   Nov Dec Jan Feb Mar
    assert await eventually(trend) == (
        [None, 1, 1, 1, 1, 1],
        [None, 1, 0, 1, 0, 0],
        [None, 0, 1, 0, 1, 0],
    )
    monthly = await desk.query("hbw", "report.monthly", {"month": "2027-03"})
    points = monthly["report"]["trend"]
    assert [p["care_visits"] for p in points] == [None, 1, 0, 1, 0, 0]
    assert [p["care_visits_overdue"] for p in points] == [None, 0, 1, 0, 1, 0]
    analytics = PROJECTIONS["analytics"]
    assert await verify_view(nats_server.url, analytics, SiteDirectory.model_validate(SITES)) == 0
