"""The console's forms as contract bodies (services/console/application/forms.py) and the times
it shows (adapters/templating.py): blank fields left out, times typed in the browser read in the
site's zone, keys that never look like a phone number."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from services.console.adapters.templating import time_left
from services.console.application.forms import action_body, new_client_ref, order_body, report_body
from services.console.domain.refusal import Refused
from shared.contracts.commands import ReportContact

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_intake_form_becomes_a_report_the_contract_accepts() -> None:
    form = {
        "client_ref": "console-abc", "channel": "phone", "kind": "repair", "category": "plumbing",
        "help_category": "", "name": " 李四 ", "phone": "13912345678", "room": "",
        "content": "漏水",
        "appointment_start": "2026-11-25T14:00", "appointment_end": "2026-11-25T16:00",
    }  # fmt: skip
    body = report_body(form, SHANGHAI)
    assert body["reporter"] == {"name": "李四", "phone": "13912345678", "room": None}
    assert "help_category" not in body and "category" in body
    assert body["appointment"]["start"] == "2026-11-25T14:00:00+08:00"
    ReportContact.model_validate({**body, "staff_id": "HB-S01"})


def test_a_time_that_is_not_a_time_is_refused_naming_its_field() -> None:
    form = {"channel": "visit", "kind": "repair", "content": "x", "appointment_start": "明天"}
    with pytest.raises(Refused) as refused:
        report_body(form, SHANGHAI)
    assert refused.value.fields[0]["field"] == "appointment.start"


def test_scores_and_ratings_are_numbers_and_a_step_defaults_to_the_person() -> None:
    assert action_body("follow_up", {"score": "5", "comment": ""}) == {"score": 5}
    with pytest.raises(Refused):
        action_body("follow_up", {"score": "很好"})
    assert order_body("collect", {}, "HB-T01") == {"collected_by": "HB-T01"}
    assert order_body("sign_off", {"quality": "4", "attitude": "5"}, "HB-T01") == {
        "quality": 4, "attitude": 5,
    }  # fmt: skip


def test_an_unsatisfied_follow_up_needs_what_the_customer_said_R11_2() -> None:
    # 3 and below reopens the case (R11.1): whoever takes it again needs the customer's words
    for score in ("3", "2", "1"):
        with pytest.raises(Refused) as refused:
            action_body("follow_up", {"score": score, "comment": "  "})
        (field,) = refused.value.fields
        assert (field["field"], field["label"], field["message"]) == (
            "comment",
            "客户意见",
            "不满意时必填",
        )
    assert action_body("follow_up", {"score": "2", "comment": "漏水未修好"}) == {
        "score": 2, "comment": "漏水未修好",
    }  # fmt: skip
    assert action_body("follow_up", {"score": "4"}) == {"score": 4}  # satisfied: no comment due


def test_a_forms_key_has_no_digits_to_look_like_a_phone_number() -> None:
    assert all(re.fullmatch(r"console-[a-z]{24}", new_client_ref()) for _ in range(50))


def test_time_left_counts_down_then_says_how_late() -> None:
    now = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    assert time_left("2026-11-26T09:00:00+08:00", now) == "剩余 3天"
    assert time_left("2026-11-23T11:00:00+08:00", now) == "剩余 2小时"
    assert time_left("2026-11-24T09:05:00+08:00", now) == "剩余 1天5分"
    assert time_left("2026-11-23T09:00:20+08:00", now) == "剩余 0分"
    assert time_left("2026-11-23T09:02:00+08:00", now) == "剩余 2分"
    assert time_left("2026-11-23T07:30:00+08:00", now) == "已超时 1小时30分"
