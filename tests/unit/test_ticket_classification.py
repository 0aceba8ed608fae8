"""Classifying a ticket (分析界定, R6.2): validity and severity are for complaints only, and a
communicative complaint is a class of its own (R5.1–R5.6, decision C10); help needs A–G (R4.6)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.intake.domain import RuleError

AT = datetime(2026, 11, 10, 5, 0, tzinfo=UTC)
META = {"actor": "S017", "correlation_id": "corr-1", "causation_id": None}


def classify(ticket, **changes):
    ticket.classify(at=AT, meta=META, **changes)
    return ticket


def refused(ticket, **changes) -> str:
    """The field named by the RuleError; the ticket must be left as it was."""
    before = (ticket.version, ticket.status, ticket.kind, ticket.validity, ticket.severity)
    with pytest.raises(RuleError) as raised:
        ticket.classify(at=AT, meta=META, **changes)
    assert (ticket.version, ticket.status, ticket.kind, ticket.validity, ticket.severity) == before
    return raised.value.field


def test_a_valid_complaint_carries_its_severity_R5_1_R5_5(make_ticket):
    ticket = classify(make_ticket(kind="complaint"), validity="valid", severity="major")
    assert (ticket.status, ticket.validity, ticket.severity) == ("classified", "valid", "major")
    assert ticket.communicative_type is None


def test_a_communicative_complaint_carries_its_type_and_no_severity_R5_6(make_ticket):
    ticket = classify(
        make_ticket(kind="complaint"), validity="communicative", communicative_type="venting"
    )
    assert (ticket.validity, ticket.communicative_type) == ("communicative", "venting")
    assert ticket.severity is None


def test_a_communicative_complaint_needs_its_type_R5_6(make_ticket):
    assert refused(make_ticket(kind="complaint"), validity="communicative") == "communicative_type"


def test_a_communicative_complaint_has_no_severity_decision_C10(make_ticket):
    field = refused(
        make_ticket(kind="complaint"),
        validity="communicative",
        communicative_type="inquiry",
        severity="minor",
    )
    assert field == "severity"


def test_a_communicative_type_needs_validity_communicative_C10(make_ticket):
    field = refused(make_ticket(kind="complaint"), validity="valid", communicative_type="venting")
    assert field == "communicative_type"


@pytest.mark.parametrize(
    ("field", "value"),
    [("validity", "valid"), ("severity", "major"), ("communicative_type", "venting")],
)
def test_complaint_only_fields_are_refused_for_other_kinds_R5_5(make_ticket, field, value):
    assert refused(make_ticket(kind="repair"), **{field: value}) == field


def test_complaint_fields_are_refused_when_the_same_command_changes_the_kind_away(make_ticket):
    assert refused(make_ticket(kind="complaint"), kind="inquiry", severity="minor") == "severity"


def test_a_help_request_needs_its_category_A_to_G_R4_6(make_ticket):
    assert refused(make_ticket(kind="repair"), kind="help") == "help_category"


def test_a_help_request_is_classified_with_its_category_R4_6(make_ticket):
    ticket = classify(make_ticket(kind="repair"), kind="help", help_category="F")
    assert (ticket.kind, ticket.help_category) == ("help", "F")


def test_turning_a_help_request_into_another_kind_drops_its_help_category(make_ticket):
    ticket = classify(make_ticket(kind="help", help_category="B"), kind="repair")
    assert (ticket.kind, ticket.help_category) == ("repair", None)


def test_omitted_fields_keep_their_current_value(make_ticket):
    ticket = classify(make_ticket(kind="complaint"), validity="valid", severity="important")
    classify(ticket, category="security")
    assert (ticket.kind, ticket.category) == ("complaint", "security")
    assert (ticket.validity, ticket.severity) == ("valid", "important")


def test_a_reopened_ticket_can_be_classified_again(make_ticket):
    ticket = make_ticket()
    ticket.resolve(at=AT, meta=META, resolution="done")
    ticket.reopen(at=AT, meta=META, reason="再次漏水")
    classify(ticket, category="electrical")
    assert (ticket.status, ticket.category, ticket.reopen_count) == ("classified", "electrical", 1)


def test_a_communicative_complaint_later_found_valid_can_be_reclassified_R5_5_C10(make_ticket):
    ticket = classify(
        make_ticket(kind="complaint"), validity="communicative", communicative_type="help_seeking"
    )
    classify(ticket, validity="valid", severity="important")
    assert (ticket.validity, ticket.severity) == ("valid", "important")
    assert ticket.communicative_type is None


def test_a_complaint_reclassified_as_an_inquiry_loses_its_complaint_fields(make_ticket):
    ticket = classify(make_ticket(kind="complaint"), validity="valid", severity="minor")
    classify(ticket, kind="inquiry")
    assert ticket.kind == "inquiry"
    assert (ticket.validity, ticket.communicative_type, ticket.severity) == (None, None, None)


def test_a_contradictory_reclassification_is_refused_not_quietly_fixed(make_ticket):
    ticket = classify(make_ticket(kind="complaint"), validity="valid", severity="minor")
    assert refused(ticket, kind="inquiry", severity="major") == "severity"
    assert refused(ticket, kind="repair", help_category="B") == "help_category"
