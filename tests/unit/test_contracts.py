"""Command contracts as a client meets them: through shared.messaging.rpc.parse_body and its field
errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from shared.contracts import commands as intake_commands
from shared.contracts.events import parse_event
from shared.contracts.replies import ErrorCode
from shared.kernel.satisfaction import is_satisfied
from shared.messaging.errors import DeskError
from shared.messaging.rpc import parse_body, request_site
from shared.messaging.subjects import is_valid_site

TICKET = "6eb79cef-3d22-5d13-9c6b-cb0aca089d27"


def report(**overrides: Any) -> dict[str, Any]:
    body = {
        "staff_id": "S017",
        "client_ref": "desk-0001",
        "channel": "visit",
        "kind": "repair",
        "reporter": {"name": "张三", "room": "3-1201"},
        "content": "厨房水管漏水",
    }
    return {k: v for k, v in (body | overrides).items() if v is not None}


def fields_of(model, body) -> list[str]:
    """The field names of the `invalid` error that parse_body raises for `body`."""
    with pytest.raises(DeskError) as raised:
        parse_body(model, body)
    assert raised.value.code is ErrorCode.invalid
    return [f.field for f in raised.value.fields]


def test_a_valid_report_parses_from_json_bytes():
    cmd = parse_body(intake_commands.ReportContact, json.dumps(report()).encode())
    assert (cmd.kind, cmd.reporter.room) == ("repair", "3-1201")


@pytest.mark.parametrize("missing", ["staff_id", "client_ref", "channel", "kind", "content"])
def test_required_fields_are_reported_by_name(missing):
    body = report()
    del body[missing]
    assert fields_of(intake_commands.ReportContact, body) == [missing]


@pytest.mark.parametrize(
    ("content", "ok"), [("x", True), ("水" * 2000, True), ("水" * 2001, False)]
)
def test_content_holds_one_to_two_thousand_characters(content, ok):
    if ok:
        assert parse_body(intake_commands.ReportContact, report(content=content)).content == content
    else:
        assert fields_of(intake_commands.ReportContact, report(content=content)) == ["content"]


def test_content_of_only_whitespace_is_empty():
    assert fields_of(intake_commands.ReportContact, report(content="  \n ")) == ["content"]


def test_a_help_request_needs_its_category_reported_under_help_category_R4_6():
    assert fields_of(intake_commands.ReportContact, report(kind="help")) == ["help_category"]
    assert (
        parse_body(
            intake_commands.ReportContact, report(kind="help", help_category="A")
        ).help_category
        == "A"
    )


def test_help_category_is_refused_for_other_kinds_R4_6():
    assert fields_of(intake_commands.ReportContact, report(help_category="B")) == ["help_category"]


def test_only_an_inspection_finding_may_omit_the_reporter_R13_13():
    no_reporter = report() | {"reporter": None}
    assert fields_of(intake_commands.ReportContact, no_reporter) == ["reporter"]
    assert (
        parse_body(intake_commands.ReportContact, no_reporter | {"channel": "inspection"}).reporter
        is None
    )


@pytest.mark.parametrize("channel", ["phone", "visit", "letter"])
def test_a_contact_comes_as_a_call_a_visit_or_a_letter_R2_1(channel):
    body = report(channel=channel, reporter={"name": "张三", "phone": "13800138000"})
    assert parse_body(intake_commands.ReportContact, body).channel == channel


def test_a_contact_records_at_least_who_made_it_and_what_the_problem_is_R3_7():
    """R3.7: the name and the problem are required; the contact details are the phone for a call
    (R3.2) and the room otherwise."""
    assert fields_of(intake_commands.ReportContact, report(reporter={"room": "3-1201"})) == [
        "reporter.name"
    ]
    assert fields_of(intake_commands.ReportContact, report(content=None)) == ["content"]


@pytest.mark.parametrize("kind", ["inquiry", "repair", "complaint", "paid_service"])
def test_reception_takes_inquiries_repairs_complaints_and_paid_services_R4_1_R4_9(kind):
    """R4.1: inquiries, repairs and complaints; R4.9: in v1 a paid service is a ticket of its own
    kind, `paid_service`."""
    assert parse_body(intake_commands.ReportContact, report(kind=kind)).kind == kind
    assert fields_of(intake_commands.ReportContact, report(kind="fee_payment")) == ["kind"]


@pytest.mark.parametrize("channel", ["phone", "hotline"])
def test_a_phone_contact_needs_the_callers_number_R3_2(channel):
    assert fields_of(intake_commands.ReportContact, report(channel=channel)) == ["reporter.phone"]
    with_phone = report(channel=channel, reporter={"name": "张三", "phone": "+86 138-0013-8000"})
    assert (
        parse_body(intake_commands.ReportContact, with_phone).reporter.phone == "+86 138-0013-8000"
    )


@pytest.mark.parametrize("phone", ["12", "call me", "1" * 25])
def test_a_phone_number_must_look_like_one(phone):
    body = report(reporter={"name": "张三", "phone": phone})
    assert fields_of(intake_commands.ReportContact, body) == ["reporter.phone"]


def test_an_appointment_must_end_after_it_starts_R3_4():
    window = {"start": "2026-11-10T14:00:00+08:00", "end": "2026-11-10T14:00:00+08:00"}
    assert fields_of(intake_commands.ReportContact, report(appointment=window)) == ["appointment"]
    window["end"] = "2026-11-10T16:00:00+08:00"
    assert (
        parse_body(intake_commands.ReportContact, report(appointment=window)).appointment
        is not None
    )


def test_times_must_carry_a_timezone():
    assert fields_of(intake_commands.ReportContact, report(received_at="2026-11-10T10:00:00")) == [
        "received_at"
    ]


def test_an_unsatisfied_follow_up_needs_a_comment_R11_2():
    body = {"staff_id": "S1", "ticket_id": TICKET, "satisfied": False, "score": 2}
    assert fields_of(intake_commands.RecordFollowUp, body) == ["comment"]
    satisfied = body | {"satisfied": True, "score": 4}
    assert parse_body(intake_commands.RecordFollowUp, satisfied).comment is None


@pytest.mark.parametrize(("satisfied", "score"), [(True, 1), (True, 3), (False, 4), (False, 5)])
def test_a_follow_up_whose_flag_contradicts_its_score_is_refused_on_the_score_R11_1(
    satisfied, score
):
    """One definition (shared/kernel/satisfaction.py): 4–5 is satisfied, 1–3 is not."""
    body = {"staff_id": "S1", "ticket_id": TICKET, "satisfied": satisfied, "score": score,
            "comment": "说明"}  # fmt: skip
    assert fields_of(intake_commands.RecordFollowUp, body) == ["score"]


@pytest.mark.parametrize(("score", "satisfied"), [(1, False), (3, False), (4, True), (5, True)])
def test_the_score_alone_says_whether_the_customer_is_satisfied_R11_1(score, satisfied):
    body = {"staff_id": "S1", "ticket_id": TICKET, "score": score, "comment": "说明"}
    assert parse_body(intake_commands.RecordFollowUp, body).satisfied is None
    assert is_satisfied(score) is satisfied


@pytest.mark.parametrize("score", [0, 6])
def test_a_follow_up_score_is_one_to_five_R11_1(score):
    """R11.7: the satisfaction the customer is asked for is recorded as a score of 1–5."""
    body = {"staff_id": "S1", "ticket_id": TICKET, "satisfied": True, "score": score}
    assert fields_of(intake_commands.RecordFollowUp, body) == ["score"]


@pytest.mark.parametrize("severity", ["major", "important", "minor"])
def test_a_valid_complaint_is_graded_major_important_or_minor_R5_2(severity):
    """R5.2: important, a fault of the company's management or service, is a grade of its own
    between major (R5.1) and minor (R5.3); no other grade is taken."""
    body = {"staff_id": "S1", "ticket_id": TICKET, "validity": "valid"}
    assert parse_body(intake_commands.ClassifyTicket, body | {"severity": severity}).severity == (
        severity
    )
    assert fields_of(intake_commands.ClassifyTicket, body | {"severity": "serious"}) == ["severity"]


def test_a_classification_must_change_something():
    assert fields_of(intake_commands.ClassifyTicket, {"staff_id": "S1", "ticket_id": TICKET}) == [
        "body"
    ]


def test_unknown_fields_are_refused_by_name():
    assert fields_of(intake_commands.ReportContact, report(priority="high")) == ["priority"]


def test_commands_are_frozen():
    cmd = parse_body(intake_commands.ReportContact, report())
    with pytest.raises(ValidationError):
        cmd.content = "changed"


@pytest.mark.parametrize("raw", [b"{not json", b'{"a": 1', b"\xff\xfe"])
def test_malformed_json_is_invalid_under_body(raw):
    assert fields_of(intake_commands.ReportContact, raw) == ["body"]


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"text"', b"42", b"null"])
def test_a_json_value_that_is_not_an_object_is_invalid_under_body(raw):
    assert fields_of(intake_commands.ReportContact, raw) == ["body"]


def test_an_empty_body_lists_every_required_field():
    assert set(fields_of(intake_commands.ResolveTicket, b"  ")) == {
        "staff_id",
        "ticket_id",
        "resolution",
    }


def test_the_error_reply_has_the_contract_shape():
    with pytest.raises(DeskError) as raised:
        parse_body(intake_commands.ReportContact, report(kind="help"))
    reply = raised.value.reply().model_dump(mode="json")
    assert reply["ok"] is False and reply["error"]["code"] == "invalid"
    assert reply["error"]["fields"][0]["field"] == "help_category"
    assert "help_category" in reply["error"]["message"]


def refusal_of(model, body) -> dict[str, dict[str, Any]]:
    """The error reply's field problems for `body`, by field."""
    with pytest.raises(DeskError) as raised:
        parse_body(model, body)
    error = raised.value.reply().model_dump(mode="json")["error"]
    return {f["field"]: f for f in error["fields"]}


