"""Dispatch policies as data (docs/DOMAIN.md §4): routing and leaks (R8.8), and the urgency (R7.1,
R7.2) and scope (R4.3) of a repair it shares with the clocks (shared/kernel/repairs.py). Pure
functions;
the application tests show them applied to real orders."""

from __future__ import annotations

import pytest

from services.dispatch.domain import REFERRAL_DEPARTMENT, policy
from shared.kernel import repairs
from shared.kernel.sites import SiteConfig
from shared.kernel.vocabulary import Department, Scope, Urgency


@pytest.mark.parametrize(
    ("category", "department"),
    [
        ("plumbing", "engineering"),
        ("elevator", "engineering"),
        ("cleaning", "cleaning"),
        ("parking", "security"),
        ("greening", "greening"),
        ("front_desk", "property_business"),
    ],
)
def test_a_category_is_routed_to_the_department_that_owns_it_by_default(category, department):
    assert policy.route(category, {}) == department


@pytest.mark.parametrize("category", [None, "no_such_category"])
def test_an_unknown_or_missing_category_goes_to_engineering(category):
    assert policy.route(category, {}) == policy.DEFAULT_DEPARTMENT == "engineering"


def test_a_site_routing_override_wins_over_the_default_for_its_category_only():
    site = SiteConfig(routing={"plumbing": "property_business"})
    assert policy.route("plumbing", site.routing) == "property_business"
    assert policy.route("electrical", site.routing) == "engineering"


def test_every_default_route_names_a_known_department():
    assert set(policy.DEFAULT_ROUTING.values()) <= set(Department)
    assert REFERRAL_DEPARTMENT == "property_business"  # R7.11 管业部


def test_an_elevator_repair_is_urgent_by_its_category_R7_1():
    assert repairs.urgency_of("elevator", "按钮不亮") is Urgency.urgent


@pytest.mark.parametrize(
    "content",
    [
        "卧室插座漏电",  # R7.1(2) leakage from wiring
        "整栋楼停水",  # R7.1(3) water outage
        "厨房水管爆管",  # R7.1(3) burst pipe
        "电梯门关不上",  # R7.1(5) elevator fault, whatever the category
        "阳台栏杆松动",  # R7.1(6) loose railing
    ],
)
def test_the_words_of_the_urgent_list_make_a_repair_urgent_R7_1(content):
    assert repairs.urgency_of("maintenance", content) is Urgency.urgent


@pytest.mark.parametrize("content", ["卧室门窗关不严", "卫生间龙头滴水", "客厅墙面起皮"])
def test_doors_windows_and_fixture_parts_are_general_R7_2(content):
    assert repairs.urgency_of("maintenance", content) is Urgency.general


def test_a_loose_door_handle_is_a_general_door_and_window_item_R7_2():
    assert repairs.urgency_of("maintenance", "卧室门把手松动") is Urgency.general


@pytest.mark.parametrize(
    "category", ["public_facility", "elevator", "greening", "parking", "cleaning", "security"]
)
def test_a_public_category_is_a_public_facility_repair_even_with_a_unit_R4_3(category):
    assert repairs.scope_of(category, "3-1201") is Scope.public


def test_a_repair_in_a_unit_is_a_household_repair_R4_3():
    assert repairs.scope_of("plumbing", "3-1201") is Scope.household


def test_a_repair_without_a_unit_is_a_public_facility_repair_R4_3():
    assert repairs.scope_of("plumbing", None) is Scope.public


@pytest.mark.parametrize(
    "content", ["顶层屋面渗水", "北面外墙漏水", "下大雨时卧室漏雨", "飘窗渗水"]
)
def test_roof_outer_wall_and_window_leaks_wait_for_the_next_rain_R8_8(content):
    assert policy.is_leak(content)


@pytest.mark.parametrize("content", ["厨房水管爆裂", "马桶水箱漏水", "洗手盆下水管漏水"])
def test_a_burst_pipe_or_a_toilet_tank_leak_is_not_a_rain_leak_R8_8(content):
    assert not policy.is_leak(content)


def test_a_burst_pipe_in_a_top_floor_flat_is_not_a_rain_leak_R8_8():
    assert not policy.is_leak("顶楼住户水管爆裂漏水")


def test_the_default_warranty_is_three_months_R8_9():
    assert SiteConfig().warranty_days == 90
