"""Query handlers over the ticket view's violation cases (R14.1–R14.8): violation.get and
violation.list."""

from __future__ import annotations

from typing import Any

from services.reporting.views.tickets import TicketView
from shared.contracts.violation_commands import GetViolation, ListViolations
from shared.messaging.errors import not_found


def get_violation(view: TicketView, site: str, query: GetViolation) -> dict[str, Any]:
    case_id = str(query.case_id) if query.case_id is not None else None
    case = view.violation(site, case_id, query.client_ref)
    if case is None:
        raise not_found(f"violation case {query.case_id or query.client_ref}")
    return {"ok": True, "case": case}


def list_violations(view: TicketView, site: str, query: ListViolations) -> dict[str, Any]:
    return {"ok": True, "cases": view.violations(site, query.status, query.limit)}
