"""The analytics facts: one fact row per ticket, repeat contact, work order and service-level clock
run, each stamped with the site's local calendar month (and ISO week) it counts in
(docs/REPORTS.md).

Pure steps over plain dicts, like the ticket projection. A ticket's facts are one state (its
row, its clock runs, the ladder levels it reached), since an escalation event counts in the month
of its ticket. The rows are the columns of services/reporting/views/analytics_tables.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from services.reporting.projections.tickets import status_after
from shared.contracts import escalation_events, workorder_events
from shared.contracts import events as ticket_events
from shared.eventstore.views import Projector, Step
from shared.kernel.satisfaction import has_customer, is_satisfied
from shared.kernel.sites import SiteDirectory

# {"ticket": row | None, "clocks": {key: [run rows]}, "escalations": {level: row},
#  "repeats": {n: row}}
Facts = dict[str, Any]
Row = dict[str, Any]
OPEN = "open"  # the outcome of a clock run not yet stopped


@dataclass(frozen=True, slots=True)
class Calendar:
    """Each site's local calendar: a fact counts in the month and week of its site's timezone."""

    sites: SiteDirectory

    def local(self, site: str, when: datetime) -> datetime:
        config = self.sites.get(site)
        return when.astimezone(config.zone) if config is not None else when

    def month_of(self, site: str, when: datetime) -> str:
        return self.local(site, when).strftime("%Y-%m")

    def week_of(self, site: str, when: datetime) -> str:
        year, week, _ = self.local(site, when).isocalendar()
        return f"{year}-W{week:02d}"


def no_facts() -> Facts:
    return {"ticket": None, "clocks": {}, "escalations": {}, "repeats": {}}


def _value(enum: Any) -> Any:
    return getattr(enum, "value", enum)


# -- a ticket's facts ----------------------------------------------------------------------------


def _reported(cal: Calendar) -> Step:
    def step(facts: Facts | None, ev: Any) -> Facts | None:
        facts = facts or no_facts()
        if facts["ticket"] is not None:
            return None  # the first report stands
        d = ev.data
        row = {
            "ticket_id": str(ev.aggregate_id),
            "site": ev.site,
            "month": cal.month_of(ev.site, d.received_at),
            "week": cal.week_of(ev.site, d.received_at),
            "ticket_no": d.ticket_no,
            "received_at": cal.local(ev.site, d.received_at).isoformat(),  # sorts as text
            "kind": d.kind.value,
            "category": d.category,
            "channel": d.channel.value,
            "validity": None,
            "severity": None,
            "unit": d.unit,
            "content": d.content,
            "status": status_after(ev),
            "duplicate": 0,
            "resolved_at": None,
            "reopened": 0,
            "follow_ups": 0,
            "satisfied": 0,
            "level": None,
            "upgraded": 0,
            # the ledger's columns (docs/REPORTS.md): the latest resolution and follow-up
            "resolution": None,
            "completed_at": None,
            "follow_up_score": None,
            "follow_up_comment": None,
        }
        return facts | {"ticket": row}

    return step


def _ticket(change: Any) -> Step:
    """A step that changes the ticket's row (`change(row, ev)`: the columns it sets); a ticket
    the view never saw reported has no row, and nothing changes."""

    def step(facts: Facts | None, ev: Any) -> Facts | None:
        if facts is None or facts["ticket"] is None:
            return None
        return facts | {"ticket": facts["ticket"] | change(facts["ticket"], ev)}

    return step


def _linked(cal: Calendar) -> Step:
    """A repeat contact about the ticket (R16.1): a contact of its own, counted in the month it
    was received (R3.1), whatever the month of the ticket."""

    def step(facts: Facts | None, ev: Any) -> Facts | None:
        if facts is None or facts["ticket"] is None:
            return None
        d, repeats = ev.data, facts.get("repeats", {})
        if d.repeat_count in repeats:
            return None
        row = {
            "ticket_id": str(ev.aggregate_id),
            "n": d.repeat_count,
            "site": ev.site,
            "month": cal.month_of(ev.site, d.received_at),
            "week": cal.week_of(ev.site, d.received_at),
            "channel": d.channel.value,
            "received_at": cal.local(ev.site, d.received_at).isoformat(),
        }
        return facts | {"repeats": repeats | {d.repeat_count: row}}

    return step


def _classified(row: Row, ev: Any) -> Row:
    d = ev.data
    return {
        "kind": d.kind.value,
        "category": d.category,
        "validity": _value(d.validity),
        # intake never hears of an upgrade to major (escalation's), so a later classification
        # repeats the severity it knows: the upgrade stands
        "severity": "major" if row["upgraded"] else _value(d.severity),
        "status": status_after(ev),  # as intake and the ticket view say (it was kept "reopened")
    }


def _followed_up(row: Row, ev: Any) -> Row:
    """A customer's answer in the follow-up call; satisfied is what its score says (4–5,
    shared/kernel/satisfaction.py). An inspection finding has no customer (R13.17): a follow-up
    recorded for one by older code is not a customer's answer and counts nowhere."""
    if not has_customer(row["channel"]):
        return {}
    return {
        "follow_ups": row["follow_ups"] + 1,
        "satisfied": row["satisfied"] + int(is_satisfied(ev.data.score)),
        "follow_up_score": ev.data.score,
        "follow_up_comment": ev.data.comment,
    }


