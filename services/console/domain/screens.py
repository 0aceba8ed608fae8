"""What the console offers: the actions a ticket's status allows (docs/contract.md §7) and the
pages each role sees first. Policy as data: the templates ask these tables, never the status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.console.domain.words import ROLES as ROLE_WORDS
from shared.kernel.staff import PERMISSIONS, StaffMember, acknowledging
from shared.kernel.vocabulary import Role

OPEN = frozenset({"received", "classified", "reopened"})
# a work order in one of these has ended: intake no longer waits for it (contract §11, R8.12)
ORDER_ENDED = frozenset({"signed_off", "returned", "referred", "declined", "cancelled"})


def open_orders(ticket: dict[str, object]) -> list[str]:
    """The numbers of the ticket's work orders still open: while one is, the ticket cannot be
    resolved (R8.12, R11.8)."""
    orders = ticket.get("work_orders")
    if not isinstance(orders, list):
        return []
    return [str(o["order_no"]) for o in orders if o.get("status") not in ORDER_ENDED]


@dataclass(frozen=True, slots=True)
class Action:
    verb: str  # the intake command (docs/contract.md §6)
    label: str
    statuses: frozenset[str]
    kinds: frozenset[str] | None = None  # None: every kind
    inspection: bool | None = None  # None: any channel; True/False: only / never inspection
    orders_ended: bool = False  # only once every work order of the ticket has ended
    roles: frozenset[str] | None = None  # None: every role of the office (not WORKERS)

    def allowed(self, ticket: dict[str, object], role: str | None = None) -> bool:
        if role is not None and (role in WORKERS or (self.roles and role not in self.roles)):
            return False
        if ticket.get("status") not in self.statuses:
            return False
        if self.kinds is not None and ticket.get("kind") not in self.kinds:
            return False
        if self.orders_ended and open_orders(ticket):
            return False
        finding = ticket.get("channel") == "inspection"
        return self.inspection is None or self.inspection == finding


# the staff who do the work (R8.4) read a ticket's page but take none of its desk steps: the
# follow-up call is the desk's (R11.3) — a technician recording it would grade their own job —
# and so are the customer's details (R15.2), the reply and the hand-over; their steps are the
# work order's (/orders/<no>)
WORKERS = frozenset({Role.technician.value, Role.department_staff.value})
# who may see a resident's contact details: intake's own rule, so nobody is offered a look that
# is refused (and recorded as refused in the access log, R15.2, R15.4)
CONTACT_ROLES = frozenset(role.value for role in PERMISSIONS["intake.reveal_contact"].roles)

ACTIONS: tuple[Action, ...] = (
    Action("classify", "分析界定", OPEN),
    Action("reply", "答复客户", OPEN),
    Action("accept_solution", "客户接受解决方案", OPEN, kinds=frozenset({"complaint"})),
    Action("resolve", "处理完毕", OPEN, orders_ended=True),
    Action("follow_up", "回访", frozenset({"resolved"}), inspection=False),
    Action("reopen", "重新处理", frozenset({"resolved", "closed"})),
    Action("cancel", "撤销", OPEN),
    # a repeat contact about this ticket (R16.1): the desk found it by searching
    Action("link", "重复来电（关联到本工单）", OPEN | {"resolved"}),
    # names and phones, for a call back: the look is recorded (R15.2, R15.4)
    Action(
        "reveal_contact",
        "查看联系方式",
        OPEN | {"resolved", "closed", "cancelled"},
        roles=CONTACT_ROLES,
    ),
    # first-contact ownership (R10.1): the owner, or a supervisor or manager, hands it on
    Action("hand_over", "移交负责人", OPEN | {"resolved"}),
)
VERBS = {action.verb: action for action in ACTIONS}


def allowed_actions(ticket: dict[str, object], role: str | None = None) -> list[Action]:
    """The actions `ticket`'s status allows, of those `role` takes (None: every role's)."""
    return [action for action in ACTIONS if action.allowed(ticket, role)]


@dataclass(frozen=True, slots=True)
class Page:
    path: str
    label: str


DESK = Page("/desk", "受理登记")
ORDER_QUEUES = Page("/orders", "派工单")
TICKETS = Page("/tickets", "工单列表")
FOLLOW_UPS = Page("/follow-ups", "回访")
NOTICES = Page("/notices", "通知")
ORDERS = Page("/orders", "我的派工单")
DASHBOARD = Page("/dashboard", "今日概况")
INCIDENTS = Page("/incidents", "突发事件")
ROUNDS = Page("/rounds", "巡查")  # the day's findings and the week's quality sheet (R12.9, R1.5)
PROMISES = Page("/promises", "承诺回复")  # promises kept, missed calls (R6.15, R2.6, R11.5)
ANNOUNCEMENTS = Page("/announcements", "维修通告")  # notices to households (R7.9, R16.6)
SHIFTS = Page("/shifts", "交接班")  # the shift log, read and signed (R15.9–R15.12)
VIOLATIONS = Page("/violations", "违例")  # violation cases (R14.1–R14.10)
VISITS = Page("/visits", "走访")  # the week's visits against the 2 % target (R11.6)
RESIDENTS = Page("/residents", "住户档案")  # the resident file (R16.2, docs/RESIDENTS.md)
ACCOUNTS = Page("/accounts", "账号管理")  # a colleague's forgotten password (password_reset.py)

# the pages a role sees in its menu, its home first, then in one order for every role: the desk's
# daily work (tickets, orders, calls back, promises, notices), the site's (emergencies, notices to
# households, rounds, violation cases, visits), the shift log and the resident file. docs/CONSOLE.md
# lists them (tests/unit/test_console_menus.py keeps the table and this equal).
#   the resident file: the desk roles that keep it (shared/kernel/staff.py `resident.file`, R16.2);
#   violation cases: the CS assistant opens them, the CS supervisor and the manager answer (R14.2);
#   the shift log: the desk, its supervisor (told of an unsigned handover) and the night duty
#   that signs (R15.9–R15.11); 维修通告: the desk and those who answer for it (docs/OUTAGES.md);
#   账号管理, last: the roles that may reset someone's password (password_reset.RESETS);
#   今日概况 for the zone CS assistant too: her zones' day, after her list (R1.3, areas.py)
MENUS: dict[str, tuple[Page, ...]] = {
    "receptionist": (DESK, TICKETS, ORDER_QUEUES, FOLLOW_UPS, PROMISES, NOTICES, INCIDENTS,
                     ANNOUNCEMENTS, SHIFTS, RESIDENTS),
    "cs_assistant": (DESK, TICKETS, DASHBOARD, ORDER_QUEUES, FOLLOW_UPS, PROMISES, NOTICES,
                     INCIDENTS, ANNOUNCEMENTS, ROUNDS, VIOLATIONS, VISITS, SHIFTS, RESIDENTS),
    "department_supervisor": (TICKETS, ORDER_QUEUES, NOTICES, DESK, FOLLOW_UPS, INCIDENTS,
                              ANNOUNCEMENTS, ROUNDS, RESIDENTS, ACCOUNTS),
    "project_manager": (DASHBOARD, TICKETS, FOLLOW_UPS, NOTICES, INCIDENTS, ANNOUNCEMENTS, ROUNDS,
                        VIOLATIONS, VISITS, RESIDENTS, ACCOUNTS),
    "cs_supervisor": (TICKETS, DESK, FOLLOW_UPS, PROMISES, NOTICES, INCIDENTS, ANNOUNCEMENTS,
                      ROUNDS, VIOLATIONS, SHIFTS, ACCOUNTS),
    "gm_office": (DASHBOARD, TICKETS, NOTICES, INCIDENTS),
    "quality": (DASHBOARD, TICKETS, NOTICES, INCIDENTS, ROUNDS, VISITS),
    "technician": (ORDERS, NOTICES),
    "department_staff": (ORDERS, TICKETS, NOTICES, SHIFTS),
}  # fmt: skip


def menu(role: str) -> tuple[Page, ...]:
    return MENUS.get(role, (TICKETS,))


# pages every signed-in member opens: home (their menu's first), their password, signing out,
# the live updates, and the reports (each says itself who may download it, R12.8)
EVERYONE = frozenset({"/", "/password", "/logout", "/live", "/reports"})
# pages reached from another rather than from a menu, to read: a page of the menu that leads
# there (查找 from the intake form and the ticket list, a ticket's page from a work order's
# 查看工单, the survey results from 走访; from a ticket's page its work orders and their printable
# slips, its emergency and the outage notice that answered it; from 巡查 the violation case a
# finding was routed to)
REACHED: dict[str, tuple[Page, ...]] = {
    "/search": (DESK, TICKETS),
    "/tickets/": (ORDERS,),
    "/surveys": (VISITS,),
    "/orders/": (TICKETS,),
    "/incidents/": (TICKETS,),
    "/announcements": (TICKETS,),
    "/violations/": (ROUNDS,),
}


def may_open(role: str, path: str, post: bool = False) -> bool:
    """Whether a member in `role` may open `path` (`post`: a form posted to it): a page of their
    menu or below one (a ticket's, an order's, a case's, their forms), one reached from a page of
    their menu (`REACHED`; to read, not to post to), or one of `EVERYONE`'s. A technician's phone
    is their work orders, not the desk's resident file, the shift log or the intake form, and a
    manager reads a ticket's work order without taking its steps (docs/CONSOLE.md)."""
    section, _, below = path.strip("/").partition("/")
    first = "/" + section
    if first in EVERYONE:
        return True
    mine = {page.path for page in menu(role)}
    if first in mine:
        return True
    reached = () if post else REACHED.get(first + "/" if below else first, ())
    return any(page.path in mine for page in reached)


def may_acknowledge(role: str, notice: dict[str, object]) -> bool:
    """Whether `role` may acknowledge `notice`: the role it was sent to or one above it, as
    escalation checks (R6.3–R6.7); the others read it on 通知 (全部) without a button."""
    try:
        return Role(role) in acknowledging(Role(str(notice.get("role")))).roles
    except ValueError:
        return False


# -- work orders (派工单): the steps of docs/contract.md §11 a phone page offers ---------------


@dataclass(frozen=True, slots=True)
class OrderStep:
    verb: str  # the dispatch command (docs/contract.md §10)
    label: str
    statuses: frozenset[str]
    pending_quote: bool | None = None  # None: either; True/False: only with / without one
    side: bool = False  # a side branch (R7.11, R7.17, R8.5, R8.8, R8.9): under 其他情况
    roles: frozenset[str] | None = None  # None: anyone; else only these roles are offered it

    def allowed(self, order: dict[str, object], role: str | None = None) -> bool:
        quote = order.get("quote") or {}
        pending = isinstance(quote, dict) and quote.get("state") == "pending"
        if order.get("status") not in self.statuses:
            return False
        if self.roles is not None and role not in self.roles:
            return False
        return self.pending_quote is None or self.pending_quote == pending


OPEN_ORDERS = frozenset({"issued", "collected", "assigned", "arrived", "awaiting_acceptance",
                         "completed"})  # fmt: skip
_BEFORE_WORK = frozenset({"collected", "assigned", "arrived"})


def _roles(permission: str) -> frozenset[str]:
    """The roles dispatch lets do it (shared/kernel/staff.py): the only ones offered it."""
    return frozenset(role.value for role in PERMISSIONS[permission].roles)


CANCELLERS, REASSIGNERS = _roles("dispatch.cancel"), _roles("dispatch.reassign")

ORDER_STEPS: tuple[OrderStep, ...] = (
    OrderStep("collect", "领单签收", frozenset({"issued"})),
    OrderStep("assign", "派技术员", frozenset({"collected"})),
    OrderStep("arrive", "登记到场", frozenset({"assigned"})),
    OrderStep("quote", "报价", _BEFORE_WORK, False),
    OrderStep("accept_quote", "客户接受报价", _BEFORE_WORK, True),
    OrderStep("complete", "完工", frozenset({"arrived"}), False),
    OrderStep("confirm_acceptance", "雨后验收确认（渗漏维修）", frozenset({"awaiting_acceptance"})),
    OrderStep("sign_off", "客户评价签认", frozenset({"completed"})),
    OrderStep("return", "交回派工单", frozenset({"signed_off"})),
    # the side branches of a work order's life (contract §10)
    OrderStep("reschedule", "无人在家 / 客户改约", frozenset({"assigned", "arrived"}), side=True),
    # the technician replaced before they arrive (taken ill, the wrong one sent): a supervisor's
    OrderStep("assign", "改派技术员", frozenset({"assigned"}), side=True, roles=REASSIGNERS),
    OrderStep("decline_quote", "客户拒绝报价", _BEFORE_WORK, True, side=True),
    OrderStep("refer", "不属于物业维修范围，转管业部", _BEFORE_WORK | {"issued"}, side=True),
    OrderStep("rework", "返修（保修期内免费）", frozenset({"signed_off", "returned"}), side=True),
    # a supervisor or manager cancels; a technician does not leave a job (R1.7, R7.18)
    OrderStep("cancel", "取消派工单", OPEN_ORDERS, side=True, roles=CANCELLERS),
)
ORDER_VERBS: dict[str, OrderStep] = {}
for _step in ORDER_STEPS:
    ORDER_VERBS.setdefault(_step.verb, _step)  # a verb's first step names it (assign: 派技术员)


# the departments' queues of work orders, in the order a supervisor reads them (R7.6, R8.3)
QUEUES = (("issued", "待接单（2分钟内领单）"), ("collected", "已接单待派工"),
          ("assigned", "已派技术员"), ("arrived", "已到场"))  # fmt: skip


# who does the work of an order (R8.4): offered on its 派技术员 step
WORKERS = frozenset({"technician", "department_staff"})


def workers(staff: Mapping[str, StaffMember], department: object) -> list[tuple[str, str]]:
    """(staff id, how they are shown) of the site's technicians and department staff who may
    take an order of `department`: those of that department, or of none."""
    return [
        (staff_id, f"{member.name} · {ROLE_WORDS.get(member.role.value, '')}".lstrip(" ·"))
        for staff_id, member in sorted(staff.items())
        if member.role.value in WORKERS
        and (member.department is None or member.department.value == department)
    ]


def order_steps(order: dict[str, object], role: str | None = None) -> list[OrderStep]:
    return [step for step in ORDER_STEPS if step.allowed(order, role)]


# who may download which report (issue 14: managers and quality; the company pack only for quality)
REPORTS: dict[str, frozenset[str]] = {
    "monthly": frozenset({"project_manager", "gm_office", "quality"}),
    "weekly": frozenset({"project_manager", "gm_office", "quality"}),
    "quality": frozenset({"quality"}),
}
