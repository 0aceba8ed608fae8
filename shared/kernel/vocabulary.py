"""Closed vocabularies of service levels (docs/DOMAIN.md §1, §3, §5): who is told, which clocks
run, the levels of the complaint ladder. Pure: the published contracts (shared/contracts) and the
policies (shared/sla.py, services/escalation) both name them from here, so neither imports the
other for a word.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Who is told (desk.ntf.<site>.<role>), and the role each member of a site's staff acts in
    (the site directory's staff list); docs/DOMAIN.md §1. The project manager is the
    management-office head (项目经理 = 管理处经理/主任)."""

    receptionist = "receptionist"  # 前台接待员
    cs_assistant = "cs_assistant"  # 辖区客服助理
    department_supervisor = "department_supervisor"  # 部门主管
    project_manager = "project_manager"  # 项目经理, 管理处经理/主任
    gm_office = "gm_office"  # 总经理办公会
    quality = "quality"  # 品质部
    technician = "technician"  # 维修技术员: carries out work orders
    department_staff = "department_staff"  # 部门员工: engineering, cleaning, security, greening …


class ClockName(StrEnum):
    help_reply = "help_reply"
    order_issued_household = "order_issued_household"
    order_issued_public = "order_issued_public"
    order_collected_household = "order_collected_household"
    order_collected_public = "order_collected_public"
    on_site_household = "on_site_household"
    on_site_public = "on_site_public"
    urgent_on_site = "urgent_on_site"
    urgent_fixed = "urgent_fixed"
    general_fixed = "general_fixed"
    non_standard_assessed = "non_standard_assessed"
    follow_up = "follow_up"


# The levels in the order the ladder climbs: the one place that order is written.
class Level(StrEnum):
    """The complaint ladder (R6.4–R6.6); `cs_assistant` holds it from receipt (R6.3)."""

    department_supervisor = "department_supervisor"
    project_manager = "project_manager"
    gm_office = "gm_office"


# Who holds an open complaint, from receipt up (R6.3–R6.6).
LADDER: tuple[str, ...] = (Role.cs_assistant.value, *(level.value for level in Level))
