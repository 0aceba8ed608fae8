"""A report (docs/REPORTS.md) laid out as titled sheets of tables, once, for the XLSX workbook and
the HTML page alike. Every header is Chinese with the English beside it; every value keeps its type
(count, rate, hours, money, text) so each format shows it its own way."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from propdesk.reports import labels as L
from propdesk.reports.labels import both

# How a value is shown: a count, a fraction shown as %, hours, money (a decimal string), text.
INT, PCT, HOURS, MONEY, TEXT = "int", "pct", "hours", "money", "text"


@dataclass(frozen=True)
class Cell:
    value: Any
    kind: str = TEXT


@dataclass
class Table:
    title: str  # the section's heading, e.g. "类别 Kind"
    header: list[str]
    rows: list[list[Cell]]
    empty: str = "无 None"  # shown when there are no rows
    long_text: bool = False  # the last column holds free text (wrapped, spans the sheet)
    key: str = ""  # a stable name for the section (HTML ids, tests)


@dataclass
class Sheet:
    name: str  # the worksheet's name (≤ 31 characters)
    title: str
    meta: list[tuple[str, Cell]]
    tables: list[Table]
    # XLSX: the table whose header row (and first columns) stay frozen; else the title rows.
    frozen_header: str | None = None
    frozen_columns: int = 0


@dataclass
class Document:
    title: str
    sheets: list[Sheet] = field(default_factory=list)


def count(value: Any) -> Cell:
    return Cell(value, INT)


def pct(value: Any) -> Cell:
    return Cell(value, PCT)


def hours(value: Any) -> Cell:
    return Cell(value, HOURS)


def money(value: Any) -> Cell:
    return Cell(value, MONEY)


def text(value: Any) -> Cell:
    return Cell(value, TEXT)


def to_decimal(value: Any) -> Decimal | None:
    """A money string ("160.00") as a Decimal; None when it is not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _counts(
    title: str,
    key: str,
    vocabulary: dict[str, tuple[str, str]],
    counts: dict[str, Any] | None,
    what: str | None = None,
) -> Table:
    """A count map as rows of label and count, in the order the report lists them."""
    rows = [[text(L.label(vocabulary, k)), count(v)] for k, v in (counts or {}).items()]
    return Table(title, [what or title, both("数量", "Count")], rows, key=key)


def _by_kind(report: dict[str, Any]) -> Table:
    return _counts(
        both("按类别", "By kind"), "by_kind", L.KINDS, report.get("by_kind"), both("类别", "Kind")
    )


def _site_line(report: dict[str, Any]) -> str:
    name, site = report.get("site_name"), report.get("site", "")
    return f"{name} ({site})" if name else str(site)


# -- monthly --------------------------------------------------------------------------------------


