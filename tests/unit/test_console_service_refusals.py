"""A body the service's contract refused, as the console tells the person (adapters/desk.py,
domain/refusal.py): the service's error reply names each field's pydantic check by its type
(docs/contract.md §3), so the console says it exactly as it says its own check of the form —
the form's label, the check in Chinese with its numbers and choices, pydantic's words after them.
The reply is the service's own (shared/messaging/rpc.py parse_body) through JSON, the console's
own refusal the same body's checked by forms.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from services.console.adapters.desk import Desk
from services.console.application.forms import refusal_of
from services.console.domain.refusal import Refused
from shared.contracts.commands import RecordFollowUp, ReportContact
from shared.contracts.escalation_commands import AcknowledgeNotification
from shared.contracts.incident_commands import OpenIncident
from shared.contracts.maintenance_commands import AnnounceNotice
from shared.messaging.errors import DeskError
from shared.messaging.rpc import parse_body

STAFF = {"staff_id": "HB-S01", "command_id": "console-abcdefghijklmnopqrstuvwx"}
REPAIR = {"client_ref": "c-1", "channel": "phone", "kind": "repair", "category": "plumbing",
          "reporter": {"name": "张先生", "phone": "13700002222", "room": "2-0101"},
          "content": "厨房漏水"}  # fmt: skip
NOTICE = {"client_ref": "n-1", "kind": "water_outage", "scope": {"buildings": ["3"]},
          "starts_at": "2026-12-07T09:00+08:00", "expected_end": "2026-12-07T12:00+08:00",
          "text": "停水检修"}  # fmt: skip


class ServiceBus:
    """The bus to a service that checks each command's body against its contract model, as
    the services' request handlers do, and answers with the contract's error reply."""

    def __init__(self, models: dict[str, type]) -> None:
        self.models = models

    async def request(self, subject: str, body: dict[str, Any], timeout: float) -> dict:
        verb = subject.rsplit(".", 1)[-1]
        try:
            parse_body(self.models[verb], json.dumps(body).encode())
        except DeskError as exc:
            return json.loads(json.dumps(exc.reply().model_dump(mode="json")))
        raise AssertionError(f"{subject}: the body was accepted")


# (service, command, a body its contract refuses): a vocabulary of a form that names its own,
# a length, a row of a list, a number's bound, a time, an identifier's format
REFUSED = [
    ("intake", OpenIncident, {"client_ref": "i-1", "kind": "storm", "place": "3栋",
                              "occurred_at": "2026-12-01T09:00+08:00", "measure": "疏散"}),
    ("intake", AnnounceNotice, NOTICE | {"kind": "gas", "text": "停" * 2001}),
    ("intake", AnnounceNotice, NOTICE | {"scope": {"units": ["3-101", ""]}, "starts_at": "明天"}),
    ("intake", ReportContact, REPAIR | {"channel": "fax", "reporter": {"name": "张先生"}}),
    ("intake", RecordFollowUp, {"ticket_id": "HBW-202611-0001", "score": 9, "comment": "好"}),
    ("escalation", AcknowledgeNotification, {"notification_id": "x", "note": "很" * 501}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("service", "command", "body"),
    REFUSED,
    ids=[f"{c.__name__}-{i}" for i, (_, c, _) in enumerate(REFUSED)],
)
async def test_a_body_the_service_refused_reads_as_the_console_s_own_check_of_it(
    service: str, command: Any, body: dict[str, Any]
) -> None:
    verb = command.verb if service != "escalation" else "ack"
    desk = Desk(ServiceBus({verb: command}))  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as checked:
        command.model_validate(body | STAFF)
    own = refusal_of(checked.value)

    with pytest.raises(Refused) as refused:
        await desk.command("hbw", service, verb, "HB-S01", body, STAFF["command_id"])

    assert refused.value.shown == own.shown
    assert refused.value.status == 400
    assert [f["label"] for f in refused.value.fields] == [f["label"] for f in own.fields]


async def test_a_rule_across_fields_is_said_as_the_console_says_it_on_the_field_it_names() -> None:
    """The console's own check names no field for a rule across them (its form as a whole);
    the service names the field the rule names first (docs/contract.md §3)."""
    body = NOTICE | {"expected_end": "2026-12-07T08:00+08:00"}
    desk = Desk(ServiceBus({"maintenance_announce": AnnounceNotice}))  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as checked:
        AnnounceNotice.model_validate(body | STAFF)
    [own] = refusal_of(checked.value).fields

    with pytest.raises(Refused) as refused:
        await desk.command("hbw", "intake", "maintenance_announce", "HB-S01", body)

    [field] = refused.value.fields
    assert (
        field["said"]
        == own["said"]
        == ("预计恢复/完工时间须晚于开始时间（expected_end must be after starts_at）")
    )
    assert (field["label"], own["label"]) == ("预计恢复/完工时间", "")


async def test_a_form_s_own_label_and_choices_name_the_service_s_refusal() -> None:
    desk = Desk(ServiceBus({"incident_open": OpenIncident}))  # type: ignore[arg-type]
    with pytest.raises(Refused) as refused:
        await desk.command("hbw", "intake", "incident_open", "HB-S01", REFUSED[0][2])
    [kind] = refused.value.fields
    assert (kind["field"], kind["type"], kind["label"]) == ("kind", "enum", "类型")
    assert kind["said"].startswith("请从列表中选择：火灾")
    assert refused.value.shown.startswith("填写有误：请检查以下字段（类型：请从列表中选择：火灾")


async def test_a_length_the_service_refused_says_its_limit_in_chinese() -> None:
    desk = Desk(ServiceBus({"ack": AcknowledgeNotification}))  # type: ignore[arg-type]
    body = {"notification_id": "6eb79cef-3d22-5d13-9c6b-cb0aca089d27", "note": "很" * 501}
    with pytest.raises(Refused) as refused:
        await desk.command("hbw", "escalation", "ack", "HB-S01", body)
    assert refused.value.shown == (
        "填写有误：请检查以下字段（说明：最多 500 个字"
        "（String should have at most 500 characters））"
    )


def test_a_service_s_own_rule_is_still_read_by_its_words() -> None:
    said = "the fee must be the accepted quote of 80.00"
    error = {"code": "invalid", "message": said,
             "fields": [{"field": "fee", "message": said, "type": None, "ctx": {}}]}  # fmt: skip
    refused = Refused.of_reply(error, "CompleteOrder")
    assert refused.shown == f"填写有误：费用须等于客户已接受的报价 80.00 元（{said}）"


def test_a_reply_of_a_service_that_names_no_type_reads_as_before() -> None:
    error = {"code": "invalid", "message": "invalid command: note: String should have at most "
             "500 characters", "fields": [{"field": "note",
             "message": "String should have at most 500 characters"}]}  # fmt: skip
    refused = Refused.of_reply(error)
    assert refused.shown == (
        "填写有误：invalid command: note: String should have at most 500 characters"
        "（说明：String should have at most 500 characters）"
    )
