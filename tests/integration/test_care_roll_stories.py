"""The care roll through the bus (关怀名单, R11.10, R15.2; docs/RESIDENTS.md, contract §29.5):
the CS assistant asks intake for the site's special-care residents, the soonest due for a visit
first, and sees a late one as late at the moment escalation tells her; each look is in the caller
log; a role that may not read the resident file is refused at once."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.drill import Drill
from tests.integration.support import START, Desk

pytestmark = pytest.mark.integration

STAFF = {"HB-CS1": {"role": "cs_assistant"}, "HB-T01": {"role": "technician"}}


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SiteDirectory.model_validate(
        {"strict": True, "sites": {"hbw": {"name": "Harbour View", "staff": STAFF}}}
    )


async def register(desk: Desk, ref: str, care: str | None, **more: Any) -> None:
    body = {"staff_id": "HB-CS1", "resident_ref": ref, "kind": "owner", "name": f"住户{ref[-1]}",
            "phones": [f"1392222000{ref[-1]}"], "special_care": care, **more}  # fmt: skip
    assert (await desk.command("hbw", "resident_register", body))["ok"]


async def roll(desk: Desk, staff: str = "HB-CS1", **query: Any) -> dict[str, Any]:
    return await desk.query("hbw", "resident.care_roll", {"staff_id": staff, **query})


def refs(reply: dict[str, Any]) -> list[str]:
    assert reply["ok"], reply
    return [r["resident_ref"] for r in reply["residents"]]


async def test_the_cs_assistant_plans_her_visits_from_the_care_roll_R11_10_R15_2(
    desk: Desk, drill_services
) -> None:
    await drill_services("intake", "escalation")
    drill = Drill(desk)
    room = {"staff_id": "HB-CS1", "unit_ref": "3-1201", "room": "1201", "zone": "A区"}
    assert (await desk.command("hbw", "unit_register", room))["ok"]
    # flagged now (HBW-0001, in 3-1201) and two days on (HBW-0003); her son needs no visits
    await register(desk, "HBW-0001", "elderly_alone", unit_ref="3-1201", care_note="独居，耳背")
    await register(desk, "HBW-0002", None, unit_ref="3-1201")
    await drill.set_clock(START + timedelta(days=2))
    await register(desk, "HBW-0003", "disabled")
    # five days on HBW-0001 is visited: her next visit is due 30 days after that
    await drill.set_clock(START + timedelta(days=5))
    visit = {"staff_id": "HB-CS1", "resident_ref": "HBW-0001", "note": "上门探访"}
    assert (await desk.command("hbw", "resident_visit", visit))["ok"]

    # the roll: the soonest due first, each due when the lookup (her card) says
    listed = await roll(desk)
    assert refs(listed) == ["HBW-0003", "HBW-0001"]
    assert (listed["total"], listed["overdue"]) == (2, 0)
    zhao, zhang = listed["residents"]
    assert zhang["name"] == "住户1" and zhang["special_care"] == "elderly_alone"
    assert zhang["care_note"] == "独居，耳背" and [u["zone"] for u in zhang["units"]] == ["A区"]
    assert datetime.fromisoformat(zhang["last_visited_at"]) == START + timedelta(days=5)
    assert zhang["last_visited_by"] == "HB-CS1" and zhao["last_visited_at"] is None
    for shown in listed["residents"]:
        card = await desk.query(
            "hbw", "resident.lookup", {"staff_id": "HB-CS1", "resident_ref": shown["resident_ref"]}
        )
        [resident] = card["residents"]  # fmt: skip
        assert resident["next_visit_due"] == shown["next_visit_due"]
    assert datetime.fromisoformat(zhao["next_visit_due"]) == START + timedelta(days=32)

    # a page at a time; and only those due within 27 days (by the 25th) or late
    first = await roll(desk, limit=1)
    assert refs(first) == ["HBW-0003"] and first["next_cursor"]
    assert refs(await roll(desk, limit=1, cursor=first["next_cursor"])) == ["HBW-0001"]
    assert refs(await roll(desk, due_within_days=27)) == ["HBW-0003"]

    # late the moment escalation tells her, not a second before
    due = START + timedelta(days=32)
    assert (await drill.decided_at(due - timedelta(seconds=1))) == set()
    assert refs(await roll(desk, due_within_days=0)) == []
    assert (await drill.decided_at(due)) == {("care_visit_due", "visit:1")}
    late = await roll(desk, due_within_days=0)
    assert refs(late) == ["HBW-0003"] and late["residents"][0]["overdue"] is True
    assert late["overdue"] == 1

    # a technician may not read the file, nor anyone off the staff list: refused at once
    for staff in ("HB-T01", "HB-X99"):
        asked = time.monotonic()
        refused = await roll(desk, staff)
        assert time.monotonic() - asked < 1.0
        assert refused["error"]["code"] == "forbidden", refused
        assert staff in refused["error"]["message"]

    # every look is in the caller log (each month's), the refused ones too (R15.2, R15.3)
    looks = []
    for month in ("2026-11", "2026-12"):
        log = await desk.request("desk.ops.intake.resident_lookups",
                                 {"site": "hbw", "month": month})  # fmt: skip
        looks += [x for x in log["looks"] if x["by"] == "care_roll"]
    seen = [(x["staff_id"], len(x["found"]), bool(x["refused"])) for x in looks]
    assert seen == [("HB-CS1", 2, False), ("HB-CS1", 1, False), ("HB-CS1", 1, False),
                    ("HB-CS1", 1, False), ("HB-CS1", 0, False), ("HB-CS1", 1, False),
                    ("HB-T01", 0, True), ("HB-X99", 0, True)]  # fmt: skip
    assert looks[0]["found"] == [zhao["resident_id"], zhang["resident_id"]]
