"""The words of the report files: each vocabulary value in Chinese with the English beside it,
as on the 《客户投诉(建议、咨询)月汇总表》. A value the desk does not know (a site's own category)
is shown as it was received."""

from __future__ import annotations

# (中文, English)
KINDS = {
    "complaint": ("投诉", "Complaint"),
    "repair": ("报修", "Repair"),
    "inquiry": ("咨询", "Inquiry"),
    "suggestion": ("建议", "Suggestion"),
    "help": ("求助", "Help"),
    "violation": ("违例", "Violation"),
    "paid_service": ("有偿服务", "Paid service"),
}
CHANNELS = {
    "phone": ("电话", "Phone"),
    "visit": ("来访", "Visit"),
    "letter": ("信函", "Letter"),
    "online": ("网络", "Online"),
    "hotline": ("热线", "Hotline"),
    "inspection": ("巡查", "Inspection"),
    "forwarded": ("公司转发", "Forwarded"),
}
VALIDITY = {
    "valid": ("有效", "Valid"),
    "invalid": ("无效", "Invalid"),
    "communicative": ("沟通类", "Communicative"),
    "unclassified": ("未分类", "Unclassified"),
}
SEVERITY = {
    "minor": ("一般", "Minor"),
    "important": ("重要", "Important"),
    "major": ("重大", "Major"),
    "unclassified": ("未分类", "Unclassified"),
}
LEVELS = {
    "cs_assistant": ("辖区客服助理", "CS assistant"),
    "department_supervisor": ("部门主管", "Department supervisor"),
    "project_manager": ("项目经理", "Project manager"),
    "gm_office": ("总经理办公室", "GM office"),
}
INCIDENT_KINDS = {
    "fire": ("火灾", "Fire"),
    "power_cut": ("停电", "Power cut"),
    "flood": ("水浸", "Flood"),
    "lift_entrapment": ("电梯困人", "Lift entrapment"),
    "medical": ("急救病人", "Medical emergency"),
    "crime": ("治安事件", "Crime"),
    "other": ("其他事故", "Other"),
}
INCIDENT_STATUSES = {"open": ("处理中", "Open"), "closed": ("已结案", "Closed")}
CLOCKS = {
    "help_reply": ("求助回复", "Help-request reply"),
    "order_issued_household": ("住户报修派单", "Order issued (household)"),
    "order_issued_public": ("公共报修派单", "Order issued (public)"),
    "order_collected_household": ("住户报修部门接单", "Order collected (household)"),
    "order_collected_public": ("公共报修部门接单", "Order collected (public)"),
    "on_site_household": ("住户报修到场", "On site (household)"),
    "on_site_public": ("公共报修到场", "On site (public)"),
    "urgent_on_site": ("急修到场", "Urgent repair on site"),
    "urgent_fixed": ("急修完成", "Urgent repair fixed"),
    "general_fixed": ("一般维修完成", "General repair fixed"),
    "non_standard_assessed": ("非标项目评估", "Non-standard item assessed"),
    "follow_up": ("回访", "Follow-up call"),
    "finding_resolved": ("巡查问题一周内解决", "Inspection finding resolved"),
}
DEPARTMENTS = {
    "engineering": ("工程部", "Engineering"),
    "cleaning": ("清洁部", "Cleaning"),
    "security": ("秩序维护部", "Security"),
    "greening": ("绿化部", "Greening"),
    "property_business": ("物业经营部", "Property business"),
}
CATEGORIES = {
    "cleaning": ("清洁卫生", "Cleaning"),
    "security": ("安全秩序", "Security"),
    "greening": ("绿化", "Greening"),
    "maintenance": ("维修养护", "Maintenance"),
    "plumbing": ("给排水", "Plumbing"),
    "electrical": ("电气", "Electrical"),
    "elevator": ("电梯", "Elevator"),
    "public_facility": ("公共设施", "Public facility"),
    "front_desk": ("前台服务", "Front desk"),
    "public_order": ("公共秩序", "Public order"),
    "noise": ("噪音", "Noise"),
    "parking": ("停车", "Parking"),
    "decoration": ("装修管理", "Decoration"),
    "other": ("其他", "Other"),
}
STATUSES = {
    "received": ("已受理", "Received"),
    "classified": ("已分类", "Classified"),
    "resolved": ("已解决", "Resolved"),
    "closed": ("已关闭", "Closed"),
    "reopened": ("已重开", "Reopened"),
    "cancelled": ("已取消", "Cancelled"),
}
# The measures of the company quality pack, in the order of its side-by-side table.
MEASURES = {
    "contacts": ("受理总数", "Contacts"),
    "repeat_contacts": ("重复来电", "Repeat contacts"),  # part of the contacts (R16.1)
    "complaints": ("投诉", "Complaints"),
    "valid_complaints": ("有效投诉", "Valid complaints"),
    # a complaint that climbed to the project manager: 1 complaint escalated, 2 ladder steps
    "escalated_complaints": ("升级的投诉", "Complaints escalated"),
    "escalations": ("升级步数", "Ladder steps"),
    "upgraded_to_major": ("升级为重大", "Upgraded to major"),
    "clock_compliance": ("时限达标率", "Clock compliance"),
    "resolution_median_hours": ("解决时长中位数(小时)", "Median resolution (h)"),
    "follow_up_rate": ("回访率", "Follow-up rate"),
    "satisfaction_rate": ("满意率", "Satisfaction rate"),
    "reopen_rate": ("重开率", "Reopen rate"),
    "paid_revenue": ("有偿服务收入(元)", "Paid-service revenue (CNY)"),
    "incidents": ("突发事件", "Emergency events"),
    "promises_on_time": ("承诺按时兑现率", "Promises kept on time"),
    # issue 16: the rounds' findings and how they closed (R13.16, R13.17), violation cases by
    # grade (R14.2) and their measures (R14.3)
    "inspection_findings": ("巡查问题", "Inspection findings"),
    "findings_closed": ("现场验证关闭", "Findings closed on site"),
    "finding_closure_rate": ("巡查问题关闭率", "Finding closure rate"),
    "findings_on_time": ("一周内解决", "Resolved within the week"),
    "findings_late": ("逾期", "Findings late"),
    "findings_open": ("未解决", "Findings open"),
    "violations_general": ("一般违例立案", "Violations, general"),
    "violations_major": ("重大违章立案", "Violations, major"),
    "measures_persuasion": ("劝导教育", "Measures: persuasion"),
    "measures_rectify": ("限期整改", "Measures: rectify"),
    "measures_compensation": ("赔偿经济损失", "Measures: compensation"),
    "measures_legal_action": ("提起诉讼", "Measures: legal action"),
    "visit_weeks_met": ("走访达标周数", "Visit weeks on target"),
    "survey_satisfaction_rate": ("调查满意率", "Survey satisfaction"),
    # the special-care residents (R11.10): on the care roll at the month's end, their visits
    # made in the month, and those reminded in the month that their visit was overdue
    "care_residents": ("关怀住户", "Special-care residents"),
    "care_visits": ("关怀走访", "Special-care visits"),
    "care_visits_overdue": ("逾期未访住户", "Residents overdue a visit"),
    # issue 16: the shift handovers and their signatures (R15.9), tickets handed over (R10.1)
    "handovers": ("交接班", "Handovers"),
    "handovers_signed_on_time": ("按时接班签字", "Handovers signed on time"),
    "handovers_signed_late": ("逾时接班签字", "Handovers signed late"),
    "handovers_unsigned": ("未接班签字", "Handovers unsigned"),
    "handover_on_time_rate": ("接班按时签字率", "Handover on-time rate"),
    "tickets_handed_over": ("工单移交", "Tickets handed over"),
}
RATE_MEASURES = frozenset(
    {"clock_compliance", "follow_up_rate", "satisfaction_rate", "reopen_rate",
     "promises_on_time", "finding_closure_rate", "survey_satisfaction_rate",
     "handover_on_time_rate"}
)  # fmt: skip
MONEY_MEASURES = frozenset({"paid_revenue"})
HOUR_MEASURES = frozenset({"resolution_median_hours"})


def both(zh: str, en: str) -> str:
    """A header: the Chinese with the English beside it."""
    return f"{zh} {en}"


def label(vocabulary: dict[str, tuple[str, str]], key: str) -> str:
    """A known value as "投诉 Complaint", else the value as received."""
    words = vocabulary.get(key)
    return both(*words) if words else str(key)


def english(vocabulary: dict[str, tuple[str, str]], key: str) -> str:
    """The English word only (chart labels when no CJK font is installed); a value outside the
    vocabulary (a site's own category, say `pet_control`) reads as "Pet control"."""
    words = vocabulary.get(key)
    if words:
        return words[1]
    text = str(key).replace("_", " ")
    return text[:1].upper() + text[1:]
