"""The monthly site summary 《客户投诉(建议、咨询)月汇总表》 (docs/REPORTS.md) as a document: one
sheet whose tables are built one section at a time, in the order of `SECTIONS`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from propdesk.report_files import labels as L
from propdesk.report_files.document import (
    Document,
    Sheet,
    Table,
    by_kind,
    contacts_split,
    count,
    count_table,
    hours,
    money,
    pct,
    site_heading,
    text,
    when,
)
from propdesk.report_files.handovers import handovers
from propdesk.report_files.labels import both
from propdesk.report_files.ledger import ledger_sheet
from propdesk.report_files.maintenance import maintenance
from propdesk.report_files.promises import promises
from propdesk.report_files.quality import measure_cell, measure_label, trend_measures
from propdesk.report_files.violations import violations
from propdesk.report_files.visits import surveys, visits

Report = dict[str, Any]  # the `report` of a desk.qry.<site>.report.monthly reply
Section = Callable[[Report], Table]

MEASURE = both("指标", "Measure")
VALUE = both("值", "Value")
CHANGE_HEADER = [
    both("项目", "Item"),
    both("本月", "This month"),
    both("上月", "Previous month"),
    both("环比", "Change"),
]


def monthly(report: Report) -> Document:
    title, meta = site_heading(
        report, "客户投诉(建议、咨询)月汇总表 Monthly complaint (suggestion, inquiry) summary"
    )
    tables = [section(report) for section in SECTIONS]
    # the statistics, then the ledger the quality department keeps (R12.4)
    return Document(title, [Sheet("月汇总表 Monthly", title, meta, tables), ledger_sheet(report)])


def overview(report: Report) -> Table:
    rows = [
        [text(both("受理总数", "Contacts")), count(report.get("contacts"))],
        *contacts_split(report),
        [text(both("已取消", "Cancelled")), count(report.get("cancelled"))],
        [text(both("升级为重大", "Upgraded to major")), count(report.get("upgraded_to_major"))],
    ]
    return Table(both("概况", "Overview"), [MEASURE, both("数量", "Count")], rows, key="overview")


def counted(key: str, title: str, vocabulary: dict[str, tuple[str, str]], what: str) -> Section:
    """A section that lists one of the report's count maps (`by_category`, …) with its labels."""
    return lambda report: count_table(title, key, vocabulary, report.get(key), what)


by_category = counted(
    "by_category", both("按分类", "By category"), L.CATEGORIES, both("分类", "Category")
)
by_channel = counted(
    "by_channel", both("按渠道", "By channel"), L.CHANNELS, both("渠道", "Channel")
)
by_validity = counted(
    "by_validity", both("按有效性", "By validity"), L.VALIDITY, both("有效性", "Validity")
)
by_severity = counted(
    "by_severity", both("按严重程度", "By severity"), L.SEVERITY, both("严重程度", "Severity")
)
departments = counted(
    "orders_by_department",
    both("各部门派工单", "Work orders by department"),
    L.DEPARTMENTS,
    both("部门", "Department"),
)


def escalations(report: Report) -> Table:
    """The month's complaints that reached each level (a complaint at the project manager is
    counted at both levels): complaints, not ladder steps."""
    title = both("投诉升级", "Complaints escalated, by level reached")
    what = both("升级级别", "Level")
    table = count_table(title, "escalations", L.LEVELS, report.get("escalations"), what)
    table.header[1] = both("投诉数", "Complaints")
    escalated = count(report.get("escalated_complaints"))
    table.rows += [
        [text(both("升级的投诉", "Complaints escalated")), escalated],
        [text(both("升级为重大", "Upgraded to major")), count(report.get("upgraded_to_major"))],
    ]
    return table


