"""Work-order projection: each order's read model, shown with its ticket (docs/DOMAIN.md §4).

Pure functions over plain dicts, like the ticket projection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.contracts import workorder_events
from shared.eventstore.views import Projector, Step

OrderState = dict[str, Any]


def _issued(state: OrderState | None, ev: Any) -> OrderState:
    d = ev.data
    return {
        "work_order_id": str(ev.aggregate_id),
        "order_no": d.order_no,
        "ticket_id": str(d.ticket_id),
        "site": ev.site,
        "status": "issued",
        "origin": d.origin,
        "department": d.department,
        "category": d.category,
        "urgency": d.urgency.value,
        "scope": d.scope.value,
        "unit": d.unit,
        "content": d.content,  # what is to be done, as published (masked): the technician's list
        "appointment": d.appointment.model_dump(mode="json") if d.appointment else None,
        "leak": d.leak,
        "rework_of": str(d.rework_of) if d.rework_of else None,
        "free_of_charge": d.free_of_charge,
        "non_standard": d.non_standard,
        "emergency": d.emergency,
        "issued_at": ev.occurred_at.isoformat(),
        "collected_by": None,
        "technician": None,
        "quote": None,
        "fee": None,
        "evaluation": None,
        "referred_to": None,
        "reschedules": 0,
    }


def _set(**fields: Any) -> Callable[[OrderState, Any], OrderState]:
    """A step that sets fixed fields (e.g. the status) and copies the named data fields."""
    copies = fields.pop("copy", ())

    def step(state: OrderState, ev: Any) -> OrderState:
        data = ev.data.model_dump(mode="json")
        return state | fields | {k: data[k] for k in copies}

    return step


def _rescheduled(state: OrderState, ev: Any) -> OrderState:
    appointment = ev.data.appointment.model_dump(mode="json")
    return state | {
        "status": "assigned",
        "appointment": appointment,
        "reschedules": state["reschedules"] + 1,
    }


def _quoted(state: OrderState, ev: Any) -> OrderState:
    quote = {"amount": _money(ev.data.amount), "items": ev.data.items, "state": "pending"}
    return state | {"quote": quote}


def _quote(quote_state: str, status: str | None = None) -> Callable[[OrderState, Any], OrderState]:
    """A step that settles the quote (accepted, declined), and sets the order's status."""

    def step(state: OrderState, ev: Any) -> OrderState:
        changed = {"quote": (state["quote"] or {}) | {"state": quote_state}}
        return state | changed | ({"status": status} if status else {})

    return step


def _completed(state: OrderState, ev: Any) -> OrderState:
    d = ev.data
    return state | {
        "status": "awaiting_acceptance" if d.awaiting_acceptance else "completed",
        "fee": _money(d.fee),
        "notes": d.notes,
        "actual_item": d.actual_item,
        "completed_at": ev.occurred_at.isoformat(),
    }


def _signed_off(state: OrderState, ev: Any) -> OrderState:
    d = ev.data
    evaluation = {"quality": d.quality, "attitude": d.attitude, "comment": d.comment}
    return state | {"status": "signed_off", "evaluation": evaluation}


def _referred(state: OrderState, ev: Any) -> OrderState:
    return state | {"status": "referred", "referred_to": ev.data.to_department}


def _cancelled(state: OrderState, ev: Any) -> OrderState:
    d = ev.data
    return state | {
        "status": "cancelled",
        "cancel_reason": d.reason,
        "cancelled_at": ev.occurred_at.isoformat(),
    }


STEPS: dict[type[workorder_events.Envelope], Step] = {
    workorder_events.WorkOrderIssuedEvent: _issued,
    workorder_events.ClassificationOverriddenEvent: _set(copy=("urgency", "scope")),
    workorder_events.WorkOrderCollectedEvent: _set(status="collected", copy=("collected_by",)),
    workorder_events.TechnicianAssignedEvent: _set(status="assigned", copy=("technician",)),
    workorder_events.TechnicianArrivedEvent: _set(status="arrived"),
    workorder_events.WorkOrderRescheduledEvent: _rescheduled,
    workorder_events.QuoteGivenEvent: _quoted,
    workorder_events.QuoteAcceptedEvent: _quote("accepted"),
    workorder_events.QuoteDeclinedEvent: _quote("declined", status="declined"),
    workorder_events.WorkOrderCompletedEvent: _completed,
    workorder_events.AcceptanceConfirmedEvent: _set(status="completed"),
    workorder_events.WorkOrderSignedOffEvent: _signed_off,
    workorder_events.WorkOrderReturnedEvent: _set(status="returned"),
    workorder_events.WorkOrderReferredEvent: _referred,
    workorder_events.WorkOrderCancelledEvent: _cancelled,
}
WORK_ORDERS: Projector[OrderState] = Projector(
    STEPS, first=frozenset({workorder_events.WorkOrderIssuedEvent})
)


def evolve_order(state: OrderState | None, event: workorder_events.Envelope) -> OrderState | None:
    """The order after `event`; None when the event is not about orders or comes too early."""
    return WORK_ORDERS.evolve(state, event)


def _money(amount: Any) -> str:
    return f"{amount:.2f}"
