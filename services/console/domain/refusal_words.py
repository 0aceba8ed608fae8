"""The services' refusals as the desk reads them: the rules a receptionist, a supervisor or a
technician meets in a day's work, in Chinese first, the service's own words after them (for
whoever supports the desk). A refusal the console does not know is shown as the service said it."""

from __future__ import annotations

import re
from collections.abc import Callable

from services.console.domain.field_words import label
from services.console.domain.transition_words import REFUSED_STEP, transition
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
    "give one of phone, unit_ref or resident_ref": "请填写电话或房号（二选一）",
    "client_ref must not contain the offender's name or phone": "编号中不能含违例人姓名或电话",
    # the intake form (受理登记, docs/contract.md §6.1)
    "help_category (A–G) is required when kind is help": "求助须选择求助类别（A–G）",
    "help_category is only for help requests": "求助类别只用于求助",
    "incident_kind is only for help requests of category A, E or F":
        "突发事件类型只用于求助类别 A、E、F",
    "reporter is required except for inspection findings": "请填写来电/来访人（巡查发现除外）",
    "appointment end must be after its start": "预约结束时间须晚于开始时间",
    "reporter.phone is required for phone contacts": "来电须填写联系电话",
    "client_ref must not contain the reporter's name or phone": "编号中不能含来电人姓名或电话",
    "holds the reporter's name or phone: it is published as the unit":
        "房号/位置中不能含来电人姓名或电话：它会作为工单的房号公开",
    "comment is required when the customer is not satisfied": "客户不满意时须填写客户意见（R11.2）",
    "note is required when the verification failed: what remains":
        "验证不合格时须说明尚存的问题",
    "a duplicate names the ticket it repeats in duplicate_of": "重复登记须填写重复的工单号",
    "give urgency or scope (or both) to override": "请选择要调整的紧急程度或范围（或两者）",
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
    "duplicate_of names no ticket of this site": "本项目没有这个重复的工单号",
    # notices (维修通告, R7.9, R7.10)
    "planned work must be announced to the households the day before it starts (R7.9)":
        "计划维修须在开始前一天通知住户（R7.9）：开始时间请改到明天或以后",
    "the expected end must be after the start": "预计恢复/完工时间须晚于开始时间",
    "only an emergency notice is explained afterwards": "只有紧急抢修需要事后说明",
    "it cannot end before it started": "结束时间不能早于开始时间",
    "that ticket is not linked to this notice": "该工单没有关联这份通告",
    # promises (答应客户的事, R11.5)
    "a question from a follow-up call names its ticket (R11.5)":
        "回访问题答复须填写工单号（R11.5）",
    "a promise is made for a time ahead": "约定答复时间须晚于现在",
    "kept_at is before the promise was made": "兑现时间不能早于答应客户的时间",
    "only a missed call has a caller's number": "只有未接来电才有来电号码",
    # residents (住户档案, R16.3)
    "a care_note needs special_care": "填写关怀说明须先选择特殊关怀",
    "must not lie in the future": "日期不能晚于今天",
    # incidents (突发事件, R16.5)
    "an incident cannot have happened in the future": "发生时间不能晚于现在",
    "record the measures taken before closing (R16.5)": "结案前须登记已采取的处理措施（R16.5）",
    "report the incident upward before closing (R16.5)": "结案前须向上级上报（R16.5）",
    # shifts (交接班, R15.9, R15.10)
    "the incoming shift signs the handover, not who closed it":
        "交接班记录须由接班人签字，交班人不能自己签（R15.9）",
    # violations (违例, R14.2, R14.3, R14.6)
    "legal_action needs the customer committee's mediation to have failed first "
    "(violation mediate --failed, R14.3)": "提起诉讼须先经客户委员会调解失败（R14.3）",
    "mediation comes after compensation was asked for (R14.3 (4))":
        "须先要求赔偿经济损失，才能请客户委员会调解（R14.3）",
    "no penalty has been proposed: nothing to sign (R14.6)": "还没有处罚建议，无可签署（R14.6）",
    "a case that asked for compensation caused a loss: major (R14.2)":
        "已要求赔偿的案件造成了损失，只能定为重大违章（R14.2）",
}  # fmt: skip

# what an identifier that is published seems to carry (shared/kernel/personal, R15.4)
PERSONAL = {
    "a phone number": "电话号码", "a name": "姓名",
    "an ID card or bank card number": "身份证或银行卡号", "an e-mail address": "电子邮箱",
    "a WeChat id": "微信号", "a QQ number": "QQ 号",
}  # fmt: skip
# what a service did not find, by the name its refusal gives it ("<what> <ref> not found")
FOUND = {
    "ticket": "工单", "work order": "派工单", "incident": "突发事件", "notice": "通告",
    "promise": "承诺", "unit": "房屋", "resident": "住户档案", "violation case": "违例案件",
    "survey": "满意度调查", "shift log": "交接班记录",
}  # fmt: skip


def _permission(m: re.Match[str]) -> str:
    needed = [ROLES.get(r.strip(), r.strip()) for r in re.split(r", | or ", m.group(1))]
    return (
        f"此操作须由{'、'.join(needed)}进行；{m.group(2)} 的岗位是"
        f"{ROLES.get(m.group(3), m.group(3))}（{m.group(4)}）"
    )


PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"^cannot rework an order of a ticket that is (\w+); reopen it$"),
     lambda m: f"工单当前为“{STATUSES.get(m[1], m[1])}”，不能返修：请前台先重新处理该工单"),
    (REFUSED_STEP, transition),
    (re.compile(r"^.+ needs (.+); staff (\S+) is (\w+) \((.+)\)$"), _permission),
    (re.compile(r"^the fee must be the accepted quote of (.+)$"),
     lambda m: f"费用须等于客户已接受的报价 {m.group(1)} 元"),
    (re.compile(r"^(validity|communicative_type|severity) applies to complaints only$"),
     lambda m: "投诉界定、沟通性类型和严重程度只用于投诉"),
    # the contracts' checks of a value (shared/contracts, shared/kernel)
    (re.compile(r"^looks like (.+): it is published, so no personal data \(R15\.4\)$"),
     lambda m: f"像是{PERSONAL.get(m[1], m[1])}：此项会公开，不能含个人信息（R15.4）"),
    (re.compile(r"^must lie in the years (\d+)–(\d+)$"), lambda m: f"年份须在 {m[1]}–{m[2]} 之间"),
    (re.compile(r"^give at least one of (.+)$"),
     lambda m: "请至少填写一项：" + "、".join(label(f) for f in m[1].split(", "))),
    (re.compile(r"^a point not ok has a finding: (.+)$"),
     lambda m: f"不合格的检查点须登记发现的问题：{m[1]}"),
    # the services' checks against what they hold (staff lists, the site's categories, plans)
    (re.compile(r"^staff (\S+) is not on the staff list of \S+$"),
     lambda m: f"工号 {m[1]} 不在本项目员工名单中"),
    (re.compile(r"^(?:technician|collected_by) (\S+) is not on the staff list of \S+$"),
     lambda m: f"工号 {m[1]} 不在本项目员工名单中，请从名单中选择"),
    (re.compile(r"^unknown categor(?:y|ies) (.+) for site \S+$"),
     lambda m: f"本项目没有这个分类：{m[1]}"),
    (re.compile(rf"^({'|'.join(FOUND)}) (.+) not found$"),
     lambda m: f"找不到{FOUND[m[1]]}：{m[2]}"),
    (re.compile(r"^a (ticket|violation case) already has the client_ref (\S+)$"),
     lambda m: f"编号 {m[2]} 已用于另一{FOUND[m[1]]}：请勿重复提交"),
    (re.compile(r"^(\w+) lies in the future$"), lambda m: f"{label(m[1])}不能晚于现在"),
    (re.compile(r"^(\w+) is before the incident happened$"),
     lambda m: f"{label(m[1])}不能早于事件发生时间（R16.5）"),
    # residents (住户档案, R16.3, R16.4)
    (re.compile(r"^site \S+ requires at least (\d+) phone numbers \(R16\.3\)$"),
     lambda m: f"本项目的住户档案须登记至少 {m[1]} 个电话（R16.3）"),
    (re.compile(r"^unit (\S+) is registered already: correct it with unit_correct$"),
     lambda m: f"房屋 {m[1]} 已登记：请选“更正”修改"),
    (re.compile(r"^resident (\S+) is registered already: correct the file with resident_correct$"),
     lambda m: f"档案 {m[1]} 已登记：请选“更正”修改"),
    (re.compile(r"^(\S+) is a public area, not a home \(R16\.4\)$"),
     lambda m: f"{m[1]} 是公共区域，不是住宅，不能登记入住（R16.4）"),
    (re.compile(r"^resident (\S+) lives in (\S+) already$"),
     lambda m: f"住户 {m[1]} 已登记入住 {m[2]}"),
    (re.compile(r"^resident (\S+) does not live in (\S+)$"),
     lambda m: f"住户 {m[1]} 没有登记入住 {m[2]}"),
    (re.compile(r"^resident (\S+) is not flagged for special care$"),
     lambda m: f"住户 {m[1]} 没有标记为特殊关怀"),
    # rounds and shifts (巡查, 交接班, R15.9, R15.10)
    (re.compile(r"^the plan of (\S+) has no slot (.+)$"),
     lambda m: f"{m[1]} 的巡查计划中没有时段 {m[2]}"),
    (re.compile(r"^(.+) starts no shift of the site \(shifts start at (.+)\)$"),
     lambda m: f"{m[1]} 不是本项目的班次开始时间（班次开始于 {m[2]}）"),
    (re.compile(r"^shift (.+) has not started yet$"), lambda m: f"班次 {m[1]} 还没有开始"),
    (re.compile(r"^a shift log holds at most (\d+) entries$"),
     lambda m: f"一个班次的交接班记录最多 {m[1]} 条（R15.10）"),
    (re.compile(r"^(\S+) has signed this handover already$"),
     lambda m: f"{m[1]} 已签过这份交接班记录（R15.9）"),
    # violation cases (违例, R14.2, R14.3)
    (re.compile(r"^violation case (\S+) is open already: \S+$"),
     lambda m: f"违例案件 {m[1]} 已在处理中"),
    (re.compile(r"^due_on (\S+) is before today \((\S+)\)$"),
     lambda m: f"期限 {m[1]} 早于今天（{m[2]}）"),
    (re.compile(r"^(\w+) needs (\w+) first \(R14\.3\)$"),
     lambda m: f"{word('measure', m[1])}之前须先{word('measure', m[2])}（R14.3）"),
    (re.compile(r"^(\w+) is for a loss: a general case caused none \(R14\.2\)$"),
     lambda m: f"{word('measure', m[1])}只用于造成损失的案件：一般违例没有损失（R14.2）"),
    (re.compile(r"^the case is (\w+) already$"),
     lambda m: f"案件已是{word('violation_class', m[1])}"),
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
