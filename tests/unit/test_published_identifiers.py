"""Identifiers are published as typed (the actor, client_ref, the unit, the technician …), so a
value that looks like personal data is refused at the edge with `invalid` naming the field, before
anything changes (R15.1, R15.4, R15.5; docs/contract.md §14)."""

from __future__ import annotations

import base64
from typing import Any
from uuid import uuid4

import pytest

from propdesk.cli.common import new_client_ref
from shared.contracts import commands as intake_commands
from shared.contracts import dispatch_commands, escalation_commands
from shared.contracts.replies import ErrorCode
from shared.kernel.personal import looks_personal, names_a_reporter
from shared.messaging.errors import DeskError
from shared.messaging.rpc import correlation_id, parse_body, request_site

TICKET = "6eb79cef-3d22-5d13-9c6b-cb0aca089d27"
ORDER = "0b5f7c43-53c5-4a4a-9a55-6e7c5f0e1c11"

PHONES = [
    "13912345678",
    "139-1234-5678",
    "c.139.1234.5678",
    "r_139_1234_5678",
    "ref:13912345678",
    "1-3-9-1-2-3-4-5-6-7-8",
    "+8613912345678",
    "r--139--1234--5678",  # only reading the digits without separators finds this one
    "0755-26012345",
]
OTHERS = [
    "440301199001011234",  # an ID card number
    "44030119900101123X",
    "6222021234567890123",  # a bank card
    "li.si@example.com",  # refused by the pattern of staff ids and keys, not only as an e-mail
]


def report(**overrides: Any) -> dict[str, Any]:
    body = {
        "staff_id": "S017",
        "client_ref": "desk-0001",
        "channel": "phone",
        "kind": "repair",
        "reporter": {"name": "王小明", "phone": "021-5555", "room": "3-1201"},
        "content": "厨房水管漏水",
    }
    return body | overrides


def refused(model: type, body: dict[str, Any]) -> dict[str, str]:
    """The `invalid` field errors parse_body raises for `body`, by field."""
    with pytest.raises(DeskError) as raised:
        parse_body(model, body)
    assert raised.value.code is ErrorCode.invalid
    return {f.field: f.message for f in raised.value.fields}


@pytest.mark.parametrize("value", PHONES + OTHERS)
def test_a_staff_id_that_looks_like_personal_data_is_refused_R15_4(value: str) -> None:
    """The staff id becomes every event's `actor`."""
    body = {"ticket_id": TICKET, "staff_id": value, "resolution": "已修好"}
    assert "staff_id" in refused(intake_commands.ResolveTicket, body)
    order = {"work_order_id": ORDER, "staff_id": value}
    assert "staff_id" in refused(dispatch_commands.RecordArrival, order)
    ack = {"notification_id": TICKET, "staff_id": value}
    assert "staff_id" in refused(escalation_commands.AcknowledgeNotification, ack)


def test_a_staff_id_is_a_code_not_a_name() -> None:
    """Staff ids (工号) are ASCII codes, so a name typed in Chinese is refused (R3.8, R15.1)."""
    body = {"ticket_id": TICKET, "staff_id": "李四", "resolution": "x"}
    assert list(refused(intake_commands.ResolveTicket, body)) == ["staff_id"]


@pytest.mark.parametrize("value", [*PHONES, *OTHERS, "王小明"])
def test_the_department_lead_and_the_technician_must_be_staff_ids_R15_5(value: str) -> None:
    collect = {"work_order_id": ORDER, "staff_id": "E01", "collected_by": value}
    assert list(refused(dispatch_commands.CollectOrder, collect)) == ["collected_by"]
    assign = {"work_order_id": ORDER, "staff_id": "E01", "technician": value}
    assert list(refused(dispatch_commands.AssignTechnician, assign)) == ["technician"]


@pytest.mark.parametrize("value", PHONES + OTHERS)
def test_a_client_ref_or_command_id_that_looks_like_personal_data_is_refused_R15_4(
    value: str,
) -> None:
    """client_ref is published in ticket.reported; command_id as every event's causation_id."""
    assert list(refused(intake_commands.ReportContact, report(client_ref=value))) == ["client_ref"]
    assert list(refused(intake_commands.ReportContact, report(command_id=value))) == ["command_id"]


@pytest.mark.parametrize(
    ("client_ref", "reporter"),
    [
        ("tel-0215555-1", {"name": "王小明", "phone": "021-5555"}),  # the caller's own number
        ("john.smith-1", {"name": "John Smith", "phone": None}),
        ("JohnSmith", {"name": "John Smith", "phone": None}),
    ],
)
def test_a_client_ref_carrying_the_reporters_name_or_phone_is_refused_R15_4(
    client_ref: str, reporter: dict[str, Any]
) -> None:
    body = report(client_ref=client_ref, channel="visit", reporter=reporter)
    problems = refused(intake_commands.ReportContact, body)
    assert list(problems) == ["client_ref"]
    assert "reporter's name or phone" in problems["client_ref"]


