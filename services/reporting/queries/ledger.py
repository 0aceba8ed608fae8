"""The ledger of the 《客户投诉(建议、咨询)月汇总表》: one row per case (R12.4, docs/REPORTS.md
`ledger`) — where, what, who is responsible, how it was handled and how the follow-up call went;
no name, no phone (R15.1). The weekly list (R12.1) shows the same handling of its complaints."""

from __future__ import annotations

from typing import Any

from services.reporting.queries.facts import PeriodFacts
from shared.kernel.departments import responsible
from shared.kernel.satisfaction import is_satisfied
from shared.kernel.sites import SiteConfig
from shared.kernel.vocabulary import Kind

# the kinds of the 《客户投诉(建议、咨询)月汇总表》 ledger: one row per case (R12.4)
LEDGER_KINDS = (Kind.complaint, Kind.suggestion, Kind.inquiry)


def cases(
    facts: PeriodFacts, site: str, config: SiteConfig, tickets: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A ledger row per ticket (docs/REPORTS.md `ledger`): where, what, who is responsible,
    how it was handled and how the follow-up call went; no name, no phone (R15.1)."""
    departments = facts.departments(site, tickets)
    return [
        _case(t, departments.get(t["ticket_id"]) or _responsible(t["category"], config))
        for t in tickets
    ]


def _responsible(category: str | None, config: SiteConfig) -> list[str]:
    """The department the category routes to at the site, as escalation reckons a complaint's
    (R6.3); none for a case with no category (not the work orders' default, engineering)."""
    department = responsible(category, config.routing)
    return [department.value] if department is not None else []


def _case(ticket: dict[str, Any], departments: list[str]) -> dict[str, Any]:
    return {
        "ticket_no": ticket["ticket_no"],
        "received_at": ticket["received_at"],
        "unit": ticket["unit"],
        "kind": ticket["kind"],
        "category": ticket["category"],
        "content": ticket["content"],
        "validity": ticket["validity"],
        "severity": ticket["severity"],
        "status": ticket["status"],
        "escalation_level": ticket["level"],
        "upgraded": bool(ticket["upgraded"]),
        "reopened": bool(ticket["reopened"]),
    } | _handling_of(ticket, departments)


def _handling_of(ticket: dict[str, Any], departments: list[str]) -> dict[str, Any]:
    score = ticket["follow_up_score"]
    return {
        "departments": departments,
        "resolution": ticket["resolution"],
        "completed_at": ticket["completed_at"],
        "follow_up": None
        if score is None
        else {
            "score": score,
            "satisfied": is_satisfied(score),
            "comment": ticket["follow_up_comment"],
        },
    }