def monthly(report: dict[str, Any]) -> Document:
    title = (
        "客户投诉(建议、咨询)月汇总表 Monthly complaint (suggestion, inquiry) summary — "
        f"{_site_line(report)} {report.get('month', '')}"
    )
    meta = [
        (both("项目", "Site"), text(_site_line(report))),
        (both("月份", "Month"), text(report.get("month"))),
        (both("统计期间", "Period"), text(f"{report.get('from', '')} – {report.get('to', '')}")),
        (both("时区", "Timezone"), text(report.get("timezone"))),
        (both("数据截至", "As of"), text(report.get("as_of"))),
    ]
    measure = [both("指标", "Measure"), both("数量", "Count")]
    overview = Table(
        both("概况", "Overview"),
        measure,
        [
            [text(both("受理总数", "Contacts")), count(report.get("contacts"))],
            [text(both("已取消", "Cancelled")), count(report.get("cancelled"))],
            [text(both("升级为重大", "Upgraded to major")), count(report.get("upgraded_to_major"))],
        ],
        key="overview",
    )
    by_kind = _by_kind(report)
    by_category = _counts(
        both("按分类", "By category"),
        "by_category",
        L.CATEGORIES,
        report.get("by_category"),
        both("分类", "Category"),
    )
    by_channel = _counts(
        both("按渠道", "By channel"),
        "by_channel",
        L.CHANNELS,
        report.get("by_channel"),
        both("渠道", "Channel"),
    )
    by_validity = _counts(
        both("按有效性", "By validity"),
        "by_validity",
        L.VALIDITY,
        report.get("by_validity"),
        both("有效性", "Validity"),
    )
    by_severity = _counts(
        both("按严重程度", "By severity"),
        "by_severity",
        L.SEVERITY,
        report.get("by_severity"),
        both("严重程度", "Severity"),
    )
    escalations = _counts(
        both("投诉升级", "Escalations"),
        "escalations",
        L.LEVELS,
        report.get("escalations"),
        both("升级级别", "Level"),
    )
    escalations.rows.append(
        [text(both("升级为重大", "Upgraded to major")), count(report.get("upgraded_to_major"))]
    )

    clocks = Table(
        both("时限达标", "Clock compliance"),
        [
            both("时限", "Clock"),
            both("开始", "Started"),
            both("按时", "Met"),
            both("超时完成", "Late"),
            both("未完成", "Open"),
            both("已超时", "Breached"),
            both("达标率", "Compliance"),
        ],
        [
            [
                text(L.label(L.CLOCKS, name)),
                count(c.get("started")),
                count(c.get("met")),
                count(c.get("late")),
                count(c.get("open")),
                count(c.get("breached")),
                pct(c.get("compliance")),
            ]
            for name, c in (report.get("clocks") or {}).items()
        ],
        key="clocks",
    )
    res = report.get("resolution_hours") or {}
    resolution = Table(
        both("解决时长", "Resolution time (hours)"),
        [measure[0], both("值", "Value")],
        [
            [text(both("已解决", "Resolved")), count(res.get("resolved"))],
            [text(both("中位数", "Median")), hours(res.get("median"))],
            [text("P90"), hours(res.get("p90"))],
        ],
        key="resolution_hours",
    )
    fu, sat, ro = (report.get(k) or {} for k in ("follow_up", "satisfaction", "reopen"))
    rates = Table(
        both("回访与满意度", "Follow-up and satisfaction"),
        [
            both("指标", "Measure"),
            both("基数", "Base"),
            both("数量", "Count"),
            both("比率", "Rate"),
        ],
        [
            [
                text(both("回访率", "Follow-up rate")),
                count(fu.get("resolved")),
                count(fu.get("followed_up")),
                pct(fu.get("rate")),
            ],
            [
                text(both("满意率", "Satisfaction rate")),
                count(sat.get("follow_ups")),
                count(sat.get("satisfied")),
                pct(sat.get("rate")),
            ],
            [
                text(both("重开率", "Reopen rate")),
                count(ro.get("resolved")),
                count(ro.get("reopened")),
                pct(ro.get("rate")),
            ],
        ],
        key="rates",
    )
    repeat = Table(
        both("重复投诉单元", "Repeat complaints by unit"),
        [both("单元", "Unit"), both("投诉数", "Complaints")],
        [
            [text(u.get("unit")), count(u.get("complaints"))]
            for u in report.get("repeat_units") or []
        ],
        key="repeat_units",
    )
    paid_data = report.get("paid") or {}
    paid = Table(
        both("有偿服务收入", "Paid-service revenue"),
        [both("指标", "Measure"), both("值", "Value")],
        [
            [text(both("单数", "Orders")), count(paid_data.get("orders"))],
            [text(both("收入(元)", "Revenue (CNY)")), money(paid_data.get("revenue"))],
        ],
        key="paid",
    )
    departments = _counts(
        both("各部门派工单", "Work orders by department"),
        "orders_by_department",
        L.DEPARTMENTS,
        report.get("orders_by_department"),
        both("部门", "Department"),
    )
    change_header = [
        both("项目", "Item"),
        both("本月", "This month"),
        both("上月", "Previous month"),
        both("环比", "Change"),
    ]
    top = Table(
        both("主要类别及环比", "Top categories and change on the previous month"),
        change_header,
        [
            [
                text(L.label(L.CATEGORIES, t.get("category"))),
                count(t.get("count")),
                count(t.get("previous")),
                count(t.get("change")),
            ]
            for t in report.get("top_categories") or []
        ],
        key="top_categories",
    )
    change_words = {"contacts": ("受理总数", "Contacts"), "complaints": ("投诉", "Complaints")}
    change = Table(
        both("环比", "Change on the previous month"),
        change_header,
        [
            [
                text(L.label(change_words, name)),
                count(c.get("this")),
                count(c.get("previous")),
                count(c.get("change")),
            ]
            for name, c in (report.get("change") or {}).items()
        ],
        key="change",
    )
    trend = Table(
        both("近六个月趋势", "Six-month trend"),
        [
            both("月份", "Month"),
            both("受理总数", "Contacts"),
            both("投诉", "Complaints"),
            both("满意率", "Satisfaction rate"),
            both("时限达标率", "Clock compliance"),
        ],
        [
            [
                text(t.get("month")),
                count(t.get("contacts")),
                count(t.get("complaints")),
                pct(t.get("satisfaction_rate")),
                pct(t.get("clock_compliance")),
            ]
            for t in report.get("trend") or []
        ],
        key="trend",
    )
    a = report.get("analysis") or {}
    analysis = Table(
        both("分析", "Analysis"),
        [both("项目", "Item"), both("内容", "Text")],
        [
            [text(both("原因分析", "Cause")), text(a.get("cause"))],
            [text(both("经验教训", "Lessons")), text(a.get("lessons"))],
            [text(both("整改措施", "Corrective actions")), text(a.get("actions"))],
            [text(both("修订版本", "Revision")), count(a.get("revision"))],
            [text(both("填写人", "By")), text(a.get("by"))],
            [text(both("填写时间", "At")), text(a.get("at"))],
        ],
        long_text=True,
        key="analysis",
    )
    tables = [
        overview,
        by_kind,
        by_category,
        by_channel,
        by_validity,
        by_severity,
        escalations,
        clocks,
        resolution,
        rates,
        repeat,
        paid,
        departments,
        top,
        change,
        trend,
        analysis,
    ]
    return Document(title, [Sheet("月汇总表 Monthly", title, meta, tables)])


