"""The analytics facts: one fact row per ticket, repeat contact, work order and service-level clock
run, each stamped with the site's local calendar month (and ISO week) it counts in
(docs/REPORTS.md).

Three states: a ticket's facts (projections/ticket_facts.py), a work order's, and a month's
analysis, each counted in its site's calendar (projections/site_calendar.py). The rows are the
columns of services/reporting/views/analytics_tables.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from services.reporting.projections.incident_facts import incident_steps
from services.reporting.projections.site_calendar import Calendar
from services.reporting.projections.ticket_facts import Facts, Row, ticket_of, ticket_steps
from shared.contracts import events as ticket_events
from shared.contracts import workorder_events
from shared.eventstore.views import Projector, Step

# -- a work order's facts, and a month's analysis -------------------------------------------------


def _order_issued(cal: Calendar) -> Step:
    def step(row: Row | None, ev: Any) -> Row | None:
        if row is not None:
            return None
        return {
            "work_order_id": str(ev.aggregate_id),
            "ticket_id": str(ev.data.ticket_id),
            "site": ev.site,
            "issued_month": cal.month_of(ev.site, ev.occurred_at),
            "department": ev.data.department,
            "completed_month": None,
            "fee": None,
        }

    return step


def _order_completed(cal: Calendar) -> Step:
    def step(row: Row | None, ev: Any) -> Row | None:
        if row is None:
            return None
        month = cal.month_of(ev.site, ev.occurred_at)
        return row | {"completed_month": month, "fee": str(Decimal(ev.data.fee))}

    return step


def _analysis(cal: Calendar) -> Step:
    def step(row: Row | None, ev: Any) -> Row:
        d = ev.data
        analysis = {
            "cause": d.cause,
            "lessons": d.lessons,
            "actions": d.actions,
            "revision": d.revision,
            "by": ev.actor,
            "at": cal.local(ev.site, ev.occurred_at).isoformat(),
        }
        text = json.dumps(analysis, ensure_ascii=False, sort_keys=True)
        return {"site": ev.site, "month": d.month, "analysis": text}

    return step


@dataclass(frozen=True, slots=True)
class FactProjectors:
    """The states the analytics facts are made of, for one calendar."""

    tickets: Projector[Facts]  # keyed by ticket id
    orders: Projector[Row]  # keyed by work order id
    analyses: Projector[Row]  # keyed by (site, month)
    incidents: Projector[Row]  # keyed by incident id (R16.5)


def fact_projectors(cal: Calendar) -> FactProjectors:
    return FactProjectors(
        tickets=Projector(ticket_steps(cal), key=ticket_of),
        orders=Projector(
            {
                workorder_events.WorkOrderIssuedEvent: _order_issued(cal),
                workorder_events.WorkOrderCompletedEvent: _order_completed(cal),
            }
        ),
        analyses=Projector(
            {ticket_events.MonthAnalysisAttachedEvent: _analysis(cal)},
            key=lambda ev: f"{ev.site}\n{ev.data.month}",
        ),
        incidents=Projector(incident_steps(cal)),
    )
