"""The quality pack's figures of the rounds, the violation cases and the handovers (issue 16,
R12.3; REPORTS.md "Company quality pack"): per site, the month's inspection findings and how they
closed (on time within their week, late, still open, R13.16, R13.17), its violation cases by grade
(opened general or major, R14.2) and its measures by measure (R14.3), and its shift handovers and
whether the incoming shift signed them in time (R15.9) with the tickets handed between staff
(R10.1); the company's pooled. Flat measures, so the side-by-side table shows each as a
column."""

from __future__ import annotations

from typing import Any

from services.reporting.queries.facts import PeriodFacts
from services.reporting.queries.inspection import inspection_figures, inspection_month
from services.reporting.queries.month import rate
from services.reporting.views import shift_facts, violation_facts
from shared.kernel.violations import Measure, ViolationClass

COUNTS = (
    "inspection_findings",
    "findings_closed",
    "findings_on_time",
    "findings_late",
    "findings_open",
    *(f"violations_{c.value}" for c in ViolationClass),
    *(f"measures_{m.value}" for m in Measure),
    "handovers",
    "handovers_signed_on_time",
    "handovers_signed_late",
    "handovers_unsigned",
    "tickets_handed_over",
)


def rounds_and_cases(facts: PeriodFacts, site: str, month: str) -> dict[str, Any]:
    found = inspection_figures(inspection_month(facts, site, month))
    cases = violation_facts.month_figures(facts.view.rows(violation_facts.SQL, (site, month)))
    return {
        "inspection_findings": found["findings"],
        "findings_closed": found["closed"],
        "finding_closure_rate": found["closure_rate"],
        "findings_on_time": found["resolved_in_a_week"],
        "findings_late": found["late"],
        "findings_open": found["open"],
        **{f"violations_{c}": n for c, n in cases["opened"].items()},
        **{f"measures_{m}": n for m, n in cases["by_measure"].items()},
        **_handovers(facts, site, month),
    }


def _handovers(facts: PeriodFacts, site: str, month: str) -> dict[str, Any]:
    rows = facts.view.rows(shift_facts.SQL, (site, month, site, month))
    f = shift_facts.month_figures(rows, month)
    return {
        "handovers": f["handovers"],
        "handovers_signed_on_time": f["signed_on_time"],
        "handovers_signed_late": f["signed_late"],
        "handovers_unsigned": f["unsigned"],
        "handover_on_time_rate": rate(f["signed_on_time"], f["handovers"]),
        "tickets_handed_over": f["tickets_handed_over"],
    }


def pooled(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The company's: every count summed, the closure rate over the pooled findings."""
    sums = {key: sum(r.get(key, 0) for r in rows) for key in COUNTS}
    closure = rate(sums["findings_closed"], sums["inspection_findings"])
    on_time = rate(sums["handovers_signed_on_time"], sums["handovers"])
    return {**sums, "finding_closure_rate": closure, "handover_on_time_rate": on_time}
