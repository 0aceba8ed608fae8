"""The CSV files: UTF-8 with a byte-order mark (so Excel reads the Chinese), CRLF line ends.

Monthly and weekly reports are tidy rows of `section,key,value`, one per figure of the JSON, in
its order:

- `section` is the report's top-level field (`by_kind`, `clocks`, `trend` …); the top-level
  scalars (`site`, `month`, `contacts` …) are in the section `report`;
- `key` is the path below it joined by dots: `complaint`, `general_fixed.compliance`; a list entry
  is named by its natural key — `repeat_units` by unit, `top_categories` by category, `trend` by
  month, `complaints`/`suggestions` by ticket number — else by its position (0, 1 …);
- `value` is the raw value: counts as integers, rates as fractions (`0.6667`, not `66.7%`),
  money as the decimal string received, `true`/`false`, and an empty field for `null`;
- an empty map or list gives one row with an empty key (`repeat_units,,`), and `analysis: null`
  gives its six fields empty, so every report has the same sections.

The quality pack is one row per site with the measures as columns (`site, site_name`, the
measures of the side-by-side table, `worse`: the measures on which the site got worse, `;`
separated, then `<measure>.<YYYY-MM>` for the six-month trend of contacts, complaints, satisfaction
rate and clock compliance, and of the special-care residents, visits and residents overdue when the
pack has them) and a last row `company` with the company's measures. The categories
that got worse are in the other formats only.

A text value starting with `=`, `+`, `-`, `@` (a spreadsheet formula) is written with a leading
`'`, so Excel shows it as text instead of running it.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from propdesk.report_files.document import to_decimal
from propdesk.report_files.quality import measures_of, trend_measures

ANALYSIS_FIELDS = ("cause", "lessons", "actions", "revision", "by", "at")
LIST_KEYS = ("incident_no", "ticket_no", "unit", "category", "month", "site")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def value(v: Any) -> str:
    """One field: raw, with null as empty and formulas defused."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v) if isinstance(v, float) else str(v)
    text = str(v)
    if text.startswith(FORMULA_START) and to_decimal(text) is None:
        return "'" + text
    return text


def _key(key: str) -> str:
    """A key holds what the desk typed (a unit such as `-1-05`): never read as a formula."""
    return "'" + key if key.startswith(FORMULA_START) else key


def _flatten(prefix: str, node: Any) -> list[tuple[str, Any]]:
    """(dotted key, leaf) pairs of a JSON value, lists named by their natural key."""
    if isinstance(node, dict):
        if not node:
            return [(prefix, None)]
        pairs: list[tuple[str, Any]] = []
        for k, v in node.items():
            pairs += _flatten(f"{prefix}.{k}" if prefix else str(k), v)
        return pairs
    if isinstance(node, list):
        if not node:
            return [(prefix, None)]
        pairs = []
        for i, item in enumerate(node):
            name = str(i)
            if isinstance(item, dict):
                natural = next((k for k in LIST_KEYS if item.get(k) is not None), None)
                if natural is not None:
                    name = str(item[natural])
                    item = {k: v for k, v in item.items() if k != natural}
            pairs += _flatten(f"{prefix}.{name}" if prefix else name, item)
        return pairs
    return [(prefix, node)]


def rows(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The `section,key,value` rows of a monthly or weekly report."""
    scalars = [(k, v) for k, v in report.items() if not isinstance(v, dict | list)]
    out = [("report", k, value(v)) for k, v in scalars]
    for section, node in report.items():
        if section == "analysis" and not node:
            node = dict.fromkeys(ANALYSIS_FIELDS)
        elif not isinstance(node, dict | list):
            continue
        out += [(section, _key(key), value(v)) for key, v in _flatten("", node)]
    return out


def _text(header: list[str], body: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(body)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def render_rows(report: dict[str, Any]) -> bytes:
    return _text(["section", "key", "value"], [list(r) for r in rows(report)])


def render_quality(report: dict[str, Any]) -> bytes:
    measures = measures_of(report)
    months = report.get("months") or []
    trend = report.get("trend") or {}
    worse: dict[str, list[str]] = {}
    for w in (report.get("worse") or {}).get("sites") or []:
        worse.setdefault(w.get("site"), []).append(str(w.get("measure")))
    trend_columns = [
        (m, i, month) for m in trend_measures(trend.values()) for i, month in enumerate(months)
    ]
    header = [
        "site",
        "site_name",
        *measures,
        "worse",
        *(f"{m}.{month}" for m, _, month in trend_columns),
    ]

    def series(site: str, measure: str, i: int) -> Any:
        points = (trend.get(site) or {}).get(measure) or []
        return points[i] if i < len(points) else None

    body = [
        [value(s.get("site")), value(s.get("site_name"))]
        + [value(s.get(m)) for m in measures]
        + [value(";".join(worse.get(s.get("site"), [])))]
        + [value(series(s.get("site"), m, i)) for m, i, _ in trend_columns]
        for s in report.get("sites") or []
    ]
    company = report.get("company")
    if company:
        body.append(
            ["company", ""]
            + [value(company.get(m)) for m in measures]
            + [""] * (1 + len(trend_columns))
        )
    return _text(header, body)
