"""The site's monthly and weekly reports as files for a download: the contract's report query,
written by the writers `propdesk report` uses (propdesk/report_files, docs/REPORT-FILES.md)."""

from __future__ import annotations

from propdesk import report_files
from services.console.application.ports import DeskContract
from services.console.domain.refusal import Refused

REPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


async def report_file(
    desk: DeskContract, site: str, kind: str, period: str, fmt: str
) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of the site's monthly or weekly report."""
    if kind not in ("monthly", "weekly") or fmt not in REPORT_FORMATS:
        raise Refused("invalid", f"没有这种报表：{kind} {fmt}")
    field = "month" if kind == "monthly" else "week"
    report = (await desk.query(site, f"report.{kind}", {field: period}))["report"]
    body = report_files.render(kind, report, fmt)
    return f"{report_files.stem(kind, report)}.{fmt}", REPORT_FORMATS[fmt], body
