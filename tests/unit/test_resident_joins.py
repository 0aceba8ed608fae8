"""Where the resident and unit file meets the other parts of issue 16 (docs/VISITS.md,
docs/OUTAGES.md, docs/RESIDENTS.md): the occupied households the visits' target counts (R11.6
with R16.4), a zone-scoped notice matching a contact by its unit's zone (R16.6 with R16.4), and
a steward's visit counting as a special-care resident's care visit (R11.6 with R11.10)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from services.intake.application import IntakeApp
from services.intake.application.visits_log import list_visits, occupied_households
from services.intake.domain import MaintenanceNotice
from services.intake.domain.resident import Resident, resident_id_for
from shared.contracts import maintenance_commands as mc
from shared.contracts.resident_commands import MoveResident, RegisterResident, RegisterUnit
from shared.contracts.visits import ListVisits, RecordVisit
from shared.kernel.sites import SiteDirectory
from tests.unit.conftest import T0

OCCUPIED = {"A": 100, "B": 60}


def _app(clock, **visits: Any) -> IntakeApp:
    sites = SiteDirectory.model_validate(
        {"sites": {"hbw": {"visits": {"occupied": OCCUPIED, **visits}}}}
    )
    return IntakeApp({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock, sites)


@pytest.fixture
def app(clock) -> IntakeApp:
    return _app(clock)


def _unit(app, ctx, ref: str, zone: str | None, kind: str = "room") -> None:
    room = ref.split("-")[-1] if kind == "room" else None
    app.execute(ctx, RegisterUnit(staff_id="S01", unit_ref=ref, place_kind=kind, zone=zone,
                                  room=room, command_id=f"u-{ref}"))  # fmt: skip


def _resident(app, ctx, ref: str, unit: str | None, **care: Any) -> None:
    app.execute(ctx, RegisterResident(
        staff_id="S01", resident_ref=ref, kind="owner", name="张阿婆", phones=["13911112222"],
        unit_ref=unit, command_id=f"r-{ref}", **care,
    ))  # fmt: skip


def test_a_zones_occupied_households_are_its_rooms_on_file_with_someone_living_there_R11_6_R16_4(
    app, ctx
) -> None:
    assert occupied_households(app, "hbw") == OCCUPIED  # no file yet: the site's numbers
    for ref in ("1-101", "1-102", "1-103"):
        _unit(app, ctx, ref, "A")
    _unit(app, ctx, "1-lobby", "A", kind="lobby")  # a public area is no household
    _resident(app, ctx, "HBW-1", "1-101")
    _resident(app, ctx, "HBW-2", "1-101")  # two residents, one household
    _resident(app, ctx, "HBW-3", "1-102")
    # zone A from the file (1-103 empty), zone B still from the site's numbers
    assert occupied_households(app, "hbw") == {"A": 2, "B": 60}
    app.execute(ctx, MoveResident(staff_id="S01", resident_ref="HBW-3", unit_ref="1-102",
                                  move="out", command_id="m-1"))  # fmt: skip
    [week] = list_visits(app, "hbw", ListVisits(day=date(2026, 11, 10))).weeks
    assert [(z.zone, z.occupied, z.target) for z in week.zones] == [
        ("A", 1, 1), ("B", 60, 2), ("*", 61, 2)
    ]  # fmt: skip


def test_a_site_may_keep_its_own_numbers_while_its_file_is_incomplete_R11_6(clock, ctx) -> None:
    app = _app(clock, occupied_from="setting")
    _unit(app, ctx, "1-101", "A")
    _resident(app, ctx, "HBW-1", "1-101")
    assert occupied_households(app, "hbw") == OCCUPIED


def _announce(app, ctx, zones: list[str]) -> MaintenanceNotice:
    reply = app.execute(ctx, mc.AnnounceNotice.model_validate({
        "staff_id": "S017", "client_ref": "mn-z", "kind": "water_outage",
        "scope": {"zones": zones}, "starts_at": T0.isoformat(),
        "expected_end": (T0 + timedelta(hours=2)).isoformat(), "text": "A区停水",
    }))  # fmt: skip
    return app.get(UUID(reply["notice_id"]), MaintenanceNotice)


def test_a_zone_scoped_notice_matches_a_contact_by_its_units_zone_on_file_R16_6_R16_4(
    app, ctx, report_cmd
) -> None:
    _unit(app, ctx, "5-101", "A区")
    _unit(app, ctx, "3-201", "B区")
    notice_id = _announce(app, ctx, ["a区"]).id  # compared without case
    tickets = {
        room: app.execute(ctx, report_cmd(
            client_ref=f"c-{room}", reporter={"name": "李四", "phone": "13900139000",
                                              "room": room},
        ))["ticket_no"]
        for room in ("5-101", "3-201", "9-901")
    }  # fmt: skip
    linked = set(app.get(notice_id, MaintenanceNotice).linked.values())
    # in the zone: linked; in another zone: not; a unit not on file: its zone unknown, linked
    assert linked == {tickets["5-101"], tickets["9-901"]}


def _care_visits(app: IntakeApp, ref: str) -> int:
    events = app.repository.event_store.get(resident_id_for("hbw", ref))
    return sum(isinstance(e, Resident.CareVisited) for e in events)


def _visit(ref: str, unit: str) -> RecordVisit:
    return RecordVisit.model_validate({
        "staff_id": "G01", "visit_ref": ref, "unit": unit, "zone": "A", "command_id": ref,
        "visited_at": (T0 - timedelta(hours=1)).isoformat(),
    })  # fmt: skip


def test_a_stewards_visit_to_a_special_care_residents_unit_is_their_care_visit_R11_6_R11_10(
    app, ctx
) -> None:
    _unit(app, ctx, "1-101", "A")
    _unit(app, ctx, "1-102", "A")
    _resident(app, ctx, "HBW-1", "1-101", special_care="elderly_alone")
    _resident(app, ctx, "HBW-2", "1-101")  # her son: not flagged
    _resident(app, ctx, "HBW-3", "1-102")

    reply = app.execute(ctx, _visit("v-1", "1-101"))
    assert reply["care_visited"] == ["HBW-1"]
    assert _care_visits(app, "HBW-1") == 1 and _care_visits(app, "HBW-2") == 0
    again = app.execute(ctx, _visit("v-1", "1-101").model_copy(update={"command_id": "v-1b"}))
    assert again["duplicate"] and _care_visits(app, "HBW-1") == 1  # exactly once
    assert app.execute(ctx, _visit("v-2", "1-102"))["care_visited"] == []
    assert app.execute(ctx, _visit("v-3", "7-7"))["care_visited"] == []  # not on file


def test_moves_committed_together_are_each_counted_R11_6(app, ctx) -> None:
    for ref in ("2-101", "2-102", "2-103"):
        _unit(app, ctx, ref, "B")
    batch = [
        (ctx, RegisterResident(staff_id="S01", resident_ref=f"HBW-B{n}", kind="owner",
                               name="钱先生", phones=["13700001111"], unit_ref=unit,
                               command_id=f"rb-{n}"))
        for n, unit in enumerate(("2-101", "2-102", "2-102"))
    ]  # fmt: skip
    app.execute_batch(batch)
    assert occupied_households(app, "hbw") == {"A": 100, "B": 2}