def clocks(report: Report) -> Table:
    header = [
        both("时限", "Clock"),
        both("开始", "Started"),
        both("按时", "Met"),
        both("超时完成", "Late"),
        both("未完成", "Open"),
        both("已超时", "Breached"),
        both("达标率", "Compliance"),
    ]
    rows = [
        [
            text(L.label(L.CLOCKS, name)),
            *(count(c.get(k)) for k in ("started", "met", "late", "open", "breached")),
            pct(c.get("compliance")),
        ]
        for name, c in (report.get("clocks") or {}).items()
    ]
    return Table(both("时限达标", "Clock compliance"), header, rows, key="clocks")


def resolution(report: Report) -> Table:
    res = report.get("resolution_hours") or {}
    rows = [
        [text(both("已解决", "Resolved")), count(res.get("resolved"))],
        [text(both("中位数", "Median")), hours(res.get("median"))],
        [text("P90"), hours(res.get("p90"))],
    ]
    title = both("解决时长", "Resolution time (hours)")
    return Table(title, [MEASURE, VALUE], rows, key="resolution_hours")


def satisfaction(report: Report) -> Table:
    """Follow-up, satisfaction and reopen rates: each with its base and its count."""
    header = [MEASURE, both("基数", "Base"), both("数量", "Count"), both("比率", "Rate")]
    rates = (  # (label, section of the report, its base, its count)
        (both("回访率", "Follow-up rate"), "follow_up", "resolved", "followed_up"),
        (both("满意率", "Satisfaction rate"), "satisfaction", "follow_ups", "satisfied"),
        (both("重开率", "Reopen rate"), "reopen", "resolved", "reopened"),
    )
    rows = []
    for label, key, base, part in rates:
        data = report.get(key) or {}
        cells = [count(data.get(base)), count(data.get(part)), pct(data.get("rate"))]
        rows.append([text(label), *cells])
    return Table(both("回访与满意度", "Follow-up and satisfaction"), header, rows, key="rates")


def repeat_units(report: Report) -> Table:
    rows = [
        [text(u.get("unit")), count(u.get("complaints"))] for u in report.get("repeat_units") or []
    ]
    header = [both("单元", "Unit"), both("投诉数", "Complaints")]
    title = both("重复投诉单元", "Repeat complaints by unit")
    return Table(title, header, rows, key="repeat_units")


def paid(report: Report) -> Table:
    data = report.get("paid") or {}
    rows = [
        [text(both("单数", "Orders")), count(data.get("orders"))],
        [text(both("收入(元)", "Revenue (CNY)")), money(data.get("revenue"))],
    ]
    return Table(both("有偿服务收入", "Paid-service revenue"), [MEASURE, VALUE], rows, key="paid")


def top_categories(report: Report) -> Table:
    rows = [
        [text(L.label(L.CATEGORIES, t.get("category"))), count(t.get("count")),
         count(t.get("previous")), count(t.get("change"))]
        for t in report.get("top_categories") or []
    ]  # fmt: skip
    title = both("主要类别及环比", "Top categories and change on the previous month")
    return Table(title, CHANGE_HEADER, rows, key="top_categories")


def change(report: Report) -> Table:
    words = {"contacts": ("受理总数", "Contacts"), "complaints": ("投诉", "Complaints"),
             "repairs": ("报修", "Repairs")}  # fmt: skip
    rows = [
        [text(L.label(words, name)), count(c.get("this")), count(c.get("previous")),
         count(c.get("change"))]
        for name, c in (report.get("change") or {}).items()
    ]  # fmt: skip
    return Table(both("环比", "Change on the previous month"), CHANGE_HEADER, rows, key="change")


def trend(report: Report) -> Table:
    """A row per month; a column per measure of the trend (the special-care ones, R11.10, when
    the report has them)."""
    points = report.get("trend") or []
    measures = trend_measures(points)
    header = [both("月份", "Month"), *(measure_label(m) for m in measures)]
    rows = [[text(t.get("month")), *(measure_cell(m, t.get(m)) for m in measures)] for t in points]
    return Table(both("近六个月趋势", "Six-month trend"), header, rows, key="trend")


