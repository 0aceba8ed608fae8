"""The words of the report files: each vocabulary value in Chinese with the English beside it,
as on the 《客户投诉(建议、咨询)月汇总表》 — the domain's values in shared/kernel/words.py's words,
and the report's own measures and buckets here. A value the desk does not know (a site's own
category) is shown as it was received."""

from __future__ import annotations

from shared.kernel import words as domain
from shared.kernel.vocabulary import LADDER
from shared.kernel.words import Words

# the domain's values
KINDS, CHANNELS, CATEGORIES, STATUSES = (
    domain.KINDS, domain.CHANNELS, domain.CATEGORIES, domain.STATUSES
)  # fmt: skip
DEPARTMENTS, CLOCKS = domain.DEPARTMENTS, domain.CLOCKS
INCIDENT_KINDS, INCIDENT_STATUSES = domain.INCIDENT_KINDS, domain.INCIDENT_STATUSES
# the report's own buckets beside the domain's values: a complaint not (yet) graded
VALIDITY: Words = {
    **domain.VALIDITY,
    "invalid": ("无效", "invalid"),
    "unclassified": ("未分类", "unclassified"),
}
SEVERITY: Words = {**domain.SEVERITY, "unclassified": ("未分类", "unclassified")}
# who holds a complaint on the ladder (R6.3–R6.6)
LEVELS: Words = {level: domain.ROLES[level] for level in LADDER}
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
    **{f"measures_{m}": (zh, f"Measures: {en}") for m, (zh, en) in domain.MEASURES.items()},
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


def label(vocabulary: Words, key: str) -> str:
    """A known value as "投诉 Complaint", else the value as received."""
    said = vocabulary.get(key)
    return both(said[0], _capital(said[1])) if said else str(key)


def english(vocabulary: Words, key: str) -> str:
    """The English word only (chart labels when no CJK font is installed); a value outside the
    vocabulary (a site's own category, say `pet_control`) reads as "Pet control"."""
    said = vocabulary.get(key)
    return _capital(said[1] if said else str(key).replace("_", " "))


def _capital(text: str) -> str:
    """A cell's label starts with a capital ("power cut" is "Power cut"; "GM office" stays)."""
    return text[:1].upper() + text[1:]
