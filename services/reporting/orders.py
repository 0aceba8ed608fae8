"""Work-order projection: each order's read model, shown with its ticket (docs/DOMAIN.md §4).

Pure functions over plain dicts, like the ticket projection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.contracts import events as e

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
        "appointment": d.appointment.model_dump(mode="json") if d.appointment else None,
        "leak": d.leak,
        "rework_of": str(d.rework_of) if d.rework_of else None,
        "free_of_charge": d.free_of_charge,
        "non_standard": d.non_standard,
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


def _quote(quote_state: str, status: str | None = None) -> Callable[[OrderState, Any], OrderState]:
    def step(state: OrderState, ev: Any) -> OrderState:
        quote = state["quote"] or {}
        if ev.event_type == "workorder.quoted":
            quote = {"amount": _money(ev.data.amount), "items": ev.data.items}
        changed = {"quote": quote | {"state": quote_state}}
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


STEPS: dict[str, Callable[[Any, Any], OrderState]] = {
    "workorder.issued": _issued,
    "workorder.classification_overridden": _set(copy=("urgency", "scope")),
    "workorder.collected": _set(status="collected", copy=("collected_by",)),
    "workorder.assigned": _set(status="assigned", copy=("technician",)),
    "workorder.arrived": _set(status="arrived"),
    "workorder.rescheduled": _rescheduled,
    "workorder.quoted": _quote("pending"),
    "workorder.quote_accepted": _quote("accepted"),
    "workorder.quote_declined": _quote("declined", status="declined"),
    "workorder.completed": _completed,
    "workorder.acceptance_confirmed": _set(status="completed"),
    "workorder.signed_off": _signed_off,
    "workorder.returned": _set(status="returned"),
    "workorder.referred": lambda state, ev: (
        state | {"status": "referred", "referred_to": ev.data.to_department}
    ),
}


def is_order_event(event: e.Envelope) -> bool:
    return event.event_type in STEPS  # type: ignore[attr-defined]


def evolve_order(state: OrderState | None, event: e.Envelope) -> OrderState | None:
    step = STEPS.get(event.event_type)  # type: ignore[attr-defined]
    if step is None or (state is None and event.event_type != "workorder.issued"):  # type: ignore[attr-defined]
        return None
    return step(state, event)


def _money(amount: Any) -> str:
    return f"{amount:.2f}"
