"""The console's words: each vocabulary value as the desk says it in Chinese (受理登记, 派工单,
回访 …). The domain's values shared with the mail and the report files are shared/kernel/words.py's
Chinese; what only the console shows is here. A value the console does not know (a site's own
category) is shown as it came."""

from __future__ import annotations

from shared.kernel import words
from shared.kernel.words import chinese

CHANNELS = chinese(words.CHANNELS)
KINDS = chinese(words.KINDS)
HELP_CATEGORIES = {
    "A": "A 急救病人", "B": "B 报修求助", "C": "C 投诉", "D": "D 咨询",
    "E": "E 盗窃/打架/事故", "F": "F 水浸/火灾", "G": "G 其他",
}  # fmt: skip
CATEGORIES = chinese(words.CATEGORIES)
STATUSES = chinese(words.STATUSES)
VALIDITY = chinese(words.VALIDITY)
COMMUNICATIVE = {"help_seeking": "求助型", "inquiry": "咨询型", "venting": "发泄型"}
SEVERITY = chinese(words.SEVERITY)
ROLES = chinese(words.ROLES)
DEPARTMENTS = chinese(words.DEPARTMENTS)
ORDER_STATUSES = {
    "issued": "待接单", "collected": "已接单", "assigned": "已派技术员", "arrived": "已到场",
    "awaiting_acceptance": "待验收", "completed": "已完成", "signed_off": "已签认",
    "returned": "已交回", "referred": "已转出", "declined": "客户拒绝报价", "cancelled": "已取消",
}  # fmt: skip
# the clocks, and the pages' own names for an appointment, a complaint's reply and its ladder
CLOCKS = chinese(words.CLOCKS) | {
    "appointment": "预约上门", "complaint_reply": "投诉答复", "ladder": "投诉升级",
}  # fmt: skip
CLOCK_STATES = {
    "running": "计时中", "paused": "暂停", "met": "按时完成", "late": "超时完成",
    "cancelled": "已取消",
}  # fmt: skip
EVENTS = {
    "ticket.reported": "受理登记", "ticket.classified": "分析界定",
    "ticket.contact_linked": "重复来电",
    "ticket.contact_revealed": "查看联系方式", "ticket.replied": "答复客户",
    "ticket.solution_accepted": "客户接受解决方案", "ticket.resolved": "处理完毕",
    "ticket.followed_up": "回访", "ticket.closed": "关闭", "ticket.reopened": "重新处理",
    "ticket.cancelled": "撤销", "ticket.verified": "现场验证",
    "ticket.handed_over": "移交负责人",  # first-contact ownership (R10.1)
    "ticket.special_care": "特殊关怀住户",
}  # fmt: skip
ORDER_EVENTS = {
    "issued": "派单", "classification_overridden": "调整紧急程度/范围", "collected": "领单签收",
    "assigned": "派技术员", "arrived": "到场", "rescheduled": "改约", "quoted": "报价",
    "quote_accepted": "客户接受报价", "quote_declined": "客户拒绝报价", "completed": "完工",
    "acceptance_confirmed": "验收确认", "signed_off": "客户评价签认", "returned": "交回",
    "referred": "转管业部", "cancelled": "取消",
}  # fmt: skip
# where a round's finding went (R13.15b)
ROUTED = chinese(words.ROUTED)
# emergency events (突发事件, R16.5; docs/INCIDENTS.md)
INCIDENT_KINDS = chinese(words.INCIDENT_KINDS)
INCIDENT_STATUSES = chinese(words.INCIDENT_STATUSES)
# violation cases (违例, R14.2, R14.3; docs/VIOLATIONS.md)
VIOLATION_CLASSES = chinese(words.VIOLATION_CLASSES)
MEASURES = chinese(words.MEASURES)
# maintenance and outage notices (维修通告, R7.9, R7.10, R16.6; docs/OUTAGES.md)
NOTICE_KINDS = {
    "planned_work": "计划维修（公共部位）", "emergency_work": "紧急抢修", "water_outage": "停水",
    "power_outage": "停电", "gas_outage": "停气", "lift_outage": "电梯停运",
    "other_outage": "其他停运",
}  # fmt: skip
NOTICE_STATUSES = {"announced": "生效中", "restored": "已恢复", "done": "已完工",
                   "cancelled": "已取消"}  # fmt: skip
