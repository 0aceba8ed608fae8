"""Emergency events (突发事件) in intake: what opens one, what it records, what closing needs
(R16.5, R4.10, R4.6; docs/INCIDENTS.md). Refused commands record nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from pydantic import ValidationError

from services.intake.adapters.translate import Translator
from services.intake.domain import Incident
from services.intake.domain.incident import incident_of_ticket
from shared.contracts import commands
from shared.contracts import incident_commands as ic
from shared.contracts.replies import ErrorCode
from tests.unit.conftest import rejected

T0 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)


def _open(**overrides) -> ic.OpenIncident:
    body = {
        "staff_id": "S017",
        "client_ref": "inc-0001",
        "kind": "power_cut",
        "place": "3号楼",
        "occurred_at": (T0 - timedelta(minutes=20)).isoformat(),
        "measure": "已联系电力公司抢修",
    } | overrides
    return ic.OpenIncident.model_validate(body)


def test_a_help_request_of_category_A_E_or_F_opens_an_incident_R16_5(app, ctx, report_cmd):
    for n, (help_category, kind) in enumerate((("A", "medical"), ("E", "crime"), ("F", "other"))):
        reply = app.execute(
            ctx,
            report_cmd(client_ref=f"help-{n}", kind="help", category=None,
                       help_category=help_category),
        )  # fmt: skip
        incident = app.get(incident_of_ticket("hbw", UUID(reply["ticket_id"])), Incident)
        assert (incident.kind, incident.place, incident.ticket_no) == (
            kind, "3-1201", reply["ticket_no"],
        )  # fmt: skip
        assert incident.incident_no == f"HBW-INC-202611-{n + 1:03d}" == reply["incident_no"]


def test_the_desk_says_what_a_category_F_help_request_is(app, ctx, report_cmd):
    reply = app.execute(
        ctx,
        report_cmd(kind="help", category=None, help_category="F", incident_kind="lift_entrapment"),
    )
    incident = app.get(incident_of_ticket("hbw", UUID(reply["ticket_id"])), Incident)
    assert incident.kind == "lift_entrapment"


def test_other_help_requests_open_no_incident(app, ctx, report_cmd):
    reply = app.execute(ctx, report_cmd(kind="help", category=None, help_category="G"))
    assert reply["incident_no"] is None
    assert app.get(incident_of_ticket("hbw", UUID(reply["ticket_id"])), Incident) is None
    with pytest.raises(ValidationError, match="incident_kind is only for"):
        report_cmd(kind="help", category=None, help_category="G", incident_kind="fire")


def test_classifying_a_ticket_as_help_F_opens_its_incident_once(app, ctx, report_cmd):
    ticket_id = app.execute(ctx, report_cmd())["ticket_id"]
    classify = commands.ClassifyTicket(
        staff_id="S017", ticket_id=ticket_id, kind="help", category=None, help_category="F"
    )
    app.execute(ctx, classify)
    app.execute(ctx, classify.model_copy(update={"help_category": "F"}))
    incident = app.get(incident_of_ticket("hbw", UUID(ticket_id)), Incident)
    assert incident is not None and incident.version == 1


def test_an_incident_records_measures_reports_up_and_closes_with_its_follow_up_R16_5(app, ctx):
    opened = app.execute(ctx, _open())
    assert (opened["incident_no"], opened["status"]) == ("HBW-INC-202611-001", "open")
    assert opened["alerted"] == ["department_supervisor/security", "project_manager"]
    ref = opened["incident_no"]  # its number names it, as its id does
    app.execute(ctx, ic.RecordIncidentMeasure(staff_id="S017", incident_id=ref, measure="广播通知"))
    app.execute(ctx, ic.ReportIncidentUp(staff_id="S017", incident_id=ref, to="project_manager"))
    closed = app.execute(
        ctx, ic.CloseIncident(staff_id="S017", incident_id=ref, follow_up="线路老化,已更换")
    )
    incident = app.get(UUID(opened["incident_id"]), Incident)
    assert closed["status"] == "closed" and incident.follow_up == "线路老化,已更换"
    assert [m["measure"] for m in incident.measures] == ["已联系电力公司抢修", "广播通知"]
    assert [r["to"] for r in incident.reports_up] == ["project_manager"]


def test_closing_needs_a_report_upward_first_and_records_nothing(app, ctx, recorded):
    ref = app.execute(ctx, _open())["incident_id"]
    close = ic.CloseIncident(staff_id="S017", incident_id=ref, follow_up="已处理")
    error = rejected(app, recorded, ctx, close)
    assert error.code is ErrorCode.invalid and "report the incident upward" in str(error)


def test_a_closed_incident_takes_no_more_measures(app, ctx, recorded):
    ref = app.execute(ctx, _open())["incident_id"]
    app.execute(ctx, ic.ReportIncidentUp(staff_id="S017", incident_id=ref, to="gm_office"))
    app.execute(ctx, ic.CloseIncident(staff_id="S017", incident_id=ref, follow_up="已处理"))
    measure = ic.RecordIncidentMeasure(staff_id="S017", incident_id=ref, measure="再次检查")
    assert rejected(app, recorded, ctx, measure).code is ErrorCode.conflict


def test_bad_times_are_refused_with_their_field(app, ctx, recorded):
    future = _open(occurred_at=(T0 + timedelta(hours=1)).isoformat())
    assert "occurred_at" in str(rejected(app, recorded, ctx, future))
    ref = app.execute(ctx, _open())["incident_id"]
    early = ic.RecordIncidentMeasure(
        staff_id="S017", incident_id=ref, measure="x", taken_at=T0 - timedelta(days=1)
    )
    assert "before the incident happened" in str(rejected(app, recorded, ctx, early))


def test_an_unknown_incident_is_not_found(app, ctx, recorded):
    measure = ic.RecordIncidentMeasure(staff_id="S1", incident_id="HBW-INC-202611-009", measure="x")
    assert rejected(app, recorded, ctx, measure).code is ErrorCode.not_found


def test_a_place_holding_a_phone_number_is_refused_at_the_edge():
    with pytest.raises(ValidationError):
        _open(place="13800138000")


def test_published_incident_text_is_masked_for_the_caller(app, ctx, report_cmd):
    reply = app.execute(ctx, report_cmd(kind="help", category=None, help_category="A"))
    incident_id = incident_of_ticket("hbw", UUID(reply["ticket_id"]))
    app.execute(
        ctx,
        ic.RecordIncidentMeasure(
            staff_id="S017", incident_id=str(incident_id), measure="张三已送医, 回电13800138000"
        ),
    )
    translate = Translator(app.reporters_of, app.ticket_of_incident)
    published = [translate(e) for e in app.events.get(incident_id)]
    assert [p.event_type for p in published] == ["incident.opened", "incident.measure_recorded"]
    assert published[0].data.help_category == "A" and published[0].data.ticket_no
    text = published[1].data.measure
    assert "张三" not in text and "13800138000" not in text


def _close(app, ctx, ref: str) -> None:
    """Record what closing needs (R16.5) and close the incident."""
    app.execute(ctx, ic.RecordIncidentMeasure(staff_id="S017", incident_id=ref, measure="已排水"))
    app.execute(ctx, ic.ReportIncidentUp(staff_id="S017", incident_id=ref, to="project_manager"))
    app.execute(ctx, ic.CloseIncident(staff_id="S017", incident_id=ref, follow_up="张三家已恢复"))


def test_closing_the_incident_answers_the_help_request_that_reported_it_R10_2_R16_5(
    app, ctx, report_cmd
):
    reply = app.execute(ctx, report_cmd(kind="help", category=None, help_category="F"))
    ticket_id = UUID(reply["ticket_id"])
    _close(app, ctx, reply["incident_no"])
    ticket = app.ticket(ticket_id)
    assert ticket.reply_count == 1 and ticket.status == "received"  # answered, not resolved
    translate = Translator(app.reporters_of, app.ticket_of_incident)
    [replied] = [
        p for p in map(translate, app.events.get(ticket_id)) if p.event_type == "ticket.replied"
    ]
    assert replied.data.first is True and reply["incident_no"] in replied.data.message
    assert "张三" not in replied.data.message  # the caller's name, masked when published


def test_a_help_request_answered_before_the_incident_closes_is_not_answered_again_R10_2(
    app, ctx, report_cmd
):
    reply = app.execute(ctx, report_cmd(kind="help", category=None, help_category="A"))
    app.execute(
        ctx,
        commands.ReplyToCustomer(
            staff_id="S017", ticket_id=reply["ticket_id"], message="救护车已在路上"
        ),
    )
    _close(app, ctx, reply["incident_no"])
    assert app.ticket(UUID(reply["ticket_id"])).reply_count == 1


def test_closing_answers_a_help_request_the_desk_named_but_no_other_kind_R10_2(
    app, ctx, report_cmd
):
    help_g = app.execute(ctx, report_cmd(client_ref="g-1", kind="help", category=None,
                                         help_category="G"))  # fmt: skip
    repair = app.execute(ctx, report_cmd(client_ref="r-1"))
    for n, ticket in enumerate((help_g, repair)):
        opened = app.execute(ctx, _open(client_ref=f"inc-{n}", ticket_id=ticket["ticket_no"]))
        _close(app, ctx, opened["incident_no"])
    assert app.ticket(UUID(help_g["ticket_id"])).reply_count == 1
    assert app.ticket(UUID(repair["ticket_id"])).reply_count == 0  # no reply clock to stop


def test_a_help_request_no_longer_open_is_left_as_it_is(app, ctx, report_cmd):
    reply = app.execute(ctx, report_cmd(kind="help", category=None, help_category="E"))
    app.execute(
        ctx,
        commands.CancelTicket(
            staff_id="S017", ticket_id=reply["ticket_id"], reason="withdrawn", note="打错了"
        ),
    )
    _close(app, ctx, reply["incident_no"])  # closing is not refused by the ticket's state
    assert app.ticket(UUID(reply["ticket_id"])).reply_count == 0