# -- weekly ---------------------------------------------------------------------------------------


def weekly(report: dict[str, Any]) -> Document:
    title = (
        "客户投诉、建议周汇总 Weekly complaint and suggestion summary — "
        f"{_site_line(report)} {report.get('week', '')}"
    )
    meta = [
        (both("项目", "Site"), text(_site_line(report))),
        (both("周次", "Week"), text(report.get("week"))),
        (both("统计期间", "Period"), text(f"{report.get('from', '')} – {report.get('to', '')}")),
        (both("时区", "Timezone"), text(report.get("timezone"))),
        (both("数据截至", "As of"), text(report.get("as_of"))),
    ]
    overview = Table(
        both("概况", "Overview"),
        [both("指标", "Measure"), both("数量", "Count")],
        [
            [text(both("受理总数", "Contacts")), count(report.get("contacts"))],
            [text(both("已解决", "Resolved")), count(report.get("resolved"))],
            [text(both("已取消", "Cancelled")), count(report.get("cancelled"))],
            [text(both("未解决", "Open")), count(report.get("open"))],
        ],
        key="overview",
    )
    by_kind = _by_kind(report)
    complaints = Table(
        both("投诉明细", "Complaints"),
        [
            both("单号", "Ticket no"),
            both("受理时间", "Received"),
            both("分类", "Category"),
            both("有效性", "Validity"),
            both("严重程度", "Severity"),
            both("状态", "Status"),
            both("升级级别", "Escalation level"),
            both("内容", "Content"),
        ],
        [
            [
                text(c.get("ticket_no")),
                text(c.get("received_at")),
                text(_maybe(L.CATEGORIES, c.get("category"))),
                text(_maybe(L.VALIDITY, c.get("validity"))),
                text(_maybe(L.SEVERITY, c.get("severity"))),
                text(_maybe(L.STATUSES, c.get("status"))),
                text(_maybe(L.LEVELS, c.get("escalation_level"))),
                text(c.get("content")),
            ]
            for c in report.get("complaints") or []
        ],
        long_text=True,
        key="complaints",
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
                text(s.get("received_at")),
                text(_maybe(L.CATEGORIES, s.get("category"))),
                text(_maybe(L.STATUSES, s.get("status"))),
                text(s.get("content")),
            ]
            for s in report.get("suggestions") or []
        ],
        long_text=True,
        key="suggestions",
    )
    tables = [overview, by_kind, complaints, suggestions]
    return Document(title, [Sheet("周汇总 Weekly", title, meta, tables)])


def _maybe(vocabulary: dict[str, tuple[str, str]], key: Any) -> str | None:
    return None if key is None else L.label(vocabulary, key)