NOTICE_REASONS = chinese(words.NOTICE_REASONS)
NOTICE_ENDS = chinese(words.NOTICE_ENDS)  # 已结束（工单已撤销）: R6.3
CANCEL_REASONS = chinese(words.CANCEL_REASONS)  # 客户撤回, 重复工单
# promises kept (docs/PROMISES.md)
PROMISE_KINDS = chinese(words.PROMISE_KINDS)
# where a member of staff stands with their console password (账号管理, docs/CONSOLE.md)
PASSWORD_STATES = {
    "chosen": "已设置密码", "first_run": "未设置（首次登录用初始密码）",
    "one_time": "已重置，临时密码待使用", "one_time_used": "已重置，待本人设置新密码",
    "one_time_expired": "临时密码已过期，需重新重置",
}  # fmt: skip
# texts the services write themselves on a ticket (a resolution, a close reason), as the desk reads
# them; anything a person typed is shown as typed
SERVICE_TEXTS = {
    "all work orders completed and signed off by the customer": "全部派工单已完工并经客户签认",
    "satisfied_follow_up": "回访满意", "verified_on_site": "现场验证合格",
    "nobody_home": "无人在家",  # a reschedule's reason when none is given (contract §10.7)
}  # fmt: skip
# who did a step, when it was no one of the staff: the services' own names for themselves
# (dispatch issues a repair's order by itself; escalation raises clocks and notices; ops expires)
ACTORS = {"dispatch": "系统自动派单", "escalation": "系统", "intake": "系统", "ops": "系统运维"}
# the follow-up call's satisfaction score (R11.1: 4–5 satisfied and closes, 3 and below reopens)
SCORES = {"5": "非常满意", "4": "满意", "3": "一般", "2": "不满意", "1": "很不满意"}
# the contract's error codes, as the desk is told them
ERRORS = {
    "invalid": "填写有误", "not_found": "找不到该记录", "conflict": "当前状态不允许此操作",
    "forbidden": "无权进行此操作", "unavailable": "服务暂时不可用，请稍后重试",
}  # fmt: skip

VOCABULARIES = {
    "channel": CHANNELS, "kind": KINDS, "help_category": HELP_CATEGORIES,
    "category": CATEGORIES, "status": STATUSES, "validity": VALIDITY,
    "communicative_type": COMMUNICATIVE, "severity": SEVERITY, "role": ROLES,
    "department": DEPARTMENTS, "order_status": ORDER_STATUSES, "clock": CLOCKS,
    "clock_state": CLOCK_STATES, "event": EVENTS, "error": ERRORS, "order_event": ORDER_EVENTS,
    "incident_kind": INCIDENT_KINDS, "incident_status": INCIDENT_STATUSES,
    "notice_reason": NOTICE_REASONS, "notice_end": NOTICE_ENDS, "promise_kind": PROMISE_KINDS,
    "notice_kind": NOTICE_KINDS, "notice_status": NOTICE_STATUSES,
    "password_state": PASSWORD_STATES, "said": SERVICE_TEXTS, "score": SCORES,
    "violation_class": VIOLATION_CLASSES, "measure": MEASURES, "actor": ACTORS,
    "cancel_reason": CANCEL_REASONS,
}  # fmt: skip


def word(vocabulary: str, value: object) -> str:
    """`value` in Chinese, or as it came when the console does not know it."""
    if value is None or value == "":
        return ""
    return VOCABULARIES[vocabulary].get(str(value), str(value))
