"""The month's promises in the monthly summary (R6.15, R10.6, R2.6, R11.5; docs/PROMISES.md):
made, kept on time, kept late, broken and still open, for the site and per staff member."""

from __future__ import annotations

from typing import Any

from propdesk.report_files.document import Table, count, pct, text
from propdesk.report_files.labels import both

COLUMNS = ("made", "kept_on_time", "kept_late", "broken", "open")
HEADER = [
    both("承诺", "Made"),
    both("按时兑现", "Kept on time"),
    both("逾期兑现", "Kept late"),
    both("未兑现", "Broken"),
    both("未到结果", "Open"),
    both("按时兑现率", "On time"),
]


def promises(report: dict[str, Any]) -> Table:
    data = report.get("promises") or {}
    rows = [[text(both("全项目", "Site")), *_cells(data)]]
    rows += [[text(staff), *_cells(c)] for staff, c in (data.get("by_staff") or {}).items()]
    header = [both("员工", "Staff"), *HEADER]
    return Table(both("承诺兑现", "Promises kept"), header, rows, key="promises")


def _cells(counts: dict[str, Any]) -> list:
    ended = sum(counts.get(k) or 0 for k in ("kept_on_time", "kept_late", "broken"))
    rate = (counts.get("kept_on_time") or 0) / ended if ended else None
    return [*(count(counts.get(k)) for k in COLUMNS), pct(rate)]
