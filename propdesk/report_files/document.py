"""A report (docs/REPORTS.md) laid out as titled sheets of tables, once, for the XLSX workbook and
the HTML page alike: the shapes (`Document`, `Sheet`, `Table`, `Cell`) and the small tables every
report uses. Every header is Chinese with the English beside it; every value keeps its type
(count, rate, hours, money, text) so each format shows it its own way. The reports themselves are
laid out in monthly.py, weekly.py and quality.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from propdesk.report_files import labels as L
from propdesk.report_files.labels import both
from shared.kernel.local_time import shown

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
    wrap: frozenset[int] = frozenset()  # XLSX: columns (0-based) of free text, wrapped
    total_row: bool = False  # the last row sums up the rows above it
    span: int = 1  # XLSX: the first column spans this many sheet columns (merged)


@dataclass
class Sheet:
    name: str  # the worksheet's name (≤ 31 characters)
    title: str
    meta: list[tuple[str, Cell]]
    tables: list[Table]
    # XLSX: the table whose header row (and first columns) stay frozen; else the title rows.
    frozen_header: str | None = None
    frozen_columns: int = 0
    # XLSX: fixed column widths (characters) of the first columns, else sized to their text
    widths: tuple[int, ...] = ()
    # XLSX print titles: the table whose header row repeats on every page (with the title)
    print_header: str | None = None


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


def when(report: dict[str, Any], value: Any, *, labelled: bool = True) -> Cell:
    """A time as people read it: in the report's site zone (its `timezone`), to the minute, saying
    which ("2026-11-03 17:00 (UTC+08:00)"); a report without one (the company's) keeps the time's
    own offset, labelled. `labelled=False` for a table's column of times whose sheet names the
    zone once in its title lines ("2026-11-03 17:00"). Empty stays empty."""
    if not value:
        return text(value)
    zone = ZoneInfo(report["timezone"]) if report.get("timezone") else None
    if labelled:
        return text(shown(str(value), zone))
    moment = datetime.fromisoformat(str(value))
    return text(f"{moment.astimezone(zone) if zone else moment:%Y-%m-%d %H:%M}")


def period(report: dict[str, Any]) -> Cell:
    """The report's period, from its first instant to the next period's, in the site's zone."""
    start, end = when(report, report.get("from")).value, when(report, report.get("to")).value
    return text(f"{start or ''} – {end or ''}")


def to_decimal(value: Any) -> Decimal | None:
    """A money string ("160.00") as a Decimal; None when it is not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def contacts_split(report: dict[str, Any]) -> list[list[Cell]]:
    """The contacts as new tickets and repeat contacts (REPORTS.md, "Every contact counts"): the
    counts by kind, category, validity and severity are of tickets, so without these rows they
    seem not to add up to the contacts. A report without them (an older reply) shows neither."""
    if "tickets" not in report:
        return []
    return [
        [text(both("新工单", "New tickets")), count(report.get("tickets"))],
        [text(both("重复来电", "Repeat contacts")), count(report.get("repeat_contacts"))],
    ]


def count_table(
    title: str,
    key: str,
    vocabulary: dict[str, tuple[str, str]],
    counts: dict[str, Any] | None,
    what: str | None = None,
) -> Table:
    """A count map as rows of label and count, in the order the report lists them."""
    rows = [[text(L.label(vocabulary, k)), count(v)] for k, v in (counts or {}).items()]
    return Table(title, [what or title, both("数量", "Count")], rows, key=key)


def by_kind(report: dict[str, Any]) -> Table:
    return count_table(
        both("按类别", "By kind"), "by_kind", L.KINDS, report.get("by_kind"), both("类别", "Kind")
    )


def site_line(report: dict[str, Any]) -> str:
    name, site = report.get("site_name"), report.get("site", "")
    return f"{name} ({site})" if name else str(site)


def site_heading(
    report: dict[str, Any],
    name: str,
    *,
    unit: tuple[str, str, str] = ("月份", "Month", "month"),
    with_period: bool = True,
    zone_note: str = "",
) -> tuple[str, list[tuple[str, Cell]]]:
    """A site's sheet title and the lines under it: the site, its `unit` (label, English label,
    the report's key: the month or the week), the period, the zone every time is in, and when the
    figures were read, in that zone."""
    zh, en, key = unit
    title = f"{name} — {site_line(report)} {report.get(key, '')}"
    meta = [(both("项目", "Site"), text(site_line(report))), (both(zh, en), text(report.get(key)))]
    if with_period:
        meta.append((both("统计期间", "Period"), period(report)))
    meta += [
        (both("时区", "Timezone"), text(f"{report.get('timezone', '')}{zone_note}")),
        (both("数据截至", "As of"), when(report, report.get("as_of"))),
    ]
    return title, meta


def label_or_none(vocabulary: dict[str, tuple[str, str]], key: Any) -> str | None:
    return None if key is None else L.label(vocabulary, key)
