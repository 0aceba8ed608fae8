"""The staff policy as data (shared/kernel/staff.py): who answers for whom, what each guarded
command
needs, and how a site directory lists its staff."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.kernel.sites import SiteDirectory
from shared.kernel.sla import climbs_ladder
from shared.kernel.staff import PERMISSIONS, acknowledging, and_above
from shared.kernel.vocabulary import Role

R = Role


def test_above_a_receptionist_is_the_whole_desk_chain_up_to_the_gm_office() -> None:
    assert and_above(R.receptionist) == {
        R.receptionist, R.cs_assistant, R.department_supervisor, R.project_manager, R.gm_office,
    }  # fmt: skip
    assert and_above(R.technician) == {
        R.technician, R.department_supervisor, R.project_manager, R.gm_office,
    }  # fmt: skip
    assert and_above(R.quality) == {R.quality, R.gm_office}
    assert and_above(R.gm_office) == {R.gm_office}


def test_contact_details_are_for_the_desk_roles_that_call_customers_R15_2_R15_4() -> None:
    assert PERMISSIONS["intake.reveal_contact"].roles == {
        R.receptionist, R.cs_assistant, R.department_supervisor, R.project_manager,
    }  # fmt: skip


def test_a_complaint_on_the_ladder_is_cancelled_by_a_supervisor_or_above_R6_4() -> None:
    assert PERMISSIONS["intake.cancel"].roles == {
        R.department_supervisor, R.project_manager, R.gm_office,
    }  # fmt: skip


def test_a_technician_does_not_end_a_work_order_a_supervisor_or_above_does_R7_18() -> None:
    """R7.18: a technician may not leave a job halfway: cancelling an order is not theirs."""
    assert PERMISSIONS["dispatch.cancel"].roles == {
        R.department_supervisor, R.project_manager, R.gm_office,
    }  # fmt: skip
    assert R.technician not in PERMISSIONS["dispatch.cancel"].roles


def test_the_month_analysis_is_the_management_office_heads_R12_2() -> None:
    """The management-office head (管理处负责人) is the project manager (项目经理 = 管理处经理)."""
    assert PERMISSIONS["intake.attach_analysis"].roles == {R.project_manager}


def test_a_notice_is_acknowledged_by_its_role_or_one_above_it_R6_3_R6_7() -> None:
    assert acknowledging(R.department_supervisor).roles == {
        R.department_supervisor, R.project_manager, R.gm_office,
    }  # fmt: skip
    assert acknowledging(R.quality).roles == {R.quality, R.gm_office}


def test_a_refusal_names_the_roles_needed_and_the_role_given() -> None:
    message = PERMISSIONS["intake.cancel"].refusal("HB-S01", R.receptionist)
    assert message == (
        "cancelling a complaint on the escalation ladder needs department_supervisor, "
        "project_manager or gm_office; staff HB-S01 is receptionist (R6.4–R6.6)"
    )
    single = PERMISSIONS["intake.attach_analysis"].refusal("HB-GMO", R.gm_office)
    assert single.startswith("attaching the month's complaint analysis needs project_manager;")


def test_the_roles_published_before_keep_their_values() -> None:
    """desk.ntf.<site>.<role> and the escalation events carry these: they never change."""
    published = ["receptionist", "cs_assistant", "department_supervisor", "project_manager",
                 "gm_office", "quality"]  # fmt: skip
    assert [r.value for r in Role][: len(published)] == published


@pytest.mark.parametrize(
    ("kind", "validity", "climbs"),
    [
        ("complaint", None, True),  # from receipt, before it is classified
        ("complaint", "valid", True),
        ("complaint", "communicative", False),  # R5.6: explained, never escalated
        ("inquiry", None, False),
    ],
)
def test_which_complaints_climb_the_ladder(kind, validity, climbs) -> None:
    assert climbs_ladder(kind, validity) is climbs


def test_a_site_lists_its_staff_with_role_name_and_department() -> None:
    sites = SiteDirectory.model_validate(
        {"sites": {"hbw": {"staff": {
            "HB-S01": {"role": "receptionist", "name": "王芳"},
            "HB-T01": {"role": "technician", "department": "engineering"},
        }}}}
    )  # fmt: skip
    hbw = sites.get("hbw")
    assert hbw is not None
    assert hbw.staff["HB-S01"].role is R.receptionist and hbw.staff["HB-S01"].name == "王芳"
    assert hbw.staff["HB-T01"].department == "engineering"
    assert sites.get("other") is None  # only listed sites are served


@pytest.mark.parametrize(
    ("staff", "wrong"),
    [
        ({"HB S01": {"role": "receptionist"}}, "string_pattern_mismatch"),  # not a 工号
        ({"HB-S01": {"role": "janitor"}}, "enum"),
        ({"HB-S01": {"role": "technician", "department": "kitchen"}}, "enum"),
        ({"HB-S01": {"role": "receptionist", "phone": "13800138000"}}, "extra_forbidden"),
    ],
)
def test_a_bad_staff_list_is_refused_at_start(staff, wrong) -> None:
    with pytest.raises(ValidationError) as raised:
        SiteDirectory.model_validate({"sites": {"hbw": {"staff": staff}}})
    assert wrong in {e["type"] for e in raised.value.errors()}


def test_the_default_site_has_no_staff_list() -> None:
    """A staff list names the people of one site office; unlisted sites check no one."""
    with pytest.raises(ValidationError, match="a staff list belongs to a listed site"):
        SiteDirectory.model_validate({"default": {"staff": {"S1": {"role": "receptionist"}}}})
