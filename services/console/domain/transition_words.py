"""A step refused because of where a record stands (shared/kernel/refusals.py TransitionError:
"cannot <action> <what> that is <status>"), as the desk reads it: what the record is, where it
stands and the step, in the words of the page that offers the step."""

from __future__ import annotations

import re

from services.console.domain.words import (
    INCIDENT_STATUSES,
    NOTICE_STATUSES,
    ORDER_STATUSES,
    STATUSES,
)

# the step, as the refusal names it (its verb, spaces for _)
ACTIONS = {
    "classify": "分析界定", "reply": "答复客户", "accept solution": "接受解决方案",
    "resolve": "处理完毕", "follow up": "回访", "reopen": "重新处理", "cancel": "撤销",
    "link a contact to": "关联重复来电", "hand over": "移交负责人", "verify": "现场验证",
    "collect": "领单签收", "assign": "派技术员", "arrive": "登记到场", "reschedule": "改约",
    "quote": "报价", "quote again": "再次报价", "accept quote": "接受报价",
    "decline quote": "拒绝报价", "answer a quote for": "答复报价", "complete": "完工",
    "confirm acceptance": "验收确认", "sign off": "客户评价签认", "return": "交回派工单",
    "refer": "转管业部", "rework": "返修", "override": "调整紧急程度/范围",
    # incidents, notices, promises, shift logs, violation cases
    "record a measure on": "登记处理措施", "report up": "向上级上报", "close": "结案",
    "revise": "更新预计恢复时间", "end": "登记恢复/完工", "explain": "事后说明",
    "keep": "登记已兑现", "break": "登记未兑现", "re-promise": "改约答复时间",
    "write in": "记录", "sign": "签字", "reclassify": "重新定级",
    "record a mediation on": "登记调解", "propose a penalty on": "提出处罚建议",
    "sign the penalty of": "签署处罚",
}  # fmt: skip
# where one kind of record names a step its own way
OWN_ACTIONS = {
    ("cancel", "a work order"): "取消", ("cancel", "a notice"): "取消",
    ("link a contact to", "a notice"): "关联来电", ("close", "a shift log"): "交班",
    ("sign", "a shift log"): "签字接班", ("sign", "a penalty"): "再次签署",
}  # fmt: skip
# what the record is, and its statuses as its page shows them
WHAT: dict[str, tuple[str, dict[str, str]]] = {
    "a ticket": ("工单", STATUSES),
    "a work order": ("派工单", ORDER_STATUSES),
    "an incident": ("突发事件", INCIDENT_STATUSES),
    "a notice": ("通告", NOTICE_STATUSES),
    "a promise": ("承诺", {"open": "待兑现", "kept": "已兑现", "broken": "未兑现"}),
    "a shift log": ("交接班记录", {"open": "记录中", "closed": "已交班，待签字",
                                  "signed": "已签字接班"}),
    "a violation case": ("违例案件", {"open": "处理中", "closed": "已结案"}),
    "a violation case's penalty": ("处罚建议", {"signed": "经理已签署"}),
    "a penalty": ("处罚", {"signed already": "经理已签署"}),
}  # fmt: skip
REFUSED_STEP = re.compile(rf"^cannot (.+) ({'|'.join(map(re.escape, WHAT))}) that is (.+)$")


def transition(m: re.Match[str]) -> str:
    """`REFUSED_STEP`'s match in Chinese."""
    action, what, status = m.group(1), m.group(2), m.group(3)
    if status == "an unclassified complaint (R6.2)":
        return "投诉须先分析界定才能处理完毕（R6.2）"
    verb = OWN_ACTIONS.get((action, what)) or ACTIONS.get(action, action)
    name, statuses = WHAT[what]
    return f"{name}当前为“{statuses.get(status, status)}”，不能{verb}"
