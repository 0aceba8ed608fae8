"""The month's violation cases in the monthly summary (R14.3, R12.4): opened by class, the
measures recorded by measure, penalties signed and cases closed."""

from __future__ import annotations

from typing import Any

from propdesk.report_files import labels as L
from propdesk.report_files.document import Table, count, text
from propdesk.report_files.labels import both
from shared.kernel import words as domain

WORDS: dict[str, tuple[str, str]] = {
    "general": ("一般违例立案", "Opened, general"),
    "major": ("重大违章立案", "Opened, major"),
    **{m: (zh, en[0].upper() + en[1:]) for m, (zh, en) in domain.MEASURES.items()},
    "penalties_signed": ("处罚经理签署生效", "Penalties signed"),
    "closed": ("结案", "Closed"),
}


def violations(report: dict[str, Any]) -> Table:
    data = report.get("violations") or {}
    counts = {**data.get("opened", {}), **data.get("by_measure", {})}
    counts |= {k: data.get(k) for k in ("penalties_signed", "closed")}
    rows = [[text(L.label(WORDS, k)), count(v)] for k, v in counts.items() if k in WORDS]
    header = [both("项目", "Item"), both("数量", "Count")]
    return Table(both("违例处理(按措施)", "Violations by measure"), header, rows, key="violations")
