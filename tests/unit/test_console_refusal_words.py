"""The services' refusals the console reads in Chinese (refusal_words.py) are the ones the
services really write: built here with the services' own classes, so a reworded refusal shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from services.console.domain.refusal import Refused
from services.console.domain.refusal_words import CHECKS, RULES, explained, in_chinese
from services.console.domain.transition_words import WHAT
from shared.kernel.refusals import TransitionError
from shared.kernel.staff import PERMISSIONS, acknowledging
from shared.kernel.vocabulary import Role


def test_a_step_the_status_does_not_allow_names_the_status_and_the_step() -> None:
    said = str(TransitionError("sign_off", "awaiting_acceptance", "a work order"))
    assert in_chinese(said) == "派工单当前为“待验收”，不能客户评价签认"
    assert in_chinese(str(TransitionError("cancel", "arrived", "a work order"))) == (
        "派工单当前为“已到场”，不能取消"
    )
    assert in_chinese(str(TransitionError("reopen", "received", "a ticket"))) == (
        "工单当前为“已受理”，不能重新处理"
    )


def test_a_role_refused_is_told_who_may_and_what_they_are_R6_3() -> None:
    said = acknowledging(Role.department_supervisor).refusal("HB-CS1", Role.cs_assistant)
    assert explained(said).startswith(
        "此操作须由部门主管、项目经理、总经理办公会进行；HB-CS1 的岗位是辖区客服助理（R6.3–R6.7）"
    )
    reveal = PERMISSIONS["intake.reveal_contact"].refusal("HB-T01", Role.technician)
    assert in_chinese(reveal) is not None


ROOT = Path(__file__).parents[2]


def _sources(*folders: str) -> str:
    """The folders' Python, each string literal joined with the one it continues on the next
    line (a long refusal is written in two)."""
    text = "".join(
        path.read_text(encoding="utf-8") for f in folders for path in (ROOT / f).glob("*.py")
    )
    return re.sub(r'"\s*\n\s*"', "", text)


@pytest.mark.parametrize("text", sorted(RULES))
def test_each_rule_the_console_translates_is_one_a_service_writes(text: str) -> None:
    sources = _sources(
        "services/intake/domain", "services/intake/application", "services/dispatch/domain"
    )
    assert f'"{text}"' in sources, text


def test_a_mistyped_staff_id_says_to_choose_from_the_list() -> None:
    # dispatch's words (services/dispatch/application.py `_listed`)
    for said in ("technician HB-XX9 is not on the staff list of hbw",
                 "collected_by HB-XX9 is not on the staff list of hbw"):  # fmt: skip
        assert in_chinese(said) == "工号 HB-XX9 不在本项目员工名单中，请从名单中选择"


@pytest.mark.parametrize("text", sorted(CHECKS))
def test_each_check_the_console_translates_is_one_a_contract_writes(text: str) -> None:
    assert f'"{text}"' in _sources("shared/contracts"), text


@pytest.mark.parametrize(
    ("refusal", "chinese"),
    [
        (TransitionError("close", "closed", "an incident"), "突发事件当前为“已结案”，不能结案"),
        (TransitionError("record a measure on", "closed", "an incident"),
         "突发事件当前为“已结案”，不能登记处理措施"),
        (TransitionError("cancel", "restored", "a notice"), "通告当前为“已恢复”，不能取消"),
        (TransitionError("revise", "done", "a notice"), "通告当前为“已完工”，不能更新预计恢复时间"),
        (TransitionError("keep", "broken", "a promise"), "承诺当前为“未兑现”，不能登记已兑现"),
        (TransitionError("write in", "closed", "a shift log"),
         "交接班记录当前为“已交班，待签字”，不能记录"),
        (TransitionError("sign", "open", "a shift log"), "交接班记录当前为“记录中”，不能签字接班"),
        (TransitionError("reclassify", "closed", "a violation case"),
         "违例案件当前为“已结案”，不能重新定级"),
        (TransitionError("sign", "signed already", "a penalty"),
         "处罚当前为“经理已签署”，不能再次签署"),
        (TransitionError("cancel", "cancelled", "a work order"), "派工单当前为“已取消”，不能取消"),
    ],
)  # fmt: skip
def test_a_step_refused_by_a_record_s_status_names_the_record_its_status_and_the_step(
    refusal: Exception, chinese: str
) -> None:
    assert in_chinese(str(refusal)) == chinese


def test_every_kind_of_record_a_refused_step_names_reads_in_chinese() -> None:
    for what in WHAT:
        said = in_chinese(str(TransitionError("fly", "somewhere", what)))
        assert said is not None and "somewhere" in said and "fly" in said, what


# the services' refusals with what they name, written as the services write them
WRITTEN = [
    ("staff HB-X9 is not on the staff list of hbw", "工号 HB-X9 不在本项目员工名单中"),
    ("unknown category pool for site hbw", "本项目没有这个分类：pool"),
    ("violation case v-1 not found", "找不到违例案件：v-1"),
    ("shift log 12-01 08:00 not found", "找不到交接班记录：12-01 08:00"),
    ("a ticket already has the client_ref 'abc'", "编号 'abc' 已用于另一工单：请勿重复提交"),
    ("taken_at lies in the future", "采取时间不能晚于现在"),
    ("reported_at is before the incident happened", "上报时间不能早于事件发生时间（R16.5）"),
    ("site hbw requires at least 2 phone numbers (R16.3)",
     "本项目的住户档案须登记至少 2 个电话（R16.3）"),
    ("unit 3-201 is registered already: correct it with unit_correct",
     "房屋 3-201 已登记：请选“更正”修改"),
    ("resident r-1 is registered already: correct the file with resident_correct",
     "档案 r-1 已登记：请选“更正”修改"),
    ("lobby-3 is a public area, not a home (R16.4)",
     "lobby-3 是公共区域，不是住宅，不能登记入住（R16.4）"),
    ("resident r-1 lives in 3-201 already", "住户 r-1 已登记入住 3-201"),
    ("resident r-1 does not live in 3-201", "住户 r-1 没有登记入住 3-201"),
    ("resident r-1 is not flagged for special care", "住户 r-1 没有标记为特殊关怀"),
    ("the plan of 2026-12 has no slot night-1", "2026-12 的巡查计划中没有时段 night-1"),
    ("12-01 09:30 starts no shift of the site (shifts start at 08:00, 20:00)",
     "12-01 09:30 不是本项目的班次开始时间（班次开始于 08:00, 20:00）"),
    ("shift 12-02 08:00 has not started yet", "班次 12-02 08:00 还没有开始"),
    ("a shift log holds at most 200 entries", "一个班次的交接班记录最多 200 条（R15.10）"),
    ("HB-S02 has signed this handover already", "HB-S02 已签过这份交接班记录（R15.9）"),
    ("violation case v-1 is open already: 1f2e", "违例案件 v-1 已在处理中"),
    ("due_on 2026-11-30 is before today (2026-12-01)", "期限 2026-11-30 早于今天（2026-12-01）"),
    ("compensation needs rectify first (R14.3)", "赔偿经济损失之前须先限期整改（R14.3）"),
    ("compensation is for a loss: a general case caused none (R14.2)",
     "赔偿经济损失只用于造成损失的案件：一般违例没有损失（R14.2）"),
    ("the case is major already", "案件已是重大违章"),
    ("looks like a phone number: it is published, so no personal data (R15.4)",
     "像是电话号码：此项会公开，不能含个人信息（R15.4）"),
    ("must lie in the years 1970–2999", "年份须在 1970–2999 之间"),
    ("give at least one of phone, unit_ref", "请至少填写一项：来电号码、入住房屋"),
    ("a point not ok has a finding: 3号楼大堂", "不合格的检查点须登记发现的问题：3号楼大堂"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "chinese"), WRITTEN)
def test_a_service_s_refusal_naming_what_it_refused_reads_in_chinese(
    text: str, chinese: str
) -> None:
    assert in_chinese(text) == chinese
    assert explained(text) == f"{chinese}（{text}）"


def test_an_unknown_refusal_is_shown_as_the_service_said_it() -> None:
    assert explained("something new went wrong") == "something new went wrong"


def test_a_rework_of_an_ended_tickets_order_says_to_reopen_the_ticket_first() -> None:
    # dispatch's words (services/dispatch/application.py `_rework`), not read as a step refused
    said = "cannot rework an order of a ticket that is closed; reopen it"
    assert in_chinese(said) == "工单当前为“已关闭”，不能返修：请前台先重新处理该工单"


def test_a_record_not_found_is_said_once() -> None:
    said = Refused("not_found", "ticket HBW-1 not found").shown  # not 找不到该记录：找不到工单：…
    assert said == "找不到工单：HBW-1（ticket HBW-1 not found）"
    assert Refused("not_found", "something else").shown.startswith("找不到该记录：")


def test_a_check_across_the_form_is_listed_without_a_label() -> None:
    # the form as a whole (a model's own check): its words alone, not 表单：…
    whole = Refused(
        "invalid",
        "请检查以下字段",
        [{"field": "表单", "message": "give one of phone, unit_ref or resident_ref"}],
    )
    assert whole.shown == (
        "填写有误：请检查以下字段（请填写电话或房号（二选一）"
        "（give one of phone, unit_ref or resident_ref））"
    )
