"""The site's monthly and weekly reports as files for a download: the contract's report query,
written by the writers `propdesk report` uses (propdesk/report_files, docs/REPORT-FILES.md)."""

from __future__ import annotations

import re

from propdesk import report_files
from services.console.application.ports import DeskContract
from services.console.domain.refusal import Refused
from shared.messaging.bus import MissingCredential
from shared.messaging.subjects import COMPANY

REPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
}

# what each report's period looks like, as the manager is told when it is mistyped
MONTH = (re.compile(r"^(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])$"), "月份", "2026-10")
PERIODS = {
    "monthly": MONTH,
    "quality": MONTH,
    "weekly": (re.compile(r"^(19[7-9]\d|2\d{3})-W(0[1-9]|[1-4]\d|5[0-3])$"), "周", "2026-W48"),
}


async def report_file(
    desk: DeskContract, site: str, kind: str, period: str, fmt: str
) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of the site's monthly or weekly report, or the
    company's quality pack (asked on `desk.qry.company.…`: the client sends it as `analytics`,
    whose credential only a hub's console holds)."""
    if kind not in ("monthly", "weekly", "quality") or fmt not in REPORT_FORMATS:
        raise Refused("invalid", f"没有这种报表：{kind} {fmt}")
    pattern, label, example = PERIODS[kind]
    if not pattern.match(period):
        raise Refused("invalid", f"{label}应写作 {example}（收到：{period or '空'}），未生成报表")
    field = "week" if kind == "weekly" else "month"
    asked = COMPANY if kind == "quality" else site
    try:
        report = (await desk.query(asked, f"report.{kind}", {field: period}))["report"]
    except MissingCredential:
        raise Refused("forbidden", "本控制台没有公司报表的凭据（analytics）") from None
    body = report_files.render(kind, report, fmt)
    return f"{report_files.stem(kind, report)}.{fmt}", REPORT_FORMATS[fmt], body