def analysis(report: Report) -> Table:
    """The site manager's analysis of the month (R12.2), as attached."""
    a = report.get("analysis") or {}
    rows = [
        [text(both("原因分析", "Cause")), text(a.get("cause"))],
        [text(both("经验教训", "Lessons")), text(a.get("lessons"))],
        [text(both("整改措施", "Corrective actions")), text(a.get("actions"))],
        [text(both("修订版本", "Revision")), count(a.get("revision"))],
        [text(both("填写人", "By")), text(a.get("by"))],
        [text(both("填写时间", "At")), when(report, a.get("at"))],
    ]
    header = [both("项目", "Item"), both("内容", "Text")]
    return Table(both("分析", "Analysis"), header, rows, long_text=True, key="analysis")


def incidents(report: Report) -> Table:
    """The month's emergency events (突发事件, R16.5): what, where, when, the measures taken, to
    whom it was reported and the follow-up, every time in the site's zone."""
    header = [
        both("编号", "No."),
        both("类型", "Kind"),
        both("地点", "Place"),
        both("发生时间", "Occurred"),
        both("状态", "Status"),
        both("上报", "Reported to"),
        both("处理措施与跟进", "Measures and follow-up"),
    ]
    rows = []
    for i in report.get("incidents") or []:
        reported = "; ".join(
            f"{L.label(L.LEVELS, r.get('to'))} {_hm(r.get('reported_at'))}"
            for r in i.get("reports_up") or []
        )
        lines = [f"{_hm(m.get('taken_at'))} {m.get('measure')}" for m in i.get("measures") or []]
        if i.get("follow_up"):
            lines.append(f"跟进 Follow-up: {i['follow_up']}")
        rows.append(
            [
                text(i.get("incident_no")),
                text(L.label(L.INCIDENT_KINDS, i.get("kind"))),
                text(i.get("place")),
                when(report, i.get("occurred_at")),
                text(L.label(L.INCIDENT_STATUSES, i.get("status"))),
                text(reported),
                text("\n".join(lines)),
            ]
        )
    title = both("突发事件", "Emergency events")
    return Table(title, header, rows, long_text=True, key="incidents", wrap=frozenset({5}))


def _hm(value: Any) -> str:
    """A local time as the site wrote it (its own offset), to the minute: 2026-12-06 02:05."""
    return str(value or "")[:16].replace("T", " ")


def inspection_findings(report: Report) -> Table:
    """The month's inspection findings: closed on site (R13.17), resolved within a week (R13.16)."""
    found = report.get("inspection") or {}
    rows = [
        [text(both("巡查发现问题", "Findings")), count(found.get("findings"))],
        *[
            [text(L.label(L.KINDS, kind)), count(n)]
            for kind, n in (found.get("by_kind") or {}).items()
        ],
        [text(both("现场验证关闭", "Closed on site")), count(found.get("closed"))],
        [text(both("关闭率", "Closure rate")), pct(found.get("closure_rate"))],
        [text(both("一周内解决", "Resolved in a week")), count(found.get("resolved_in_a_week"))],
        [text(both("逾期", "Late")), count(found.get("late"))],
        [text(both("未解决", "Still open")), count(found.get("open"))],
        [text(both("按时率", "On time")), pct(found.get("on_time_rate"))],
    ]
    return Table(both("巡查问题", "Inspection findings"), [MEASURE, VALUE], rows, key="inspection")


SECTIONS: tuple[Section, ...] = (
    overview,
    by_kind,
    by_category,
    by_channel,
    by_validity,
    by_severity,
    escalations,
    clocks,
    resolution,
    satisfaction,
    repeat_units,
    paid,
    violations,
    promises,
    handovers,
    departments,
    top_categories,
    change,
    trend,
    incidents,
    maintenance,
    analysis,
    inspection_findings,
    visits,  # R11.6
    surveys,  # R11.9
)