# -- company quality pack -------------------------------------------------------------------------


def measures_of(report: dict[str, Any]) -> list[str]:
    """The measures of the side-by-side table: the known ones in their order, then any other the
    report carries (in the order first seen)."""
    seen = list(L.MEASURES)
    for row in [*(report.get("sites") or []), report.get("company") or {}]:
        for key in row:
            if key not in ("site", "site_name") and key not in seen:
                seen.append(key)
    return seen


def measure_cell(measure: str, value: Any) -> Cell:
    if measure in L.RATE_MEASURES:
        return pct(value)
    if measure in L.MONEY_MEASURES:
        return money(value)
    if measure in L.HOUR_MEASURES:
        return hours(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return count(value)
    return text(value)


def measure_label(measure: str) -> str:
    return L.label(L.MEASURES, measure)


def quality(report: dict[str, Any]) -> Document:
    month = report.get("month", "")
    title = f"公司品质月报 Company quality pack — {month}"
    months = report.get("months") or []
    meta = [
        (both("月份", "Month"), text(month)),
        (both("趋势月份", "Trend months"), text(f"{months[0]} – {months[-1]}" if months else "")),
        (both("数据截至", "As of"), text(report.get("as_of"))),
    ]
    measures = measures_of(report)
    sites = report.get("sites") or []
    company = report.get("company") or {}
    rows = [
        [text(s.get("site")), text(s.get("site_name"))]
        + [measure_cell(m, s.get(m)) for m in measures]
        for s in sites
    ]
    if company:
        rows.append(
            [text("company"), text(both("全公司", "Company"))]
            + [measure_cell(m, company.get(m)) for m in measures]
        )
    side_by_side = Table(
        both("各项目对比", "Sites side by side"),
        [both("项目", "Site"), both("名称", "Name")] + [measure_label(m) for m in measures],
        rows,
        key="sites",
    )
    names = {s.get("site"): s.get("site_name") for s in sites}
    trend_tables = []
    trend = report.get("trend") or {}
    for measure in ("contacts", "complaints", "satisfaction_rate", "clock_compliance"):
        trend_tables.append(
            Table(
                both(*L.MEASURES[measure]),
                [both("项目", "Site"), both("名称", "Name"), *months],
                [
                    [text(site), text(names.get(site))]
                    + [measure_cell(measure, v) for v in (series.get(measure) or [])]
                    for site, series in trend.items()
                ],
                key=f"trend-{measure}",
            )
        )
    worse = report.get("worse") or {}
    worse_sites = Table(
        both("变差的项目", "Sites that got worse"),
        [
            both("项目", "Site"),
            both("名称", "Name"),
            both("指标", "Measure"),
            both("上月", "Previous month"),
            both("本月", "This month"),
        ],
        [
            [
                text(w.get("site")),
                text(names.get(w.get("site"))),
                text(measure_label(w.get("measure", ""))),
                measure_cell(w.get("measure", ""), w.get("previous")),
                measure_cell(w.get("measure", ""), w.get("this")),
            ]
            for w in worse.get("sites") or []
        ],
        key="worse-sites",
    )
    worse_categories = Table(
        both("投诉上升的分类", "Categories with more complaints"),
        [
            both("分类", "Category"),
            both("上月", "Previous month"),
            both("本月", "This month"),
            both("变化", "Change"),
        ],
        [
            [
                text(L.label(L.CATEGORIES, w.get("category"))),
                count(w.get("previous")),
                count(w.get("this")),
                count(w.get("change")),
            ]
            for w in worse.get("categories") or []
        ],
        key="worse-categories",
    )
    return Document(
        title,
        [
            Sheet(
                "各项目对比 Sites",
                title,
                meta,
                [side_by_side],
                frozen_header="sites",
                frozen_columns=2,
            ),
            Sheet(
                "六个月趋势 Trends", f"{title} · 六个月趋势 Six-month trends", meta, trend_tables
            ),
            Sheet(
                "变差项 Worse",
                f"{title} · 变差项 What got worse",
                meta,
                [worse_sites, worse_categories],
            ),
        ],
    )


def document(kind: str, report: dict[str, Any]) -> Document:
    builders = {"monthly": monthly, "weekly": weekly, "quality": quality}
    return builders[kind](report)
