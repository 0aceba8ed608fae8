"""Every closed vocabulary of the domain, in one place (docs/DOMAIN.md §1–§5): how a contact
came in and what kind it is, a ticket's status, the departments, urgency and scope of repairs,
who is told, which clocks run, the levels of the complaint ladder. Pure: the published contracts
(shared/contracts) and the policies (shared/kernel/sla.py, the services) all name them from here,
so no contract imports a policy for a word, and no policy a contract.
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
    cs_supervisor = "cs_supervisor"  # 客服助理部主管: general violations (R14.4, R14.7, R14.9)


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
    finding_resolved = "finding_resolved"  # an inspection finding, within a week (R13.16)


# The levels in the order the ladder climbs: the one place that order is written.
class Level(StrEnum):
    """The complaint ladder (R6.4–R6.6); `cs_assistant` holds it from receipt (R6.3)."""

    department_supervisor = "department_supervisor"
    project_manager = "project_manager"
    gm_office = "gm_office"


# Who holds an open complaint, from receipt up (R6.3–R6.6).
LADDER: tuple[str, ...] = (Role.cs_assistant.value, *(level.value for level in Level))


# -- contacts and tickets (docs/DOMAIN.md §2–§3) ---------------------------------------------------


class Channel(StrEnum):
    """受理渠道 (R2.2). `hotline` is the 24 h service line (R2.3)."""

    phone = "phone"
    visit = "visit"
    letter = "letter"
    online = "online"
    inspection = "inspection"
    forwarded = "forwarded"
    hotline = "hotline"


class Kind(StrEnum):
    """Ticket kinds (R4.1–R4.11)."""

    inquiry = "inquiry"
    complaint = "complaint"
    repair = "repair"
    suggestion = "suggestion"
    help = "help"
    violation = "violation"
    paid_service = "paid_service"


class HelpCategory(StrEnum):
    """求助 categories A–G (R4.6)."""

    A = "A"  # 急救病人求助 medical emergency
    B = "B"  # 报修求助 repair help
    C = "C"  # 投诉 complaint
    D = "D"  # 咨询 inquiry
    E = "E"  # 盗窃、打架斗殴… crime or accident
    F = "F"  # 水浸、火灾 flood or fire
    G = "G"  # 其他 other help


class Validity(StrEnum):
    """有效投诉 vs 沟通性投诉 (R5.5, R5.6; decision C10: separate classes)."""

    valid = "valid"
    communicative = "communicative"


class CommunicativeType(StrEnum):
    help_seeking = "help_seeking"  # 求助型
    inquiry = "inquiry"  # 咨询型
    venting = "venting"  # 发泄型


class Severity(StrEnum):
    """重大 / 重要 / 轻微 (R5.1–R5.3)."""

    major = "major"
    important = "important"
    minor = "minor"


class TicketStatus(StrEnum):
    received = "received"
    classified = "classified"
    resolved = "resolved"
    closed = "closed"
    reopened = "reopened"
    cancelled = "cancelled"


class CancelReason(StrEnum):
    """Why a ticket is cancelled (docs/DOMAIN.md §2, §6; G2): nothing else ends a ticket
    without its follow-up call."""

    duplicate = "duplicate"  # a ticket opened twice: `duplicate_of` names the one it repeats
    withdrawn = "withdrawn"  # the customer withdrew it (撤回)


OPEN_STATUSES = frozenset({TicketStatus.received, TicketStatus.classified, TicketStatus.reopened})

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "cleaning",
    "security",
    "greening",
    "maintenance",
    "plumbing",
    "electrical",
    "elevator",
    "public_facility",
    "front_desk",
    "public_order",
    "noise",
    "parking",
    "other",
)


# -- repairs (docs/DOMAIN.md §4) -------------------------------------------------------------------


class Department(StrEnum):
    """The departments work orders go to (docs/DOMAIN.md §4 routing)."""

    engineering = "engineering"
    cleaning = "cleaning"
    security = "security"
    greening = "greening"
    property_business = "property_business"


class Urgency(StrEnum):
    """急修 vs 一般 (R7.1, R7.2)."""

    urgent = "urgent"
    general = "general"


class Scope(StrEnum):
    """住户报修 vs 公共设施设备报修 (R4.3)."""

    household = "household"
    public = "public"