def test_a_field_error_names_pydantic_s_check_and_its_numbers():
    body = report(content="漏" * 2001, channel="fax", reporter={"name": "张三", "room": "x"})
    body.pop("staff_id")
    found = refusal_of(intake_commands.ReportContact, body)
    assert found["content"] == {
        "field": "content",
        "message": "String should have at most 2000 characters",
        "type": "string_too_long",
        "ctx": {"max_length": 2000},
    }
    assert found["staff_id"]["type"] == "missing" and found["staff_id"]["ctx"] == {}
    assert found["channel"]["type"] == "enum"  # a vocabulary (docs/contract.md §5)
    assert "'phone'" in found["channel"]["ctx"]["expected"]


def test_a_rule_across_fields_is_a_value_error_on_the_field_it_names_R4_6():
    found = refusal_of(intake_commands.ReportContact, report(kind="help"))
    assert found["help_category"]["type"] == "value_error"
    assert found["help_category"]["ctx"] == {}  # the exception: its words are the message
    assert found["help_category"]["message"] == "help_category (A–G) is required when kind is help"


def test_a_service_s_own_rule_has_no_pydantic_type():
    found = refusal_of(intake_commands.ReportContact, b"{not json")
    assert found["body"]["type"] is None and found["body"]["ctx"] == {}


