"""A ticket as the desk knew it at a moment (`ticket.get` with `as_of`).

The view keeps every published event of a ticket and of its work orders (their history entries)
and every escalation event about the ticket. A past state is those events, as far as they had been
recorded by then, folded again with the view's own projectors (services/reporting/projections/:
TICKETS, WORK_ORDERS, SERVICE_LEVELS). Nothing here decides how an event changes a ticket.

Which time counts: an event's `recorded_at`, when its owning service stored it: what the desk knew
at that moment. A contact logged late (an earlier `occurred_at`) is not known before it was logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.reporting.projections.service_levels import SERVICE_LEVELS, summary
from services.reporting.projections.tickets import TICKETS
from services.reporting.projections.work_orders import WORK_ORDERS
from shared.contracts.envelope import SCHEMA_VERSION, Envelope
from shared.contracts.events import EVENT_TYPES, parse_event

State = dict[str, Any]


@dataclass(frozen=True, slots=True)
class TicketRecords:
    """What the view holds about one ticket, as stored."""

    ticket_id: str
    site: str
    history: list[dict[str, Any]]  # the ticket's history entries, in version order
    orders: dict[str, list[dict[str, Any]]]  # work order id -> its history entries, in order
    sla_events: list[str] | None  # escalation envelopes (JSON) in stream order; None: not kept


def envelope_of(entry: dict[str, Any], *, site: str, aggregate_id: str) -> Envelope:
    """The published envelope a history entry was made from (`projections.tickets.history_entry`).

    The entry keeps neither the causation id (None here) nor the schema version: its `data` was
    read into the current model, so it is that model's schema."""
    model = EVENT_TYPES[entry["event_type"]]
    data_model = model.data_model()
    return model.model_validate(
        {
            "event_id": entry["event_id"],
            "event_type": entry["event_type"],
            "schema_version": getattr(data_model, "SCHEMA_VERSION", SCHEMA_VERSION),
            "site": site,
            "aggregate_id": aggregate_id,
            "aggregate_version": entry["version"],
            "occurred_at": entry["occurred_at"],
            "recorded_at": entry["recorded_at"],
            "correlation_id": entry["correlation_id"],
            "causation_id": None,
            "actor": entry["actor"],
            "data": entry["data"],
        }
    )


def known_by(entries: Iterable[dict[str, Any]], as_of: datetime) -> list[dict[str, Any]]:
    """The entries (in version order) recorded at or before `as_of`. It stops at the first one
    recorded later, so a fold never skips a version even if a clock stepped back."""
    known = []
    for entry in entries:
        if datetime.fromisoformat(entry["recorded_at"]) > as_of:
            break
        known.append(entry)
    return known


def order_position(order: State) -> int:
    """Orders are shown in order-number order: -W2 before -W10."""
    return int(order["order_no"].rsplit("-W", 1)[1])


def ticket_as_of(records: TicketRecords, as_of: datetime) -> State | None:
    """The ticket with its work orders, history and service levels as they stood at `as_of`;
    None when it had not been recorded yet. `sla` is None when the view kept no escalation
    events for this ticket (it was projected before the view kept them)."""
    history = known_by(records.history, as_of)
    if not history:
        return None
    ticket = TICKETS.fold(_envelopes(history, records.site, records.ticket_id))
    assert ticket is not None
    orders = []
    for order_id, entries in records.orders.items():
        order = WORK_ORDERS.fold(_envelopes(known_by(entries, as_of), records.site, order_id))
        if order is not None:
            orders.append(order)
    orders.sort(key=order_position)
    sla = None
    if records.sla_events is not None:
        events = (parse_event(raw) for raw in records.sla_events)
        sla = summary(SERVICE_LEVELS.fold([e for e in events if e.recorded_at <= as_of]))
    return ticket | {"work_orders": orders, "sla": sla, "history": history}


def _envelopes(entries: list[dict[str, Any]], site: str, aggregate_id: str) -> list[Envelope]:
    return [envelope_of(entry, site=site, aggregate_id=aggregate_id) for entry in entries]
