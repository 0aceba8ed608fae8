"""The services' refusals the console reads in Chinese (refusal_words.py) are the ones the
services really write: built here with the services' own classes, so a reworded refusal shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.console.domain.refusal_words import RULES, explained, in_chinese
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
        "此操作须由部门主管、项目经理、总经理办公室进行；HB-CS1 的岗位是辖区客服助理（R6.3–R6.7）"
    )
    reveal = PERMISSIONS["intake.reveal_contact"].refusal("HB-T01", Role.technician)
    assert in_chinese(reveal) is not None


DOMAINS = Path(__file__).parents[2] / "services"


@pytest.mark.parametrize("text", sorted(RULES))
def test_each_rule_the_console_translates_is_one_a_service_writes(text: str) -> None:
    sources = "".join(
        path.read_text(encoding="utf-8")
        for folder in ("intake/domain", "dispatch/domain")
        for path in (DOMAINS / folder).glob("*.py")
    )
    assert f'"{text}"' in sources, text


def test_a_mistyped_staff_id_says_to_choose_from_the_list() -> None:
    # dispatch's words (services/dispatch/application.py `_listed`) and every service's (16.1)
    for said in ("technician HB-XX9 is not on the staff list of hbw",
                 "collected_by HB-XX9 is not on the staff list of hbw"):  # fmt: skip
        assert in_chinese(said) == "工号 HB-XX9 不在本项目员工名单中，请从名单中选择"
    said = "staff HB-XX9 is not on the staff list of hbw"  # who gives the command (16.1)
    assert in_chinese(said) == "工号 HB-XX9 不在本项目员工名单中，不能办理"


def test_an_unknown_refusal_is_shown_as_the_service_said_it() -> None:
    assert explained("something new went wrong") == "something new went wrong"
