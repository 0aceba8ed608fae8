"""Which department answers for a complaint (R6.3, R4.12): a named staff member's, else the
category's."""

from __future__ import annotations

from shared.kernel.departments import responsible, route
from shared.kernel.staff import StaffMember
from shared.kernel.vocabulary import Department, Role

STAFF = {
    "G07": StaffMember(role=Role.department_staff, department=Department.greening),
    "S01": StaffMember(role=Role.receptionist),
}


def test_a_complaint_goes_to_its_categorys_department_R6_3() -> None:
    assert responsible("cleaning", {}) is Department.cleaning
    assert responsible("noise", {}) is Department.security
    assert responsible("cleaning", {"cleaning": Department.property_business}) is (
        Department.property_business
    )


def test_a_complaint_about_a_named_member_goes_to_their_department_R4_12() -> None:
    assert responsible("front_desk", {}, "G07", STAFF) is Department.greening


def test_a_member_without_a_department_or_unknown_falls_back_to_the_category() -> None:
    assert responsible("front_desk", {}, "S01", STAFF) is Department.property_business
    assert responsible("cleaning", {}, "X99", STAFF) is Department.cleaning
    assert responsible(None, {}, "S01", STAFF) is None


def test_an_unknown_category_names_no_department_but_a_work_order_still_goes_to_engineering() -> (
    None
):
    assert responsible("unheard_of", {}) is None
    assert route("unheard_of", {}) is Department.engineering
    assert route(None, {}) is Department.engineering


def test_intakes_ladder_follows_the_latest_classification_R5_6_R6_4() -> None:
    """Issue 13 item 8: left while not climbing, back on it when corrected."""
    from services.intake.domain.classification import ladder_after

    assert ladder_after(None, False) is None  # never on it
    assert ladder_after(None, True) == "climbing"
    assert ladder_after("climbing", False) == "left"
    assert ladder_after("left", True) == "climbing"
