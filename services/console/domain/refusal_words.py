"""The services' refusals as the desk reads them: the rules a receptionist, a supervisor or a
technician meets in a day's work, in Chinese first, the service's own words after them (for
whoever supports the desk). A refusal the console does not know is shown as the service said it."""

from __future__ import annotations

import re
from collections.abc import Callable

from services.console.domain.words import ROLES, STATUSES, word

# a contract's checks across fields, as a form's person reads them (shared/contracts)
CHECKS = {
    "expected_end must be after starts_at": "预计恢复/完工时间须晚于开始时间",
    "name the affected buildings, zones or units, or the whole site":
        "请填写受影响的楼栋、组团或房号，或勾选全项目",
    "a round ends after it starts": "结束时间须晚于开始时间",
    "a scheduled round names the plan's slot it walks": "计划巡查须选择计划时段",
    "a facility finding names its category (the repair's routing)": "设施损坏须选择分类",
    "a finding fixed on the spot says what was done (measures)": "现场整改须填写整改措施",
    "about_staff is only for a staff finding": "员工工号只用于员工不履职",
    "violation_class and violation_category are for a violation finding":
        "违例级别和类别只用于住户违例",
    "a unit of place_kind room needs its room": "房间须填写房号",
    "the same phone is given twice": "同一电话填了两次",
    "give either phone or unit_ref": "请填写电话或房号（二选一）",
    "client_ref must not contain the offender's name or phone": "编号中不能含违例人姓名或电话",
    # the intake form (受理登记, docs/contract.md §6.1)
    "help_category (A–G) is required when kind is help": "求助须选择求助类别（A–G）",
    "help_category is only for help requests": "求助类别只用于求助",
    "incident_kind is only for help requests of category A, E or F":
        "突发事件类型只用于求助类别 A、E、F",
    "reporter is required except for inspection findings": "请填写来电/来访人（巡查发现除外）",
    "appointment end must be after its start": "预约结束时间须晚于开始时间",
}  # fmt: skip

# the services' own rules (intake's classification and cancellation, dispatch's fees, 9.4)
RULES = {
    "communicative_type needs validity communicative": "沟通性类型只用于沟通性投诉",
    "a communicative complaint needs its type":
        "沟通性投诉须选择沟通性类型（求助型、咨询型、发泄型）",
    "a communicative complaint has no severity": "沟通性投诉不分严重程度",
    "a duplicate names the ticket it repeats": "重复登记须填写重复的工单号",
    "duplicate_of is only for reason duplicate": "重复的工单号只用于“重复登记”",
    "a ticket cannot be a duplicate of itself": "工单不能与自身重复",
    "a solution is accepted for a complaint only (R6.9)": "只有投诉需要客户接受解决方案（R6.9）",
    "a fee needs a quote accepted before the work (R8.5)":
        "收费须在维修前报价并经客户接受（R8.5）；未报价的费用请填 0",
    "rework under warranty is free (R8.9)": "保修期内返修免费（R8.9）：费用请填 0",
    "rework under warranty is free: nothing to quote": "保修期内返修免费，无需报价（R8.9）",
    "a quote needs a positive amount": "报价金额须大于 0",
}  # fmt: skip

# what a ticket's or an order's command does, as the refusal names it (its verb, spaces for _)
ACTIONS = {
    "classify": "分析界定", "reply": "答复客户", "accept solution": "接受解决方案",
    "resolve": "处理完毕", "follow up": "回访", "reopen": "重新处理", "cancel": "撤销",
    "link a contact to": "关联重复来电", "hand over": "移交负责人", "verify": "现场验证",
    "collect": "领单签收", "assign": "派技术员", "arrive": "登记到场", "reschedule": "改约",
    "quote": "报价", "quote again": "再次报价", "accept quote": "接受报价",
    "decline quote": "拒绝报价", "answer a quote for": "答复报价", "complete": "完工",
    "confirm acceptance": "验收确认", "sign off": "客户评价签认", "return": "交回派工单",
    "refer": "转管业部", "rework": "返修", "override": "调整紧急程度/范围",
}  # fmt: skip
WHAT = {"a ticket": "工单", "a work order": "派工单"}


def _status(status: str) -> str:
    if status in STATUSES:
        return STATUSES[status]
    return word("order_status", status)


def _transition(m: re.Match[str]) -> str:
    action, what, status = m.group(1), m.group(2), m.group(3)
    if status == "an unclassified complaint (R6.2)":
        return "投诉须先分析界定才能处理完毕（R6.2）"
    verb = "取消" if (action, what) == ("cancel", "a work order") else ACTIONS.get(action, action)
    return f"{WHAT[what]}当前为“{_status(status)}”，不能{verb}"


def _permission(m: re.Match[str]) -> str:
    needed = [ROLES.get(r.strip(), r.strip()) for r in re.split(r", | or ", m.group(1))]
    return (
        f"此操作须由{'、'.join(needed)}进行；{m.group(2)} 的岗位是"
        f"{ROLES.get(m.group(3), m.group(3))}（{m.group(4)}）"
    )


PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"^cannot (.+) (a ticket|a work order) that is (.+)$"), _transition),
    (re.compile(r"^.+ needs (.+); staff (\S+) is (\w+) \((.+)\)$"), _permission),
    (re.compile(r"^(?:technician|collected_by) (\S+) is not on the staff list of \S+$"),
     lambda m: f"工号 {m.group(1)} 不在本项目员工名单中，请从名单中选择"),
    (re.compile(r"^staff (\S+) is not on the staff list of \S+$"),
     lambda m: f"工号 {m.group(1)} 不在本项目员工名单中，不能办理"),
    (re.compile(r"^the fee must be the accepted quote of (.+)$"),
     lambda m: f"费用须等于客户已接受的报价 {m.group(1)} 元"),
    (re.compile(r"^(validity|communicative_type|severity) applies to complaints only$"),
     lambda m: "投诉界定、沟通性类型和严重程度只用于投诉"),
)  # fmt: skip


def in_chinese(text: str) -> str | None:
    """The refusal's rule in Chinese, or None when the console does not know it."""
    known = CHECKS.get(text) or RULES.get(text)
    if known:
        return known
    for pattern, said in PATTERNS:
        found = pattern.match(text)
        if found:
            return said(found)
    return None


def explained(text: str) -> str:
    """`text` as the desk reads it: the Chinese first, the service's words after them."""
    chinese = in_chinese(text)
    return f"{chinese}（{text}）" if chinese else text
