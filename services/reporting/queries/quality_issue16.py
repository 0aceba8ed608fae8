"""The quality pack's figures of the rounds and the violation cases (issue 16, R12.3; REPORTS.md
"Company quality pack"): per site, the month's inspection findings and how they closed (on time
within their week, late, still open, R13.16, R13.17), and its violation cases by grade (opened
general or major, R14.2) and its measures by measure (R14.3); the company's pooled. Flat measures,
so the side-by-side table shows each as a column."""

from __future__ import annotations

from typing import Any

from services.reporting.queries.facts import PeriodFacts
from services.reporting.queries.inspection import inspection_figures, inspection_month
from services.reporting.queries.month import rate
from services.reporting.views import violation_facts
from shared.kernel.violations import Measure, ViolationClass

COUNTS = (
    "inspection_findings",
    "findings_closed",
    "findings_on_time",
    "findings_late",
    "findings_open",
    *(f"violations_{c.value}" for c in ViolationClass),
    *(f"measures_{m.value}" for m in Measure),
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
    }


def pooled(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The company's: every count summed, the closure rate over the pooled findings."""
    sums = {key: sum(r.get(key, 0) for r in rows) for key in COUNTS}
    closure = rate(sums["findings_closed"], sums["inspection_findings"])
    return {**sums, "finding_closure_rate": closure}
