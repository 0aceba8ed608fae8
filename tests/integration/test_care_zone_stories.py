"""A special-care resident's visit reminder goes to her zone's CS assistant, through the bus
(R11.10: regular visits; R1.3: to the assistant of the resident's zone): escalation learns where
she lives from intake's file on DESK (unit.registered, resident.moved_in/moved_out), the
reminder names that zone, and `notice.list` with `zones` (and so the console's 通知, 我的辖区)
gives it to that zone and not another; moved to a unit of another zone, her next reminder is the
new zone's; a resident with no unit on file is reminded site-wide; escalation rebuilt from DESK
reaches the same zone (docs/RESIDENTS.md)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest

from propdesk.runtime import SERVICES
from services.escalation.domain.care_visits import CareVisits, care_board_id_for
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_of
from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually
from tests.integration.test_zone_notices import notice_rows

pytestmark = pytest.mark.integration

SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "staff": {
        "HB-CS1": {"role": "cs_assistant"},
        "HB-CS2": {"role": "cs_assistant", "zones": ["A区"]},
    }}}}
)  # fmt: skip
DAYS = timedelta(days=1)


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


async def register(desk: Desk, ref: str, unit_ref: str | None = None) -> str:
    body = {"staff_id": "HB-CS1", "resident_ref": ref, "kind": "owner", "name": "张阿婆",
            "phones": [f"1390000{ref[-4:]}"], "special_care": "elderly_alone"}  # fmt: skip
    if unit_ref:
        body["unit_ref"] = unit_ref
    reply = await desk.command("hbw", "resident_register", body)
    assert reply["ok"], reply
    return reply["resident_id"]


async def reminders(desk: Desk, zones: list[str], count: int) -> list[tuple[str, str]]:
    """The care reminders `notice.list` gives `zones` ([]: all), once `count` are listed in
    all: (resident_ref, zone or -), oldest first."""

    async def listed() -> list[dict] | None:
        reply = await desk.query("hbw", "notice.list", {"role": "cs_assistant"})
        assert reply["ok"], reply
        care = [n for n in reply["notices"] if n["reason"] == "care_visit_due"]
        return care if len(care) >= count else None

    await eventually(listed)
    reply = await desk.query("hbw", "notice.list", {"role": "cs_assistant", "zones": zones})
    care = [n for n in reply["notices"] if n["reason"] == "care_visit_due"]
    return [(n["ticket_no"], n.get("zone") or "-") for n in care]


async def test_a_care_reminder_goes_to_the_zone_she_lives_in_and_follows_her_move_R11_10_R1_3(
    desk: Desk, drill_services, settings: Settings, sim_clock, nats_server, tmp_path: Path
) -> None:
    running = await drill_services("intake", "reporting", "escalation")
    drill = Drill(desk)
    for unit, zone in {"3-201": "A区", "5-101": "B区"}.items():
        body = {"staff_id": "HB-CS1", "unit_ref": unit, "room": unit[2:], "zone": zone}
        assert (await desk.command("hbw", "unit_register", body))["ok"]
    resident = await register(desk, "HBW-0001", "3-201")  # flagged, living in A区
    await register(desk, "HBW-0002")  # flagged, no unit on file

    due = START + 30 * DAYS
    assert await drill.decided_at(due) == {("care_visit_due", "visit:1")}
    assert await reminders(desk, [], 2) == [("HBW-0001", "A区"), ("HBW-0002", "-")]
    assert await reminders(desk, ["a区"], 2) == [("HBW-0001", "A区"), ("HBW-0002", "-")]
    assert await reminders(desk, ["B区"], 2) == [("HBW-0002", "-")]  # the site-wide one only
    [published, _] = await drill.events("escalation.care_visit_due")
    assert published["schema_version"] == 2
    assert published["data"]["notification"]["zone"] == "A区"

    # visited, then moved from A区's unit to B区's: the next reminder is B区's
    await drill.set_clock(due + DAYS)
    visit = {"staff_id": "HB-CS1", "resident_ref": "HBW-0001", "note": "上门探访"}
    assert (await desk.command("hbw", "resident_visit", visit))["ok"]
    for move, unit in (("out", "3-201"), ("in", "5-101")):
        body = {"staff_id": "HB-CS1", "resident_ref": "HBW-0001", "unit_ref": unit, "move": move}
        assert (await desk.command("hbw", "resident_move", body))["ok"]

    async def moved_twice() -> bool:
        return len(await drill.events("resident.moved_in")) == 2

    assert await eventually(moved_twice)
    assert await drill.decided_at(due + 31 * DAYS) == {("care_visit_due", "visit:2")}
    assert await reminders(desk, ["B区"], 3) == [("HBW-0002", "-"), ("HBW-0001", "B区")]
    assert await reminders(desk, ["A区"], 3) == [("HBW-0001", "A区"), ("HBW-0002", "-")]

    # her console's 通知 (我的辖区, A区): A区's first reminder and the site-wide one, not B区's
    console = settings.model_copy(update={"console_port": 0})
    async with console_of(console, sim_clock, SITES, nats_server.url, "HB-CS2") as (zoned,):
        assert notice_rows((await zoned.get("/notices")).text) == ["-", "A区"]
        assert notice_rows((await zoned.get("/notices?area=site")).text) == ["-", "A区", "B区"]

    # escalation rebuilt from DESK (an empty store, its consumer from the stream's start)
    # reaches the same zone: B区, from the unit and move events alone
    await running["escalation"].stop()
    fresh = settings.model_copy(update={"data_dir": tmp_path / "rebuilt", "persistence": "sqlite"})
    running["escalation"] = rebuilt = SERVICES["escalation"](fresh, sim_clock, SITES)
    await rebuilt.start(nats_server.url)

    async def zone_rebuilt() -> str | None:
        board = rebuilt.app.get(care_board_id_for(UUID(resident)), CareVisits)
        return board.zone if board and board.count == 2 else None

    assert await eventually(zone_rebuilt) == "B区"
