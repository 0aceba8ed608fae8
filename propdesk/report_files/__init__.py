"""Report files: the monthly site report, the weekly site summary and the company quality pack
(docs/REPORTS.md) as XLSX, CSV, JSON and HTML. Layouts: docs/REPORT-FILES.md.

    render("monthly", report, "xlsx") -> bytes
    layout("monthly", report) -> Document  (monthly.py, weekly.py, quality.py; document.py)
    write("monthly", report, Path("var/reports"), ["xlsx", "html"]) -> [paths written]

The bytes depend on the report alone (no clock, no random ids), so the same report always gives
the same files."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from propdesk.report_files.document import Document

KINDS = ("monthly", "weekly", "quality")
FORMATS = ("xlsx", "csv", "json", "html")
_UNSAFE = re.compile(r"[^A-Za-z0-9-]")


def render(kind: str, report: dict[str, Any], fmt: str) -> bytes:
    """One report of `kind` (monthly, weekly, quality) in one format."""
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}; one of {', '.join(KINDS)}")
    if fmt == "json":
        return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt == "csv":
        from propdesk.report_files import csvfile

        return csvfile.render_quality(report) if kind == "quality" else csvfile.render_rows(report)
    doc = layout(kind, report)
    if fmt == "xlsx":
        from propdesk.report_files import xlsx

        return xlsx.render(doc, report.get("as_of"))
    if fmt == "html":
        from propdesk.report_files import html

        return html.render(kind, report, doc)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def layout(kind: str, report: dict[str, Any]) -> Document:
    """The report laid out as sheets of tables, for the XLSX workbook and the HTML page."""
    from propdesk.report_files.monthly import monthly
    from propdesk.report_files.quality import quality
    from propdesk.report_files.weekly import weekly

    layouts = {"monthly": monthly, "weekly": weekly, "quality": quality}
    return layouts[kind](report)


def stem(kind: str, report: dict[str, Any]) -> str:
    """The file name without its extension: hbw-2026-10-monthly, hbw-2026-W44-weekly,
    company-2026-10-quality. Anything but letters, digits and `-` becomes `_` (no paths)."""
    if kind == "monthly":
        parts = [report.get("site"), report.get("month"), "monthly"]
    elif kind == "weekly":
        parts = [report.get("site"), report.get("week"), "weekly"]
    else:
        parts = ["company", report.get("month"), "quality"]
    return "-".join(_UNSAFE.sub("_", str(p)) for p in parts)


def write(
    kind: str,
    report: dict[str, Any],
    out_dir: Path,
    formats: Iterable[str] = FORMATS,
    name: str | None = None,
) -> list[Path]:
    """Write the report in each format into `out_dir` (created if needed) as `<name>.<format>`
    (default name: `stem`); the paths written. Each file is written whole under a temporary
    name, then renamed into place."""
    out_dir.mkdir(parents=True, exist_ok=True)
    name = name or stem(kind, report)
    written = []
    for fmt in formats:
        path = out_dir / f"{name}.{fmt}"
        data = render(kind, report, fmt)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_bytes(data)
        os.replace(partial, path)
        written.append(path)
    return written
