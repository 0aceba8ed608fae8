"""The month's ledger 《客户投诉(建议、咨询)月汇总表》 as the quality department keeps it (R12.4,
docs/REPORT-FILES.md): one row per complaint, suggestion and inquiry of the month (date,
customer's unit, content, kind, responsible department, handling, completion time, follow-up
result, remarks), then the totals and the analysis box (R12.2). The weekly complaint list
(R12.1) uses the same columns for unit, department, handling and follow-up.

Only what the bus carries is shown: the unit (room) and masked texts, never a name or a phone
(R15.1)."""

from __future__ import annotations

from typing import Any

from propdesk.report_files import labels as L
from propdesk.report_files.document import Cell, Sheet, Table, count, site_heading, text, when
from propdesk.report_files.labels import both

Case = dict[str, Any]  # an entry of the monthly report's `ledger` (docs/REPORTS.md)

KINDS = ("complaint", "suggestion", "inquiry")
DONE = ("resolved", "closed")
# The ledger's columns and their widths in characters (a Chinese character takes two).
COLUMNS = (
    (both("序号", "No."), 6),
    (both("单号", "Ticket no"), 17),
    (both("日期", "Date"), 17),
    (both("客户单元", "Unit"), 10),
    (both("内容", "Content"), 30),
    (both("类别", "Kind"), 13),
    (both("责任部门", "Department"), 15),
    (both("处理情况", "Handling"), 28),
    (both("完成时间", "Completed"), 17),
    (both("回访结果", "Follow-up result"), 22),
    (both("备注", "Remarks"), 24),
)
WRAPPED = frozenset({4, 6, 7, 9, 10})  # content, department, handling, follow-up, remarks


def departments(case: Case) -> str | None:
    found = case.get("departments") or []
    return "、".join(L.label(L.DEPARTMENTS, d) for d in found) or None


def follow_up(case: Case) -> str:
    result = case.get("follow_up")
    if not result:
        return both("未回访", "Not followed up")
    satisfied = result.get("satisfied")
    verdict = both("满意", "Satisfied") if satisfied else both("不满意", "Unsatisfied")
    line = f"{verdict} ({result.get('score')}/5)"
    return f"{line}\n{result['comment']}" if result.get("comment") else line


def remarks(case: Case) -> str:
    """What the ledger's remarks column says: the classification, the ladder, a reopening, and
    a case still open or cancelled."""
    parts = []
    if case.get("kind") == "complaint":
        graded = [
            L.label(L.VALIDITY, case["validity"]) if case.get("validity") else None,
            L.label(L.SEVERITY, case["severity"]) if case.get("severity") else None,
        ]
        parts.append(" · ".join(g for g in graded if g) or L.label(L.VALIDITY, "unclassified"))
    if case.get("escalation_level"):
        level = L.label(L.LEVELS, case["escalation_level"])
        parts.append(f"{both('升级至', 'Escalated to')} {level}")
    if case.get("upgraded"):
        parts.append(both("升级为重大", "Upgraded to major"))
    if case.get("reopened") and case.get("status") in DONE:
        parts.append(both("曾重开", "Reopened"))
    if case.get("status") not in DONE:
        parts.append(L.label(L.STATUSES, case.get("status")))
    return "\n".join(parts)


def ledger_table(report: dict[str, Any]) -> Table:
    cases = report.get("ledger") or []
    rows = [
        [
            count(number),
            text(c.get("ticket_no")),
            when(report, c.get("received_at"), labelled=False),
            text(c.get("unit")),
            text(c.get("content")),
            text(L.label(L.KINDS, c.get("kind"))),
            text(departments(c)),
            text(c.get("resolution")),
            when(report, c.get("completed_at"), labelled=False),
            text(follow_up(c)),
            text(remarks(c)),
        ]
        for number, c in enumerate(cases, start=1)
    ]
    header = [name for name, _ in COLUMNS]
    title = both("投诉、建议、咨询登记", "Complaints, suggestions and inquiries, case by case")
    return Table(title, header, rows, key="ledger", wrap=WRAPPED)


def totals_table(report: dict[str, Any]) -> Table:
    """The totals under the ledger: per kind the cases, those completed, followed up and
    satisfied; then all of them."""
    cases = report.get("ledger") or []

    def line(label: str, of: list[Case]) -> list[Cell]:
        return [
            text(label),
            count(len(of)),
            count(sum(1 for c in of if c.get("status") in DONE)),
            count(sum(1 for c in of if c.get("follow_up"))),
            count(sum(1 for c in of if (c.get("follow_up") or {}).get("satisfied"))),
        ]

    rows = [line(L.label(L.KINDS, k), [c for c in cases if c.get("kind") == k]) for k in KINDS]
    rows.append(line(both("合计", "Total"), cases))
    header = [
        both("类别", "Kind"),
        both("件数", "Cases"),
        both("已完成", "Completed"),
        both("已回访", "Followed up"),
        both("满意", "Satisfied"),
    ]
    return Table(both("合计", "Totals"), header, rows, key="ledger-totals", total_row=True, span=3)


def analysis_box(report: dict[str, Any]) -> Table:
    """The analysis box at the foot of the form (R12.2): empty until the manager attaches it."""
    a = report.get("analysis") or {}
    by = " ".join(str(v) for v in (a.get("by"), when(report, a.get("at")).value) if v) or None
    rows = [
        [text(both("原因分析", "Cause")), text(a.get("cause"))],
        [text(both("经验教训总结", "Lessons learned")), text(a.get("lessons"))],
        [text(both("整改措施", "Corrective actions")), text(a.get("actions"))],
        [text(both("填写人及时间", "By, at")), text(by)],
    ]
    header = [both("项目", "Item"), both("内容", "Text")]
    title = both("投诉分析", "Complaint analysis")
    return Table(title, header, rows, long_text=True, key="ledger-analysis", span=3)


def ledger_sheet(report: dict[str, Any]) -> Sheet:
    title, meta = site_heading(
        report,
        "客户投诉(建议、咨询)月汇总表 Monthly complaint (suggestion, inquiry) ledger",
        with_period=False,
        zone_note=" (所有时间 all times)",
    )
    return Sheet(
        "汇总台账 Ledger",
        title,
        meta,
        [ledger_table(report), totals_table(report), analysis_box(report)],
        frozen_header="ledger",
        widths=tuple(width for _, width in COLUMNS),
        print_header="ledger",
    )
