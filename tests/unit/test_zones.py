"""Zones (组团 / 辖区, R16.4) and the zone CS assistant (辖区客服助理, R1.3, R6.3): the staff list
gives a CS assistant her zones, a ticket takes its zone from the reporter's unit on file, the
published report carries it (schema 2), and the ticket view and the care roll filter by zones.
Through the bus and the console: tests/integration/test_zone_assistant.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from propdesk.cli import ticket as ticket_cli
from propdesk.cli.main import app as cli
from services.intake.adapters.translate import Translator
from services.intake.application import IntakeApp
from services.intake.application.care_roll import list_care_roll
from services.reporting.queries.tickets import list_tickets
from services.reporting.views.tickets import TicketView
from shared.contracts.care_roll import ListCareRoll
from shared.contracts.commands import ListTickets, ReportContact
from shared.contracts.events import TicketReportedEvent, parse_event
from shared.contracts.resident_commands import RegisterResident, RegisterUnit
from shared.eventstore.desk_app import CommandContext
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteDirectory
from shared.kernel.staff import StaffMember
from shared.messaging.inbox import Delivery

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
CTX = CommandContext("hbw", "c-1")
STAFF = {"HB-CS1": {"role": "cs_assistant", "zones": ["A区"]}}


def sites(staff: dict[str, Any]) -> SiteDirectory:
    return SiteDirectory.model_validate({"sites": {"hbw": {"staff": staff}}})


# -- the staff list: a CS assistant's zones (R1.3) ---------------------------------------------


def test_a_cs_assistant_is_given_her_zones_on_the_staff_list_R1_3() -> None:
    member = sites({"HB-CS1": {"role": "cs_assistant", "zones": [" A区 ", "north"]}})
    assert member.get("hbw").staff["HB-CS1"].zones == ("A区", "north")
    assert StaffMember(role="cs_assistant").zones == ()  # none: the whole site, as before


@pytest.mark.parametrize(
    ("member", "why"),
    [
        ({"role": "receptionist", "zones": ["A区"]}, r"zones are for a cs_assistant \(R1.3\)"),
        ({"role": "cs_assistant", "zones": ["A区", "a区 "]}, "zone named twice"),
        ({"role": "cs_assistant", "zones": ["North", "north"]}, "zone named twice"),
        ({"role": "cs_assistant", "zones": [""]}, "at least 1 character"),
        ({"role": "cs_assistant", "zones": ["13912345678"]}, "looks like a phone number"),
    ],
)
def test_zones_that_cannot_be_hers_stop_the_site_directory_R1_3(member, why) -> None:
    with pytest.raises(ValidationError, match=why):
        sites({"HB-X": member})


# -- the ticket's zone, from the unit file at report (R1.3, R16.4) ------------------------------


@pytest.fixture
def app() -> IntakeApp:
    return IntakeApp({"PERSISTENCE_MODULE": "eventsourcing.popo"}, FixedClock(T0), sites(STAFF))


def unit(app: IntakeApp, ref: str, zone: str | None) -> None:
    cmd = RegisterUnit(staff_id="HB-CS1", unit_ref=ref, room=ref.split("-")[-1], zone=zone)
    assert app.execute(CTX, cmd)["ok"]


def report(app: IntakeApp, ref: str, room: str | None) -> TicketReportedEvent:
    """Report a contact from `room`; its ticket.reported as the bus carries it."""
    body = {"staff_id": "HB-CS1", "client_ref": ref, "channel": "phone", "kind": "complaint",
            "content": "楼道灯坏了",
            "reporter": {"name": "张三", "phone": "13800138000", "room": room}}  # fmt: skip
    reply = app.execute(CTX, ReportContact.model_validate(body))
    stored = next(iter(app.events.get(UUID(reply["ticket_id"]))))
    published = Translator(app.reporters_of)(stored)
    assert isinstance(published, TicketReportedEvent)
    return published


def test_a_ticket_takes_the_zone_of_the_reporters_unit_on_file_R1_3_R16_4(app) -> None:
    unit(app, "3-1201", "A区")
    published = report(app, "c-1", "3-1201")
    assert app.ticket(published.aggregate_id).zone == "A区"  # type: ignore[union-attr]
    # the zone is a place, not personal data: the published report carries it (schema 2)
    assert (published.data.zone, published.schema_version) == ("A区", 2)
    assert published.data.unit == "3-1201"


def test_a_ticket_has_no_zone_where_the_file_gives_none_R16_4(app) -> None:
    unit(app, "5-0101", None)  # on file with no zone
    assert report(app, "c-1", "5-0101").data.zone is None
    assert report(app, "c-2", "9-0909").data.zone is None  # not on file
    assert report(app, "c-3", None).data.zone is None  # no unit given


def test_a_schema_1_report_reads_with_no_zone() -> None:
    old = {"event_id": "7e407868-fae8-57e3-933b-b9403c677295", "schema_version": 1,
           "event_type": "ticket.reported", "site": "hbw",
           "aggregate_id": "0e5b4a4e-8f6c-4b8e-9a34-2a9a4d1c0001", "aggregate_version": 1,
           "occurred_at": "2026-11-10T02:00:00Z", "recorded_at": "2026-11-10T02:00:00Z",
           "correlation_id": "c", "causation_id": None, "actor": "S017",
           "data": {"ticket_no": "HBW-202611-0001", "client_ref": "a", "channel": "phone",
                    "kind": "repair", "category": None, "help_category": None,
                    "unit": "3-1201", "content": "漏水",
                    "received_at": "2026-11-10T02:00:00Z", "appointment": None}}  # fmt: skip
    assert parse_event(json.dumps(old)).data.zone is None  # type: ignore[attr-defined]


# -- the ticket view: ticket.list by zones (R1.3, R6.3) -----------------------------------------


def test_the_ticket_list_filters_by_zones_without_case_R1_3_R6_3(tmp_path, app) -> None:
    unit(app, "3-1201", "A区")
    unit(app, "7-0701", "North")
    unit(app, "8-0801", "B区")
    reported = [
        report(app, f"c-{n}", room)
        for n, room in enumerate(("3-1201", "7-0701", "8-0801", None), start=1)
    ]
    view = TicketView(str(tmp_path / "view.db"))
    try:
        view.apply([Delivery(seq, ev) for seq, ev in enumerate(reported, start=1)])

        def listed(*zones: str) -> list[str]:
            page = list_tickets(view, "hbw", ListTickets(zones=list(zones)))
            return [t["client_ref"] for t in page["tickets"]]

        assert listed() == ["c-4", "c-3", "c-2", "c-1"]  # no zones: every ticket
        assert listed("a区") == ["c-1"]
        assert listed(" NORTH", "A区") == ["c-2", "c-1"]
        assert listed("C区") == []
        got = list_tickets(view, "hbw", ListTickets())["tickets"]
        assert [t["zone"] for t in got] == [None, "B区", "North", "A区"]
    finally:
        view.close()


# -- the care roll: her zones' special-care residents (R1.3, R11.10) ----------------------------


def test_the_care_roll_lists_the_residents_of_the_zones_asked_R1_3_R11_10(app) -> None:
    unit(app, "3-1201", "A区")
    unit(app, "8-0801", "B区")
    for ref, room in (("HBW-0001", "3-1201"), ("HBW-0002", "8-0801"), ("HBW-0003", None)):
        body = {"staff_id": "HB-CS1", "resident_ref": ref, "kind": "owner", "name": "住户",
                "phones": [f"1391111000{ref[-1]}"], "special_care": "elderly_alone",
                "unit_ref": room}  # fmt: skip
        assert app.execute(CTX, RegisterResident.model_validate(body))["ok"]

    def roll(*zones: str) -> list[str]:
        query = ListCareRoll(staff_id="HB-CS1", zones=list(zones))
        return [r["resident_ref"] for r in list_care_roll(app, "hbw", query, "c")["residents"]]

    assert roll() == ["HBW-0001", "HBW-0002", "HBW-0003"]
    assert roll("a区") == ["HBW-0001"]  # not HBW-0003: in no unit on file, in no zone
    assert roll("A区", "b区") == ["HBW-0001", "HBW-0002"]


def test_the_cli_lists_a_zones_tickets_R1_3(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, dict[str, Any]]] = []

    def fake_call_desk(url, subject, body, as_json):
        asked.append((subject, body))
        return {"ok": True, "tickets": [], "next_cursor": None}

    monkeypatch.setattr(ticket_cli, "call_desk", fake_call_desk)
    runner = CliRunner(env={"COLUMNS": "120"})
    for argv in (["--zone", "A区", "--zone", "B区"], []):
        result = runner.invoke(cli, ["ticket", "list", "--site", "hbw", *argv])
        assert result.exit_code == 0, result.output
    assert asked == [
        ("desk.qry.hbw.ticket.list", {"zones": ["A区", "B区"], "limit": 50}),
        ("desk.qry.hbw.ticket.list", {"limit": 50}),  # no zone: the whole site
    ]
