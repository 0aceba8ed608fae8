"""The weekly site summary of complaints and suggestions (docs/REPORTS.md, 周汇总) as a document:
an overview, the contacts by kind, and one row per complaint and per suggestion of the week."""

from __future__ import annotations

from typing import Any

from propdesk.report_files import labels as L
from propdesk.report_files.document import (
    Document,
    Sheet,
    Table,
    by_kind,
    contacts_split,
    count,
    label_or_none,
    site_heading,
    text,
    when,
)
from propdesk.report_files.labels import both
from propdesk.report_files.ledger import departments, follow_up

# the complaint list's column widths (characters): the overview's labels fit the first two
WIDTHS = (18, 17, 10, 12, 10, 11, 11, 15, 15, 28, 26, 17, 22)


def weekly(report: dict[str, Any]) -> Document:
    title, meta = site_heading(
        report,
        "客户投诉、建议周汇总 Weekly complaint and suggestion summary",
        unit=("周次", "Week", "week"),
    )
    overview = Table(
        both("概况", "Overview"),
        [both("指标", "Measure"), both("数量", "Count")],
        [
            [text(both("受理总数", "Contacts")), count(report.get("contacts"))],
            *contacts_split(report),
            [text(both("已解决", "Resolved")), count(report.get("resolved"))],
            [text(both("已取消", "Cancelled")), count(report.get("cancelled"))],
            [text(both("未解决", "Open")), count(report.get("open"))],
        ],
        key="overview",
    )
    kinds = by_kind(report)
    complaints = Table(
        both("投诉明细", "Complaints"),
        [
            both("单号", "Ticket no"),
            both("受理时间", "Received"),
            both("客户单元", "Unit"),
            both("分类", "Category"),
            both("有效性", "Validity"),
            both("严重程度", "Severity"),
            both("状态", "Status"),
            both("升级级别", "Escalation level"),
            both("责任部门", "Department"),
            both("内容", "Content"),
            both("处理情况", "Handling"),
            both("完成时间", "Completed"),
            both("回访结果", "Follow-up result"),
        ],
        [
            [
                text(c.get("ticket_no")),
                when(report, c.get("received_at"), labelled=False),
                text(c.get("unit")),
                text(label_or_none(L.CATEGORIES, c.get("category"))),
                text(label_or_none(L.VALIDITY, c.get("validity"))),
                text(label_or_none(L.SEVERITY, c.get("severity"))),
                text(label_or_none(L.STATUSES, c.get("status"))),
                text(label_or_none(L.LEVELS, c.get("escalation_level"))),
                text(departments(c)),
                text(c.get("content")),
                text(c.get("resolution")),
                when(report, c.get("completed_at"), labelled=False),
                text(follow_up(c)),
            ]
            for c in report.get("complaints") or []
        ],
        key="complaints",
        wrap=frozenset({8, 9, 10, 12}),
    )
    suggestions = Table(
        both("建议明细", "Suggestions"),
        [
            both("单号", "Ticket no"),
            both("受理时间", "Received"),
            both("分类", "Category"),
            both("状态", "Status"),
            both("内容", "Content"),
        ],
        [
            [
                text(s.get("ticket_no")),
                when(report, s.get("received_at")),
                text(label_or_none(L.CATEGORIES, s.get("category"))),
                text(label_or_none(L.STATUSES, s.get("status"))),
                text(s.get("content")),
            ]
            for s in report.get("suggestions") or []
        ],
        long_text=True,
        key="suggestions",
    )
    tables = [overview, kinds, complaints, suggestions]
    sheet = Sheet("周汇总 Weekly", title, meta, tables, widths=WIDTHS, print_header="complaints")
    return Document(title, [sheet])
