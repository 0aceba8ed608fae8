"""The console's round and violation-case forms as contract bodies (services/console/application/
case_desk.py): a point a finding names is not ok, every other is (R13.14); empty finding rows are
left out; a bad form is refused before anything is sent, naming its field."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from services.console.application.case_desk import open_body, round_body, step_body
from services.console.domain.refusal import Refused
from shared.contracts.rounds import RecordRound
from shared.contracts.violation_commands import OpenViolation, RecordMeasure

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = "2026-11-23T09:00:00+08:00"


def test_the_round_form_marks_the_points_its_findings_name_R13_14() -> None:
    form = {
        "round_ref": "console-r1", "round_type": "scheduled", "slot": "daily-check",
        "area": "全小区", "started_at": "2026-11-23T08:00", "ended_at": "",
        "points": "大堂\r\n电梯\n\n垃圾房", "f0_point": "垃圾房", "f0_type": "violation",
        "f0_location": "5-101", "f0_description": "堆放装修垃圾", "f0_violation_class": "major",
        "f1_point": "", "f1_description": "", "f2_point": "绿化", "f2_type": "facility",
        "f2_category": "greening", "f2_description": "草坪损坏", "f2_fixed_on_spot": "1",
        "f2_measures": "已补种",
    }  # fmt: skip
    body = round_body(form, SHANGHAI, NOW)
    assert body["started_at"] == "2026-11-23T08:00:00+08:00" and body["ended_at"] == NOW
    assert body["points"] == [
        {"point": "大堂", "ok": True}, {"point": "电梯", "ok": True},
        {"point": "垃圾房", "ok": False}, {"point": "绿化", "ok": False},
    ]  # fmt: skip
    violation, fixed = body["findings"]
    assert violation["violation_class"] == "major" and "fixed_on_spot" not in violation
    assert fixed["fixed_on_spot"] is True and fixed["measures"] == "已补种"
    RecordRound.model_validate(body | {"staff_id": "HB-CS1"})


def test_a_bad_time_is_refused_naming_its_field() -> None:
    with pytest.raises(Refused) as refused:
        round_body({"started_at": "yesterday"}, SHANGHAI, NOW)
    assert refused.value.fields[0]["field"] == "started_at"


def test_the_case_forms_become_the_contracts_commands_R14_3() -> None:
    body = open_body({"client_ref": "console-v1", "violation_class": "general",
                      "category": "fire", "place": "3栋消防通道", "description": "杂物堵塞",
                      "offender_name": "", "offender_phone": ""}, SHANGHAI)  # fmt: skip
    assert body["offender"] is None and body["observed_at"] is None
    OpenViolation.model_validate({k: v for k, v in body.items() if v is not None}
                                 | {"staff_id": "S01"})  # fmt: skip
    measure = step_body("measure", {"measure": "rectify", "due_on": "2026-11-30", "note": ""})
    RecordMeasure.model_validate({"case": "console-v1", "staff_id": "S01"}
                                 | {k: v for k, v in measure.items() if v is not None})  # fmt: skip
    assert step_body("mediate", {"failed": "1"})["failed"] is True
    assert step_body("sign", {}) == {}
