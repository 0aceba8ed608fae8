"""The month's inspection findings (docs/INSPECTION.md, issue 16): the inspection tickets received
in the month, by kind (a facility finding is a repair, a staff finding a suggestion, a violation a
violation, R13.15b), how many were closed by their check on site (R13.17) and how many were
resolved within their week (R13.16, the clock `finding_resolved`), how many late, how many open."""

from __future__ import annotations

from typing import Any

from services.reporting.queries.facts import PeriodFacts
from services.reporting.queries.month import Month, counts, rate
from shared.kernel.inspection import FINDING_CLOCK, FINDING_ROUTES
from shared.kernel.vocabulary import OPEN_STATUSES, Channel, TicketStatus


def inspection_figures(month: Month) -> dict[str, Any]:
    findings = [t for t in month.tickets if t["channel"] == Channel.inspection]
    closed = sum(1 for t in findings if t["status"] == TicketStatus.closed)
    week = [c for c in month.clocks if c["clock"] == FINDING_CLOCK]
    met, judged = month.compliance_parts(week)
    kinds = [route.kind for route in FINDING_ROUTES.values()]
    return {
        "findings": len(findings),
        "by_kind": counts(kinds, findings, "kind"),
        "closed": closed,
        "closure_rate": rate(closed, len(findings)),
        "resolved_in_a_week": met,
        "week_judged": judged,
        "on_time_rate": rate(met, judged),
        # past their week: resolved late, or breached and still waiting (judged, not met)
        "late": judged - met,
        # not resolved yet (received, classified or reopened), whether their week is over or not
        "open": sum(1 for t in findings if t["status"] in OPEN_STATUSES),
    }


def inspection_month(facts: PeriodFacts, site: str, month: str) -> Month:
    """Only what `inspection_figures` reads: the month's inspection tickets and their weeks (the
    quality pack asks this of every site, without the rest of the month)."""
    view = facts.view
    return Month(
        tickets=view.rows(
            "SELECT channel, kind, status FROM ticket_facts WHERE site = ? AND month = ? "
            "AND duplicate = 0 AND channel = ?",
            (site, month, Channel.inspection.value),
        ),
        clocks=view.rows(
            "SELECT clock, outcome, breached FROM clock_facts WHERE site = ? AND month = ? "
            "AND clock = ?",
            (site, month, FINDING_CLOCK.value),
        ),
        escalations=[],
    )
