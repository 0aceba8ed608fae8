"""The HTML page: one self-contained file (inline CSS, charts as inline SVG, nothing fetched), the
same sections as the workbook, with charts. Every value is escaped: ticket contents, analyses and
even site names are typed by people."""

from __future__ import annotations

from html import escape
from typing import Any

from propdesk.report_files import charts
from propdesk.report_files import labels as L
from propdesk.report_files.document import (
    HOURS,
    INT,
    MONEY,
    PCT,
    Cell,
    Document,
    Sheet,
    Table,
    when,
)
from propdesk.report_files.quality import TREND, trend_measures

CSS = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",
 "Helvetica Neue",Arial,sans-serif;margin:24px;color:#222;background:#fff;font-size:14px}
h1{font-size:20px;margin:0 0 12px}
h2{font-size:17px;margin:28px 0 10px;border-bottom:2px solid #2f5597;padding-bottom:4px}
h3{font-size:14px;margin:0 0 6px;color:#1f3864}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #bfbfbf;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f2f2f2;font-weight:bold}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.text{white-space:pre-wrap}
tr.total td{font-weight:bold;background:#fafafa}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0 0 8px}
dl.meta dt{font-weight:bold}dl.meta dd{margin:0}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:16px 24px}
.grid section.wide{grid-column:1/-1}
.empty{color:#808080;font-style:italic;margin:4px 0}
.scroll{overflow-x:auto;max-width:100%}
.frozen table{border-collapse:separate;border-spacing:0}
.frozen th,.frozen td{border-width:0 1px 1px 0}
.frozen tr:first-child th{border-top-width:1px}
.frozen th:first-child,.frozen td:first-child{border-left-width:1px;position:sticky;left:0;
 box-sizing:border-box;width:6em;min-width:6em;max-width:6em;overflow-wrap:break-word}
.frozen th:nth-child(2),.frozen td:nth-child(2){position:sticky;left:6em;min-width:7em;
 box-shadow:2px 0 0 #bfbfbf}
.frozen td:nth-child(-n+2){background:#fff}.frozen tr.total td:nth-child(-n+2){background:#fafafa}
figure{margin:0 0 16px}figure svg{max-width:100%;height:auto}
figcaption{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
footer{margin-top:32px;color:#808080;font-size:12px}
@media print{body{margin:0}section{break-inside:avoid}.scroll{overflow:visible}}
"""

_DETECT = object()


def shown(cell: Cell) -> str:
    """A value as the page shows it (not yet escaped)."""
    v = cell.value
    numeric = cell.kind in (INT, PCT, HOURS, MONEY)
    if v is None:
        return "—" if numeric else ""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return str(v)
    if cell.kind == PCT:
        return f"{v * 100:.1f}%"
    if cell.kind == HOURS:
        return f"{v:.1f}"
    return str(v)


def _table(table: Table, total_row: bool = False, frozen: bool = False) -> str:
    """A table in a box of its own width: one wider than the page scrolls inside it, and a
    `frozen` one keeps its first two columns (the site) in view, as the workbook freezes them."""
    numeric = (INT, PCT, HOURS, MONEY)
    wide = table.long_text or len(table.header) > 3
    parts = [f'<section id="{escape(table.key)}"' + (' class="wide">' if wide else ">")]
    parts.append(f"<h3>{escape(table.title)}</h3>")
    if not table.rows:
        parts.append(f'<p class="empty">{escape(table.empty)}</p></section>')
        return "".join(parts)
    parts.append('<div class="scroll frozen">' if frozen else '<div class="scroll">')
    parts.append("<table><thead><tr>")
    parts += [f"<th>{escape(h)}</th>" for h in table.header]
    parts.append("</tr></thead><tbody>")
    for i, row in enumerate(table.rows):
        last = total_row and i == len(table.rows) - 1
        parts.append('<tr class="total">' if last else "<tr>")
        for cell in row:
            css = "num" if cell.kind in numeric else "text"
            parts.append(f'<td class="{css}">{escape(shown(cell))}</td>')
        parts.append("</tr>")
    parts.append("</tbody></table></div></section>")
    return "".join(parts)


def _figure(caption: str, svg: str, number: int) -> str:
    # The SVG comes from matplotlib, which escapes the text it draws. The chart draws its own
    # title: the caption is for screen readers and search, not shown a second time.
    svg = charts.scoped(svg, f"chart{number}")
    return f"<figure><figcaption>{escape(caption)}</figcaption>{svg}</figure>"


def _meta(sheet: Sheet) -> str:
    rows = "".join(
        f"<dt>{escape(name)}</dt><dd>{escape(shown(value))}</dd>" for name, value in sheet.meta
    )
    return f'<dl class="meta">{rows}</dl>'


def _page(doc: Document, body: list[str], as_of: Any) -> bytes:
    page = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(doc.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>{escape(doc.title)}</h1>\n"
        + "\n".join(body)
        + f"\n<footer>PropDesk · {escape(L.both('数据截至', 'as of'))} {escape(str(as_of))}"
        "</footer>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def _tables(tables: list[Table], total_row: bool = False, frozen: str | None = None) -> str:
    """`tables` in the page's grid; the one whose key is `frozen` keeps its first columns."""
    inner = "".join(_table(t, total_row, frozen=t.key == frozen) for t in tables)
    return f'<div class="grid">{inner}</div>'


def render(kind: str, report: dict[str, Any], doc: Document, font: Any = _DETECT) -> bytes:
    """The page of a report; `font` is the CJK font for the charts (default: look for one)."""
    if font is _DETECT:
        font = charts.cjk_font()
    words = charts.Words(font is not None)
    if kind == "monthly":
        body = _monthly(report, doc, words, font)
    elif kind == "weekly":
        body = _weekly(report, doc, words, font)
    else:
        body = _quality(report, doc, words, font)
    return _page(doc, body, when(report, report.get("as_of")).value)


def _monthly(report: dict[str, Any], doc: Document, words: charts.Words, font: Any) -> list[str]:
    sheet = doc.sheets[0]
    tables = {t.key: t for t in sheet.tables}
    figures = []
    # Most contacts first, as a manager reads a Pareto chart; ties in the table's order.
    by_category = sorted((report.get("by_category") or {}).items(), key=lambda kv: -kv[1])
    if by_category:
        svg = charts.bars(
            [words.of(L.CATEGORIES, k) for k, _ in by_category],
            [n for _, n in by_category],
            words("各分类受理数", "Contacts by category"),
            font=font,
        )
        figures.append(_figure(L.both("各分类受理数", "Contacts by category"), svg, 1))
    clocks = report.get("clocks") or {}
    if clocks:
        svg = charts.bars(
            [words.of(L.CLOCKS, k) for k in clocks],
            [c.get("compliance") for c in clocks.values()],
            words("各时限达标率", "Clock compliance per clock"),
            percent=True,
            font=font,
            color=charts.COLORS[2],
        )
        figures.append(_figure(L.both("各时限达标率", "Clock compliance per clock"), svg, 2))
    trend = report.get("trend") or []
    if trend:
        svg = charts.monthly_trend(trend, words, font)
        figures.append(_figure(L.both("近六个月趋势", "Six-month trend"), svg, 3))
    first = ["overview", "by_kind", "by_category", "by_channel", "by_validity", "by_severity"]
    rest = [t for t in sheet.tables if t.key not in first]
    ledger = [
        f"<h2>{escape(s.title)}</h2>" + "".join(_table(t, t.total_row) for t in s.tables)
        for s in doc.sheets[1:]
    ]  # the ledger: one row per case, the totals, the analysis box
    return [
        _meta(sheet),
        _tables([tables[k] for k in first if k in tables]),
        f"<h2>{escape(L.both('图表', 'Charts'))}</h2>",
        *figures,
        f"<h2>{escape(L.both('明细', 'Details'))}</h2>",
        _tables(rest),
        *ledger,
    ]


def _weekly(report: dict[str, Any], doc: Document, words: charts.Words, font: Any) -> list[str]:
    sheet = doc.sheets[0]
    body = [_meta(sheet), _tables(sheet.tables[:2])]
    by_kind = report.get("by_kind") or {}
    if by_kind:
        svg = charts.bars(
            [words.of(L.KINDS, k) for k in by_kind],
            list(by_kind.values()),
            words("各类别受理数", "Contacts by kind"),
            font=font,
        )
        body.append(_figure(L.both("各类别受理数", "Contacts by kind"), svg, 1))
    body.append(_tables(sheet.tables[2:]))
    return body


def _quality(report: dict[str, Any], doc: Document, words: charts.Words, font: Any) -> list[str]:
    sites_sheet, trend_sheet, worse_sheet = doc.sheets
    sites = report.get("sites") or []
    names = {s.get("site"): s.get("site_name") for s in sites}
    body = [_meta(sites_sheet), f"<h2>{escape(sites_sheet.name)}</h2>"]
    body.append(
        _tables(
            sites_sheet.tables,
            total_row=bool(report.get("company")),
            frozen=sites_sheet.frozen_header if sites_sheet.frozen_columns else None,
        )
    )
    if sites:
        shown_by_site = (("complaints", charts.COLORS[1]), ("clock_compliance", charts.COLORS[2]))
        for number, (measure, color) in enumerate(shown_by_site, start=1):
            caption = L.label(L.MEASURES, measure)
            svg = charts.bars(
                [words.site(s.get("site"), s.get("site_name")) for s in sites],
                [s.get(measure) for s in sites],
                words.of(L.MEASURES, measure),
                percent=measure in L.RATE_MEASURES,
                font=font,
                color=color,
            )
            body.append(_figure(caption, svg, number))
    body.append(f"<h2>{escape(trend_sheet.name)}</h2>")
    trend = report.get("trend") or {}
    if trend:
        months = list(report.get("months") or [])
        svg = charts.site_trends(months, trend, names, words, font)
        body.append(_figure(L.both("各项目六个月趋势", "Six-month trends per site"), svg, 3))
        care = trend_measures(trend.values())[len(TREND) :]  # R11.10, when the pack has them
        cared = [
            site
            for site, series in trend.items()
            if charts.has_values(v for m in care for v in series.get(m) or [])
        ]  # the sites with special-care residents: the others have no line to draw
        if cared:
            svg = charts.site_trends(months, trend, names, words, font, care, cared)
            caption = L.both("各项目特殊关怀六个月趋势", "Special-care six-month trends per site")
            body.append(_figure(caption, svg, 4))
    body.append(_tables(trend_sheet.tables))
    body.append(f"<h2>{escape(worse_sheet.name)}</h2>")
    body.append(_tables(worse_sheet.tables))
    return body
