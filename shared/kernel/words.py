"""The words people read for the domain's values, in one place: each value as (中文, English). The
console shows the Chinese, the notification mail and the report files both. The English is
written as in running text ("power cut"); a report's cell capitalises its first letter.

Where the tables this replaced disagreed, the word here is docs/DOMAIN.md's or docs/RULES.md's
(来电, 信访, 巡查发现 R2.2; 有效投诉, 沟通性投诉 R4.2, R5.6; 轻微 R5.3), the one the docs show
(住户报修接单 docs/CONSOLE.md; 超时未处理, 承诺逾期未兑现 docs/NOTIFICATIONS.md), else the
desk's (已界定: 分析界定, R4.2). A value not here (a site's own category) is shown as it came."""

from __future__ import annotations

Words = dict[str, tuple[str, str]]

# how a contact came in (受理渠道, R2.2, R2.3; Channel)
CHANNELS: Words = {
    "phone": ("来电", "phone"), "visit": ("来访", "visit"), "letter": ("信访", "letter"),
    "online": ("网络(App/微信/邮件)", "online"), "hotline": ("24小时热线", "hotline"),
    "inspection": ("巡查发现", "inspection"), "forwarded": ("公司转发", "forwarded"),
}  # fmt: skip
# what a ticket is (R4.1–R4.11; Kind)
KINDS: Words = {
    "repair": ("报修", "repair"), "complaint": ("投诉", "complaint"),
    "inquiry": ("咨询", "inquiry"), "suggestion": ("建议", "suggestion"), "help": ("求助", "help"),
    "violation": ("违例", "violation"), "paid_service": ("有偿服务", "paid service"),
}  # fmt: skip
# the default categories and those sites commonly add (DEFAULT_CATEGORIES)
CATEGORIES: Words = {
    "cleaning": ("清洁卫生", "cleaning"), "security": ("安全秩序", "security"),
    "greening": ("绿化", "greening"), "maintenance": ("维修养护", "maintenance"),
    "plumbing": ("给排水", "plumbing"), "electrical": ("电气", "electrical"),
    "elevator": ("电梯", "elevator"), "public_facility": ("公共设施", "public facility"),
    "front_desk": ("前台服务", "front desk"), "public_order": ("公共秩序", "public order"),
    "noise": ("噪音", "noise"), "parking": ("停车", "parking"),
    "decoration": ("装修管理", "decoration"), "other": ("其他", "other"),
}  # fmt: skip
# a ticket's status (TicketStatus)
STATUSES: Words = {
    "received": ("已受理", "received"), "classified": ("已界定", "classified"),
    "resolved": ("已处理待回访", "resolved"), "closed": ("已关闭", "closed"),
    "reopened": ("重新处理", "reopened"), "cancelled": ("已撤销", "cancelled"),
}  # fmt: skip
# why a ticket was cancelled (撤销, its `reason`: CancelReason, the `cancel` command of contract §6)
CANCEL_REASONS: Words = {"withdrawn": ("客户撤回", "withdrawn by the customer"),
                         "duplicate": ("重复工单", "a duplicate")}  # fmt: skip
# a complaint's validity and severity (R5.1–R5.6; Validity, Severity)
VALIDITY: Words = {"valid": ("有效投诉", "valid"), "communicative": ("沟通性投诉", "communicative")}
SEVERITY: Words = {"major": ("重大", "major"), "important": ("重要", "important"),
                   "minor": ("轻微", "minor")}  # fmt: skip
