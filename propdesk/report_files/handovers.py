"""The month's shift handovers and ticket hand-overs in the monthly summary (交接班, R15.9–R15.12;
首问负责制, R10.1; docs/SHIFTS.md): the shift logs closed, signed by the incoming shift on time or
late, still unsigned, the tickets they handed on, and tickets handed from one owner to another."""

from __future__ import annotations

from typing import Any

from propdesk.report_files import labels as L
from propdesk.report_files.document import Table, count, text
from propdesk.report_files.labels import both

WORDS: dict[str, tuple[str, str]] = {
    "handovers": ("交接班次数", "Shift handovers"),
    "signed_on_time": ("按时签字接班", "Signed on time"),
    "signed_late": ("逾时签字接班", "Signed late"),
    "unsigned": ("未签字", "Unsigned"),
    "pending_items": ("交班待办工单", "Pending tickets handed on"),
    "tickets_handed_over": ("工单移交(首问负责)", "Tickets handed over"),
}


def handovers(report: dict[str, Any]) -> Table:
    data = report.get("handovers") or {}
    rows = [[text(L.label(WORDS, k)), count(data.get(k))] for k in WORDS]
    header = [both("项目", "Item"), both("数量", "Count")]
    return Table(both("交接班与工单移交", "Shift handovers"), header, rows, key="handovers")