def _clock_started(facts: Facts | None, ev: Any, cal: Calendar) -> Facts:
    facts = facts or no_facts()
    ticket, d = facts["ticket"], ev.data
    runs = facts["clocks"].get(d.key, [])
    run = {
        "ticket_id": str(d.ticket_id),
        "clock_key": d.key,
        "run": len(runs) + 1,
        "site": ev.site,
        "month": ticket["month"] if ticket else cal.month_of(ev.site, d.started_at),
        "clock": _value(d.clock),
        "outcome": OPEN,
        "breached": 0,
    }
    return facts | {"clocks": facts["clocks"] | {d.key: [*runs, run]}}


def _clock(change: Any) -> Step:
    """A step on the clock's latest run (`change(ev)`: the columns it sets)."""

    def step(facts: Facts | None, ev: Any) -> Facts | None:
        runs = facts["clocks"].get(ev.data.key) if facts else None
        if not runs:
            return None
        assert facts is not None
        latest = runs[-1] | change(ev)
        return facts | {"clocks": facts["clocks"] | {ev.data.key: [*runs[:-1], latest]}}

    return step


def _escalated(facts: Facts | None, ev: Any, cal: Calendar) -> Facts:
    facts = facts or no_facts()
    ticket, level = facts["ticket"], _value(ev.data.level)
    if level not in facts["escalations"]:
        month = ticket["month"] if ticket else cal.month_of(ev.site, ev.occurred_at)
        reached = {"ticket_id": str(ev.data.ticket_id), "level": level, "site": ev.site}
        facts = facts | {"escalations": facts["escalations"] | {level: reached | {"month": month}}}
    if ticket is not None:
        facts = facts | {"ticket": ticket | {"level": level}}
    return facts


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
    """The three states the analytics facts are made of, for one calendar."""

    tickets: Projector[Facts]  # keyed by ticket id
    orders: Projector[Row]  # keyed by work order id
    analyses: Projector[Row]  # keyed by (site, month)


def fact_projectors(cal: Calendar) -> FactProjectors:
    with_cal = _with_calendar(cal)
    tickets: dict[type[ticket_events.Envelope], Step] = {
        ticket_events.TicketReportedEvent: _reported(cal),
        ticket_events.TicketClassifiedEvent: _ticket(_classified),
        ticket_events.ContactLinkedEvent: _linked(cal),
        ticket_events.TicketResolvedEvent: _ticket(
            lambda row, ev: {
                "status": status_after(ev),
                "resolved_at": row["resolved_at"] or ev.occurred_at.isoformat(),
                "resolution": ev.data.resolution,
                "completed_at": cal.local(ev.site, ev.occurred_at).isoformat(),
            }
        ),
        ticket_events.FollowUpRecordedEvent: _ticket(_followed_up),
        ticket_events.TicketClosedEvent: _ticket(lambda row, ev: {"status": status_after(ev)}),
        ticket_events.TicketReopenedEvent: _ticket(
            lambda row, ev: {"status": status_after(ev), "reopened": 1, "completed_at": None}
        ),
        ticket_events.TicketCancelledEvent: _ticket(
            lambda row, ev: {
                "status": status_after(ev),
                "duplicate": int(ev.data.duplicate_of is not None),
            }
        ),
        escalation_events.EscalationClockStartedEvent: with_cal(_clock_started),
        escalation_events.EscalationClockStoppedEvent: _clock(
            lambda ev: {"outcome": ev.data.outcome}
        ),
        escalation_events.EscalationClockBreachedEvent: _clock(lambda ev: {"breached": 1}),
        escalation_events.EscalationComplaintEscalatedEvent: with_cal(_escalated),
        escalation_events.EscalationComplaintUpgradedEvent: _ticket(
            lambda row, ev: {"upgraded": 1, "severity": "major"}
        ),
    }
    return FactProjectors(
        tickets=Projector(tickets, key=_ticket_of),
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
    )


_ESCALATION = frozenset(escalation_events.ESCALATION_EVENTS)


def _ticket_of(ev: Any) -> str:
    """A ticket event's aggregate is the ticket; an escalation event names its ticket."""
    return str(ev.data.ticket_id) if type(ev) in _ESCALATION else str(ev.aggregate_id)


def _with_calendar(cal: Calendar) -> Any:
    return lambda step: lambda facts, ev: step(facts, ev, cal)