@pytest.mark.parametrize("site", ["hbw", "ab", "a1-park", "9" * 32, "x-"])
def test_well_formed_site_ids(site):
    assert is_valid_site(site)


@pytest.mark.parametrize("site", ["", "a", "HBW", "-ab", "a" * 33, "h.b", "h*", "h_b", "hbw\n"])
def test_malformed_site_ids(site):
    assert not is_valid_site(site)


def test_a_subject_with_a_malformed_site_is_invalid_under_site():
    assert request_site("desk.cmd.hbw.intake.report") == "hbw"
    with pytest.raises(DeskError) as raised:
        request_site("desk.cmd.HBW.intake.report")
    assert raised.value.fields[0].field == "site"


def _issued_event(schema_version: int, **data: Any) -> dict[str, Any]:
    return {
        "event_id": "6f1c0d4e-3b0a-5a8e-9c1e-0a7f1b2c3d4e",
        "event_type": "workorder.issued",
        "schema_version": schema_version,
        "site": "hbw",
        "aggregate_id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "aggregate_version": 1,
        "occurred_at": "2026-10-01T09:00:00+08:00",
        "recorded_at": "2026-10-01T01:00:00+00:00",
        "correlation_id": "c-1",
        "causation_id": None,
        "actor": "dispatch",
        "data": {
            "ticket_id": "2c4e28ba-2fa1-11d2-883f-0016d3cca427",
            "order_no": "hbw-202610-0001-W1",
            "origin": "automatic",
            "department": "engineering",
            "category": "plumbing",
            "urgency": "general",
            "scope": "household",
            "unit": "3-1201",
            "content": "水龙头漏水",
            "appointment": None,
            "leak": False,
            "rework_of": None,
            "free_of_charge": False,
            "reason": None,
        }
        | data,
    }