@pytest.mark.parametrize(
    "room",
    [
        "13912345678",
        "5-302 139 1234 5678",
        "１３９１２３４５６７８",
        "440301199001011234",
        "li@example.com",
        "粤B12345",
        "微信 lisi_1990",
        "王先生家",
    ],
)
def test_a_room_that_looks_like_personal_data_is_refused_R15_4(room: str) -> None:
    """The reporter's room is published as the ticket's `unit`."""
    body = report(reporter={"name": "王小明", "phone": "021-5555", "room": room})
    problems = refused(intake_commands.ReportContact, body)
    assert list(problems) == ["reporter.room"]
    assert "published" in problems["reporter.room"]


@pytest.mark.parametrize("room", ["5-302 王小明", "021 5555", "王 小 明家"])
def test_a_room_holding_the_reporters_own_name_or_phone_is_refused_R15_4(room: str) -> None:
    body = report(reporter={"name": "王小明", "phone": "021-5555", "room": room})
    assert list(refused(intake_commands.ReportContact, body)) == ["reporter.room"]
    link = {"ticket_id": TICKET, "staff_id": "S01", "channel": "visit", "content": "再次来访",
            "reporter": {"name": "王小明", "phone": "021-5555", "room": room}}  # fmt: skip
    assert list(refused(intake_commands.LinkContact, link)) == ["reporter.room"]


@pytest.mark.parametrize(
    "room", ["5-302", "3栋1单元502", "12-2-1201", "B2-056车位", "A座1201", "地下车库-1-05"]
)
def test_real_rooms_are_accepted_as_typed(room: str) -> None:
    body = report(reporter={"name": "王小明", "phone": "021-5555", "room": room})
    assert parse_body(intake_commands.ReportContact, body).reporter.room == room


@pytest.mark.parametrize(
    "value",
    ["S01", "S017", "hbw-M01", "tech-park-T09", "ENG-LEAD", "desk-0001", "hbw-20261015-0001",
     "demo:xh-tower-20261031-0163:12", "crm-20261123-000042"],
)  # fmt: skip
def test_ordinary_staff_ids_and_keys_are_accepted(value: str) -> None:
    assert looks_personal(value) is None


def test_uuids_and_the_clis_references_are_always_accepted() -> None:
    """A UUID is the CLI's command_id, and its hex digits fall into phone-like runs now and then
    (13912345-6781-…); the CLI's client_ref is base32 (no 0, 1, 8, 9)."""
    ids = [str(uuid4()) for _ in range(20_000)] + [new_client_ref() for _ in range(20_000)]
    assert [v for v in ids if looks_personal(v)] == []
    crafted = "13912345-678a-4bcd-8123-0123456789ab"
    assert looks_personal(crafted) is None
    assert looks_personal(crafted.replace("-", "")) == "a phone number"  # not a UUID's form
    assert looks_personal("desk-" + base64.b32encode(b"13912345678").decode()) is None


def test_a_correlation_header_that_looks_like_personal_data_is_refused_R15_4() -> None:
    """The Correlation-Id header is published as every event's correlation_id."""
    assert correlation_id({"Correlation-Id": "batch-2026-11-23"}, None) == "batch-2026-11-23"
    with pytest.raises(DeskError) as raised:
        correlation_id({"Correlation-Id": "call-139 1234 5678"}, "k-1")
    assert raised.value.fields[0].field == "Correlation-Id"
    assert correlation_id(None, "k-1") == "k-1"


def test_a_site_id_that_looks_like_a_phone_number_is_refused_R15_4() -> None:
    """The site is in every subject and every envelope."""
    assert request_site("desk.cmd.tech-park.intake.report") == "tech-park"
    with pytest.raises(DeskError) as raised:
        request_site("desk.cmd.13912345678.intake.report")
    assert raised.value.fields[0].field == "site"


REPORTERS = [
    {"name": "王小明", "phone": "021-5555", "room": "5-302"},
    {"name": "John Smith", "phone": "13912345678", "room": None},
]


@pytest.mark.parametrize(
    "value",
    ["tel-0215555-1", "john.smith-1", "JohnSmith", "desk-0001", "5-302 王小明", "021 5555",
     "王 小 明家", "5-302", "B2-1101", "jsmith", TICKET, "ref-5555", "room 021/5555"],
)  # fmt: skip
def test_the_reporter_check_after_the_check_alone_is_looks_personal_with_the_reporters(
    value: str,
) -> None:
    """client_ref and the room are checked alone by their type, then against the reporter:
    the second check looks only for what the first did not (names_a_reporter)."""
    if looks_personal(value) is not None:
        return  # refused by the check alone, before the reporter is looked at
    for reporter in REPORTERS:
        assert names_a_reporter(value, [reporter]) == looks_personal(value, [reporter])
