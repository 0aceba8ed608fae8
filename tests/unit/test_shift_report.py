"""The month's handovers in the monthly report (R15.9, R15.12, R10.1; docs/SHIFTS.md): shift logs
closed in the month, their first signature on time or late (even in the next month), those
unsigned, the pending tickets handed on, and tickets handed over between owners."""

from __future__ import annotations

from propdesk.report_files.handovers import handovers
from services.reporting.views.shift_facts import month_figures


def test_the_month_counts_handovers_signed_on_time_or_late_R15_9():
    def row(aggregate_id: str, version: int, month: str, what: str, detail: str | None) -> dict:
        return {"aggregate_id": aggregate_id, "version": version, "month": month, "what": what,
                "detail": detail}  # fmt: skip

    rows = [
        row("a", 3, "2026-12", "closed", "2"),
        row("a", 4, "2026-12", "signed", "on_time"),
        row("a", 5, "2026-12", "signed", "late"),
        row("b", 2, "2026-12", "closed", "0"),
        row("b", 3, "2027-01", "signed", "late"),
        row("c", 1, "2026-12", "closed", "1"),
        row("t", 4, "2026-12", "ticket_handed_over", None),
        row("z", 1, "2026-11", "closed", "0"),
    ]  # fmt: skip
    assert month_figures(rows, "2026-12") == {
        "handovers": 3,
        "signed_on_time": 1,
        "signed_late": 1,
        "unsigned": 1,
        "pending_items": 3,
        "tickets_handed_over": 1,
    }


def test_the_report_files_show_the_handovers_section():
    table = handovers({"handovers": {"handovers": 3, "signed_on_time": 1, "signed_late": 1,
                                     "unsigned": 1, "pending_items": 3,
                                     "tickets_handed_over": 1}})  # fmt: skip
    assert table.key == "handovers" and len(table.rows) == 6
    assert [r[1].value for r in table.rows] == [3, 1, 1, 1, 3, 1]
