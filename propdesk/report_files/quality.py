"""The company quality pack (docs/REPORTS.md, 公司品质月报) as a document: every site side by side,
six-month trends per measure (the special-care figures' too, R11.10), and what got worse on the
previous month."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from propdesk.report_files import labels as L
from propdesk.report_files.document import (
    Cell,
    Document,
    Sheet,
    Table,
    count,
    hours,
    money,
    pct,
    text,
    when,
)
from propdesk.report_files.labels import both

TREND = ("contacts", "complaints", "satisfaction_rate", "clock_compliance")
# the special-care figures (R11.10), in the trend since December 2026: not in an older report's
CARE_TREND = ("care_residents", "care_visits", "care_visits_overdue")


def trend_measures(series: Iterable[Mapping[str, Any]]) -> list[str]:
    """The measures of a trend (a site's series, or a month's point): the four always, the
    special-care ones when the report has them."""
    carried = {key for one in series for key in one}
    return [*TREND, *(m for m in CARE_TREND if m in carried)]


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
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return count(value)  # None: no data (a month before the site's first contact), `—`
    return text(value)


def measure_label(measure: str) -> str:
    return L.label(L.MEASURES, measure)


def quality(report: dict[str, Any]) -> Document:
    month = report.get("month", "")
    title = f"公司品质月报 Company quality pack — {month}"
    months = report.get("months") or []
    meta: list[tuple[str, Cell]] = [
        (both("月份", "Month"), text(month)),
        (both("趋势月份", "Trend months"), text(f"{months[0]} – {months[-1]}" if months else "")),
        (both("数据截至", "As of"), when(report, report.get("as_of"))),
    ]
    return Document(
        title,
        [
            Sheet(
                "各项目对比 Sites",
                title,
                meta,
                [side_by_side(report)],
                frozen_header="sites",
                frozen_columns=2,
                # a measure's column is as wide as its number; its header wraps
                widths=(10, 20, *(12 for _ in measures_of(report))),
                print_header="sites",
            ),
            Sheet(
                "六个月趋势 Trends",
                f"{title} · 六个月趋势 Six-month trends",
                meta,
                trends(report),
            ),
            Sheet(
                "变差项 Worse",
                f"{title} · 变差项 What got worse",
                meta,
                [worse_sites(report), worse_categories(report)],
            ),
        ],
    )


def _names(report: dict[str, Any]) -> dict[Any, Any]:
    return {s.get("site"): s.get("site_name") for s in report.get("sites") or []}


def side_by_side(report: dict[str, Any]) -> Table:
    """Each site's measures in a row, the company's last."""
    measures = measures_of(report)
    company = report.get("company") or {}
    rows = [
        [text(s.get("site")), text(s.get("site_name"))]
        + [measure_cell(m, s.get(m)) for m in measures]
        for s in report.get("sites") or []
    ]
    if company:
        rows.append(
            [text("company"), text(both("全公司", "Company"))]
            + [measure_cell(m, company.get(m)) for m in measures]
        )
    return Table(
        both("各项目对比", "Sites side by side"),
        [both("项目", "Site"), both("名称", "Name")] + [measure_label(m) for m in measures],
        rows,
        key="sites",
    )


def trends(report: dict[str, Any]) -> list[Table]:
    """One table per trend measure: a row per site, a column per month."""
    names, months = _names(report), report.get("months") or []
    trend = report.get("trend") or {}
    return [
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
        for measure in trend_measures(trend.values())
    ]


def worse_sites(report: dict[str, Any]) -> Table:
    names = _names(report)
    header = [
        both("项目", "Site"),
        both("名称", "Name"),
        both("指标", "Measure"),
        both("上月", "Previous month"),
        both("本月", "This month"),
    ]
    rows = [
        [
            text(w.get("site")),
            text(names.get(w.get("site"))),
            text(measure_label(w.get("measure", ""))),
            measure_cell(w.get("measure", ""), w.get("previous")),
            measure_cell(w.get("measure", ""), w.get("this")),
        ]
        for w in (report.get("worse") or {}).get("sites") or []
    ]
    return Table(both("变差的项目", "Sites that got worse"), header, rows, key="worse-sites")


def worse_categories(report: dict[str, Any]) -> Table:
    header = [
        both("分类", "Category"),
        both("上月", "Previous month"),
        both("本月", "This month"),
        both("变化", "Change"),
    ]
    rows = [
        [
            text(L.label(L.CATEGORIES, w.get("category"))),
            count(w.get("previous")),
            count(w.get("this")),
            count(w.get("change")),
        ]
        for w in (report.get("worse") or {}).get("categories") or []
    ]
    title = both("投诉上升的分类", "Categories with more complaints")
    return Table(title, header, rows, key="worse-categories")