def test_a_schema_1_issued_order_reads_as_a_standard_one():
    event = parse_event(json.dumps(_issued_event(1)).encode())
    assert event.schema_version == 1 and event.data.non_standard is False


def test_a_schema_2_issued_order_reads_as_no_emergency():
    event = parse_event(json.dumps(_issued_event(2, non_standard=True)).encode())
    assert event.data.non_standard and event.data.emergency is False


def test_an_issued_order_of_a_schema_newer_than_the_reader_is_refused():
    assert parse_event(json.dumps(_issued_event(3, emergency=True)).encode()).data.emergency
    with pytest.raises(ValidationError):
        parse_event(json.dumps(_issued_event(4, emergency=True)).encode())


def test_every_intake_command_names_its_own_verb_reply_and_handler() -> None:
    """A verb is stated once, on its command: intake's subjects, replies and handlers follow."""
    from services.intake.application import IntakeApp
    from services.intake.entrypoint import COMMANDS
    from shared.contracts.commands import INTAKE_COMMANDS
    from shared.contracts.maintenance_commands import MAINTENANCE_COMMANDS
    from shared.contracts.promise_commands import PROMISE_COMMANDS
    from shared.contracts.resident_commands import RESIDENT_COMMANDS
    from shared.contracts.rounds import ROUND_COMMANDS
    from shared.contracts.shifts import SHIFT_COMMANDS
    from shared.contracts.violation_commands import VIOLATION_COMMANDS
    from shared.contracts.visits import VISIT_COMMANDS

    verbs = [cmd.verb for cmd in INTAKE_COMMANDS]
    assert len(set(verbs)) == len(verbs) == 16  # verify, accept_solution (issue 13); incidents
    rounds = [cmd.verb for cmd in ROUND_COMMANDS]  # plan_rounds, record_round (issue 16)
    cases = [cmd.verb for cmd in VIOLATION_COMMANDS]  # violation cases (issue 16)
    promises = [cmd.verb for cmd in PROMISE_COMMANDS]  # promises kept (issue 16)
    notices = [cmd.verb for cmd in MAINTENANCE_COMMANDS]  # maintenance notices (issue 16)
    shifts = [cmd.verb for cmd in SHIFT_COMMANDS]  # hand_over, shift_* (issue 16, contract §31)
    visits = [cmd.verb for cmd in VISIT_COMMANDS]  # visits and surveys (issue 16, contract §33)
    files = [cmd.verb for cmd in RESIDENT_COMMANDS]  # the resident and unit file (issue 16)
    added = [*promises, *notices, *shifts, *visits, *files]
    served = set(verbs) | set(rounds) | set(cases) | set(added)
    assert set(COMMANDS) == served
    assert len(COMMANDS) == 16 + 2 + len(cases) + len(added) == len(served)
    every = (
        *INTAKE_COMMANDS,
        *ROUND_COMMANDS,
        *VIOLATION_COMMANDS,
        *PROMISE_COMMANDS,
        *MAINTENANCE_COMMANDS,
        *SHIFT_COMMANDS,
        *VISIT_COMMANDS,
        *RESIDENT_COMMANDS,
    )
    assert all(cmd in IntakeApp.handlers and cmd.__doc__ for cmd in every)
    assert COMMANDS["report"][1].__name__ == "ReportReply"
