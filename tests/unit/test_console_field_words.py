"""A refused form's fields as the receptionist reads them (field_words.py): the form's label for
the contract's path, pydantic's check in Chinese by its type with pydantic's words after it, and
whatever the console does not know shown as it came. Built with the contracts' own models, so a
contract that changes a check shows here."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from services.console.application.forms import refusal_of
from services.console.domain.field_words import checked_in_chinese, label
from services.console.domain.refusal import Refused, field_message
from shared.contracts.commands import RecordFollowUp, ReportContact
from shared.contracts.incident_commands import OpenIncident

REPAIR = {"client_ref": "c-1", "channel": "phone", "kind": "repair", "category": "plumbing",
          "reporter": {"name": "张先生", "phone": "13700002222", "room": "2-0101"},
          "content": "厨房漏水", "staff_id": "HB-S01"}  # fmt: skip


def errors_of(model: type, body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    with pytest.raises(ValidationError) as refused:
        model.model_validate(body)
    return {".".join(map(str, e["loc"])): e for e in refused.value.errors()}


def test_a_contract_s_field_reads_as_the_form_labels_it() -> None:
    assert label("reporter.phone") == "联系电话"
    assert label("appointment.start") == "预约上门开始"
    assert label("technician") == "技术员工号"
    assert label("to_staff") == "移交给（工号）"


def test_a_form_that_labels_a_field_its_own_way_is_read_with_its_label() -> None:
    assert label("kind") == "类别"
    assert label("kind", "AnnounceNotice") == "类型"
    assert label("appointment.start", "Reschedule") == "新预约开始"
    assert label("measure", "OpenIncident") == "已采取的措施"


def test_a_row_of_a_list_is_counted_from_one() -> None:
    assert label("findings.0.description") == "问题描述（第 1 项）"
    assert label("phones.2") == "电话（第 3 项）"


def test_a_path_the_console_does_not_know_is_shown_as_it_came() -> None:
    assert label("reporter.fax") == "reporter.fax"
    assert label("findings.0.colour") == "findings.0.colour"


def test_pydantic_s_checks_read_in_chinese_with_their_numbers() -> None:
    body = REPAIR | {"reporter": {"name": "张" * 51, "phone": "12"}, "zzz": 1}
    body.pop("content")
    found = errors_of(ReportContact, body)
    assert checked_in_chinese(found["content"]) == "必填"
    assert checked_in_chinese(found["reporter.name"]) == "最多 50 个字"
    assert checked_in_chinese(found["reporter.phone"]) == "格式不正确"
    assert checked_in_chinese(found["zzz"]) == "此项不属于该表单"


def test_a_choice_outside_the_list_names_the_choices_in_chinese() -> None:
    found = errors_of(ReportContact, REPAIR | {"channel": "fax"})
    said = checked_in_chinese(found["channel"], "ReportContact")
    assert said is not None and said.startswith("请从列表中选择：来电、来访、信访")
    kind = errors_of(OpenIncident, {"client_ref": "i-1", "kind": "storm", "place": "3栋",
                                    "occurred_at": "2026-12-01T09:00+08:00",
                                    "staff_id": "HB-S01"})["kind"]  # fmt: skip
    assert "火灾" in str(checked_in_chinese(kind, "OpenIncident"))


def test_numbers_and_times_read_in_chinese() -> None:
    ticket = {"ticket_id": "t-1", "staff_id": "HB-S01", "comment": "好"}
    assert checked_in_chinese(errors_of(RecordFollowUp, ticket | {"score": 9})["score"]) == (
        "不能大于 5"
    )
    assert checked_in_chinese(errors_of(RecordFollowUp, ticket | {"score": 0})["score"]) == (
        "不能小于 1"
    )
    assert checked_in_chinese(errors_of(RecordFollowUp, ticket | {"score": "x"})["score"]) == (
        "应为整数"
    )
    when = errors_of(ReportContact, REPAIR | {"appointment": {"start": "明天", "end": "x"}})
    assert checked_in_chinese(when["appointment.start"]) == "时间格式不正确"


def test_a_check_the_console_does_not_know_is_shown_in_pydantic_s_words() -> None:
    error = {"type": "something_new", "loc": ("content",), "msg": "Something new", "ctx": {}}
    assert checked_in_chinese(error) is None
    assert field_message(error) == "Something new"


def test_a_refused_form_lists_each_field_by_its_label_chinese_first() -> None:
    body = REPAIR | {"reporter": {"name": "张先生", "phone": "12"}}
    with pytest.raises(ValidationError) as exc:
        ReportContact.model_validate(body)
    refused = refusal_of(exc.value)
    [field] = refused.fields
    assert (field["field"], field["label"]) == ("reporter.phone", "联系电话")
    assert field["message"].startswith("格式不正确（String should match pattern")
    assert refused.shown.startswith("填写有误：请检查以下字段（联系电话：格式不正确（String should")


def test_a_service_s_refused_field_is_labelled_and_its_rule_read_in_chinese() -> None:
    said = "a quote needs a positive amount"
    refused = Refused("invalid", "invalid command", [{"field": "amount", "message": said}])
    assert refused.shown == (
        "填写有误：invalid command"
        "（金额（元）：报价金额须大于 0（a quote needs a positive amount））"
    )
