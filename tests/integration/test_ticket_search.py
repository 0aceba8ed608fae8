"""ticket.search (docs/contract.md §12.6): when someone calls back, the desk finds their tickets
by phone, name, room or ticket number. Intake answers from its keyed blind index; the reply names
tickets, never a person, and searching by phone or name needs a desk role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.kernel.settings import Settings
from tests.integration.support import Desk, report_body
from tests.integration.test_staff_roles import STAFFED, refused

pytestmark = pytest.mark.integration
CALLER = {"name": "王小明", "phone": "13800138000", "room": "3-201"}


async def search(desk: Desk, site: str = "hbw", **body: object) -> dict:
    reply = await desk.query(site, "ticket.search", {"staff_id": "S01"} | body)
    assert reply["ok"], reply
    return reply


def numbers(reply: dict) -> list[str]:
    return [t["ticket_no"] for t in reply["tickets"]]


async def reported(desk: Desk, ref: str, reporter: dict, **fields: object) -> dict:
    reply = await desk.command("hbw", "report", report_body(ref, reporter=reporter) | fields)
    assert reply["ok"], reply
    return reply


async def test_a_caller_is_found_by_phone_however_written_and_by_name_room_and_number(
    desk: Desk, services
) -> None:
    first = await reported(desk, "s-1", CALLER, received_at="2026-11-23T09:00:00+08:00")
    other = await reported(desk, "s-2", {"name": "李四", "phone": "13900139000", "room": "5-502"})
    second = await reported(desk, "s-3", CALLER | {"room": "3-201 "}, kind="repair",
                            category="plumbing", content="水管漏水")  # fmt: skip

    by_phone = await search(desk, phone="+86 138 0013 8000")  # at once: read-your-writes
    assert numbers(by_phone) == [second["ticket_no"], first["ticket_no"]]  # newest contact first
    found = by_phone["tickets"][0]
    assert (found["kind"], found["status"], found["unit"]) == ("repair", "received", "3-201")
    assert CALLER["phone"] not in json.dumps(by_phone) and "王小明" not in json.dumps(by_phone)
    assert numbers(await search(desk, name="王 小明")) == numbers(by_phone)
    assert numbers(await search(desk, room="5-502")) == [other["ticket_no"]]
    assert numbers(await search(desk, ticket_no=first["ticket_no"].lower())) == [first["ticket_no"]]
    both = await search(desk, phone="13800138000", ticket_no=other["ticket_no"])
    assert both["tickets"] == []  # each criterion must match
    assert (await search(desk, phone="13800138001"))["tickets"] == []
    assert numbers(await search(desk, phone="13800138000", limit=1)) == [second["ticket_no"]]
    assert (await search(desk, phone="13800138000", limit=1))["more"] is True
    assert (await search(desk, "tech-park", phone="13800138000"))["tickets"] == []


async def test_a_repeat_contact_from_another_person_finds_the_ticket_by_their_phone(
    desk: Desk, services
) -> None:
    ticket = await reported(desk, "s-1", CALLER)
    neighbour = {"name": "赵六", "phone": "13700137000"}
    body = {"ticket_id": ticket["ticket_id"], "staff_id": "S01", "channel": "phone",
            "content": "又来电催促", "reporter": neighbour}  # fmt: skip
    assert (await desk.command("hbw", "link", body))["ok"]
    assert numbers(await search(desk, phone="137 0013 7000")) == [ticket["ticket_no"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"phone": "call me"}, "phone"),
        ({"phone": "13800138000", "limit": 500}, "limit"),
        ({"room": "13800138000"}, "room"),
        ({"ticket_no": "no-such"}, "ticket_no"),
        ({"phone": "13800138000", "email": "a@b.c"}, "email"),
    ],
)
async def test_a_bad_search_is_invalid_naming_the_field(
    desk: Desk, services, body: dict, field: str
) -> None:
    reply = await desk.query("hbw", "ticket.search", {"staff_id": "S01"} | body)
    assert reply["ok"] is False and reply["error"]["code"] == "invalid", reply
    fields = [f["field"] for f in reply["error"]["fields"]]
    assert field in fields or (field == "body" and "give at least one" in reply["error"]["message"])


class TestOnAStaffedSite:
    @pytest.fixture
    def settings(self, settings: Settings, tmp_path: Path) -> Settings:
        """hbw lists its staff (tests/integration/test_staff_roles.py)."""
        sites_file = tmp_path / "sites.json"
        sites_file.write_text(json.dumps(STAFFED, ensure_ascii=False), encoding="utf-8")
        return settings.model_copy(update={"sites_file": sites_file})

    async def test_only_desk_roles_search_by_phone_or_name_and_anyone_listed_by_room(
        self, desk: Desk, services
    ) -> None:
        ticket = await reported(desk, "s-1", CALLER)
        by_technician = await desk.query(
            "hbw", "ticket.search", {"staff_id": "T03", "phone": CALLER["phone"]}
        )
        assert refused(by_technician) == (
            "searching tickets by a caller's phone or name needs receptionist, cs_assistant, "
            "department_supervisor or project_manager; staff T03 is technician (R15.2, R15.4)"
        )
        stranger = await desk.query("hbw", "ticket.search", {"staff_id": "S99", "room": "3-201"})
        assert refused(stranger) == "staff S99 is not on the staff list of hbw"
        by_room = await search(desk, staff_id="T03", room="3-201")
        assert numbers(by_room) == [ticket["ticket_no"]]
        assert numbers(await search(desk, staff_id="CS1", name="王小明")) == [ticket["ticket_no"]]
