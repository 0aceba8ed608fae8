"""A ticket's analytics facts (docs/REPORTS.md): its row, its repeat contacts, its
service-level clock runs and the ladder levels it reached, one state, since an escalation event
counts in the month of its ticket. Pure steps over plain dicts, like the ticket projection; the
rows are the columns of services/reporting/views/analytics_tables.py.
"""

from __future__ import annotations

from typing import Any

from services.reporting.projections.site_calendar import Calendar
from services.reporting.projections.tickets import status_after
from shared.contracts import escalation_events
from shared.contracts import events as ticket_events
from shared.eventstore.views import Step
from shared.kernel.satisfaction import has_customer, is_satisfied

# {"ticket": row | None, "clocks": {key: [run rows]}, "escalations": {level: row},
#  "repeats": {n: row}}
Facts = dict[str, Any]
Row = dict[str, Any]
OPEN = "open"  # the outcome of a clock run not yet stopped


def no_facts() -> Facts:
    return {"ticket": None, "clocks": {}, "escalations": {}, "repeats": {}}


def _value(enum: Any) -> Any:
    return getattr(enum, "value", enum)


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


def ticket_steps(cal: Calendar) -> dict[type[ticket_events.Envelope], Step]:
    """Each event that changes a ticket's facts, and how."""
    with_cal = _with_calendar(cal)
    return {
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


_ESCALATION = frozenset(escalation_events.ESCALATION_EVENTS)


def ticket_of(ev: Any) -> str:
    """A ticket event's aggregate is the ticket; an escalation event names its ticket."""
    return str(ev.data.ticket_id) if type(ev) in _ESCALATION else str(ev.aggregate_id)


def _with_calendar(cal: Calendar) -> Any:
    return lambda step: lambda facts, ev: step(facts, ev, cal)