# who is told, and the role each member of staff acts in (Role; the ladder's levels among them)
ROLES: Words = {
    "receptionist": ("前台接待员", "receptionist"),
    "cs_assistant": ("辖区客服助理", "CS assistant"),
    "department_supervisor": ("部门主管", "department supervisor"),
    "project_manager": ("项目经理", "project manager"),
    "gm_office": ("总经理办公会", "GM office meeting"),
    "quality": ("品质部", "quality"), "technician": ("维修技术员", "technician"),
    "department_staff": ("部门员工", "department staff"),
    "cs_supervisor": ("客服助理部主管", "CS supervisor"),
}  # fmt: skip
# where work orders go (Department)
DEPARTMENTS: Words = {
    "engineering": ("工程部", "engineering"), "cleaning": ("清洁部", "cleaning"),
    "security": ("秩序维护部", "security"), "greening": ("绿化部", "greening"),
    "property_business": ("物业经营部", "property business"),
}  # fmt: skip
# the clocks (ClockName; docs/SERVICE-LEVELS.md)
CLOCKS: Words = {
    "help_reply": ("求助回复", "help-request reply"),
    "order_issued_household": ("住户报修派单", "order issued (household)"),
    "order_issued_public": ("公共报修派单", "order issued (public)"),
    "order_collected_household": ("住户报修接单", "order collected (household)"),
    "order_collected_public": ("公共报修接单", "order collected (public)"),
    "on_site_household": ("住户报修到场", "on site (household)"),
    "on_site_public": ("公共报修到场", "on site (public)"),
    "urgent_on_site": ("急修到场", "urgent repair on site"),
    "urgent_fixed": ("急修完成", "urgent repair fixed"),
    "general_fixed": ("一般维修完成", "general repair fixed"),
    "non_standard_assessed": ("非标项目评估", "non-standard item assessed"),
    "follow_up": ("回访", "follow-up call"),
    "finding_resolved": ("巡查问题一周内解决", "inspection finding resolved"),
}
# where a round's finding went (its `routed_to`: FINDING_ROUTES, or fixed on the spot; R13.15b)
ROUTED: Words = {
    "fixed_on_spot": ("现场整改", "fixed on the spot"), "repair": ("报修", "repair"),
    "department_supervisor": ("部门主管", "department supervisor"),
    "violation_case": ("违例处理", "violation case"),
}  # fmt: skip
# emergency events (突发事件, R16.5; IncidentKind, IncidentStatus; docs/INCIDENTS.md)
INCIDENT_KINDS: Words = {
    "fire": ("火灾", "fire"), "power_cut": ("停电", "power cut"), "flood": ("水浸", "flood"),
    "lift_entrapment": ("电梯困人", "lift entrapment"),
    "medical": ("急救病人", "medical emergency"), "crime": ("治安事件", "crime"),
    "other": ("其他事故", "other"),
}  # fmt: skip
INCIDENT_STATUSES: Words = {"open": ("处理中", "open"), "closed": ("已结案", "closed")}
# why a notification was raised (its `reason`, contract §20.4; docs/NOTIFICATIONS.md)
NOTICE_REASONS: Words = {
    "clock_breached": ("超时未处理", "deadline breached"),
    "complaint_escalated": ("投诉升级", "complaint escalated"),
    "complaint_upgraded": ("升级为重大投诉", "complaint upgraded to major"),
    "major_reported": ("重大投诉", "major complaint"),
    "major_suggested": ("建议定为重大投诉", "suggested as major"),
    "incident_alerted": ("突发事件", "emergency event"),
    "incident_follow_up_due": ("突发事件待跟进", "emergency follow-up overdue"),
    "finding_referred": ("巡查发现员工问题", "staff finding from a round"),
    "measure_overdue": ("违例处理逾期", "violation measure overdue"),  # R14.3
    "promise_reminder": ("承诺即将到期", "promise due soon"),
    "promise_overdue": ("承诺逾期未兑现", "promise overdue"),
    "maintenance_explanation_due": ("抢修待事后说明", "emergency work explanation due"),
    "maintenance_restoration_overdue": ("停水停电超时未恢复", "outage past its restoration time"),
    "handover_unsigned": ("交接班记录未签字", "shift handover unsigned"),  # R15.9: names the shift
    "care_visit_due": ("特殊关怀住户待探访", "special-care visit due"),  # R11.10
    "complaint_received": ("新投诉待处理", "new complaint"),  # to her zone's CS assistant, R6.3
}
# why a notification ended before anyone acknowledged it (`ended.why`, contract §12.5, §20.2;
# R6.3): the console says 已结束（…）
NOTICE_ENDS: Words = {
    "resolved": ("工单已解决", "ticket resolved"), "closed": ("工单已关闭", "ticket closed"),
    "cancelled": ("工单已撤销", "ticket cancelled"),
    "left_ladder": ("不再按投诉升级", "no longer on the complaint ladder"),
    "incident_closed": ("突发事件已结案", "incident closed"),
    "promise_kept": ("承诺已兑现", "promise kept"),
    "promise_broken": ("承诺未兑现", "promise broken"),
    "maintenance_ended": ("通告已结束", "notice ended"),
    "maintenance_cancelled": ("通告已取消", "notice cancelled"),
    "maintenance_explained": ("已事后说明", "explained to the households"),
    "maintenance_revised": ("恢复时间已更新", "restoration time revised"),
    "violation_closed": ("违例已结案", "violation case closed"),
    "measure_replaced": ("已采取后续措施", "a later measure recorded"),
    "shift_signed": ("交接班已签字", "handover signed"),
    "care_visited": ("已探访", "visited"),
    "care_not_needed": ("已取消特殊关怀", "special care ended"),
}  # fmt: skip
# violation cases (违例, R14.2; docs/VIOLATIONS.md) and their measures, in order (R14.3: the
# procedure's own words, 即时劝导、教育 [S3:414])
VIOLATION_CLASSES: Words = {"general": ("一般违例", "general"), "major": ("重大违章", "major")}
MEASURES: Words = {
    "persuasion": ("即时劝导、教育", "persuasion and education"),
    "rectify": ("限期整改", "rectification by a deadline"),
    "compensation": ("赔偿经济损失", "compensation"), "legal_action": ("提起诉讼", "legal action"),
}  # fmt: skip
# promises kept (PromiseKind; docs/PROMISES.md)
PROMISE_KINDS: Words = {
    "reply": ("答复客户", "reply"), "callback": ("未接来电回电", "missed call"),
    "answer": ("回访问题答复", "follow-up answer"),
}  # fmt: skip


def chinese(words: Words) -> dict[str, str]:
    """The table's Chinese alone: value -> 中文."""
    return {value: zh for value, (zh, _) in words.items()}


def english(words: Words, value: object) -> str:
    """A value in the table's English ("ticket cancelled"), or as it came when the table does
    not know it."""
    value = str(getattr(value, "value", value))
    said = words.get(value)
    return said[1] if said else value


def both(words: Words, value: object) -> str:
    """A value as "火灾 fire", or as it came when the table does not know it."""
    value = str(getattr(value, "value", value))
    said = words.get(value)
    return f"{said[0]} {said[1]}" if said else value
