"""A ticket's one history on the console (处理过程): its own steps and its orders', in the order
they happened, whatever zone each time was written in; at one moment the ticket's first, but its
resolution after its orders' steps."""

from __future__ import annotations

from services.console.domain.timeline import timeline


def entry(event_type: str, at: str) -> dict[str, object]:
    return {"event_type": event_type, "occurred_at": at, "actor": "S1", "data": {}}


def test_the_orders_steps_fall_between_the_tickets_by_time() -> None:
    history = [
        entry("ticket.reported", "2026-11-23T09:00:00+08:00"),
        entry("ticket.resolved", "2026-11-23T03:30:00+00:00"),
    ]  # 11:30 in Shanghai
    orders = [{"order_no": "HBW-1-W1", "history": [
        entry("workorder.issued", "2026-11-23T01:00:00.5+00:00"),
        entry("workorder.arrived", "2026-11-23T10:15:00+08:00"),
    ]}, {"order_no": "HBW-1-W2", "history": [
        entry("workorder.issued", "2026-11-23T11:00:00+08:00"),
    ]}]  # fmt: skip
    shown = [(e["event_type"], e["order_no"]) for e in timeline(history, orders)]
    assert shown == [
        ("ticket.reported", None),
        ("workorder.issued", "HBW-1-W1"),
        ("workorder.arrived", "HBW-1-W1"),
        ("workorder.issued", "HBW-1-W2"),
        ("ticket.resolved", None),
    ]


def test_at_the_same_moment_the_tickets_step_comes_first() -> None:
    at = "2026-11-23T09:00:00+08:00"
    orders = [{"order_no": "W1", "history": [entry("workorder.issued", at)]}]
    steps = timeline([entry("ticket.reported", at)], orders)
    assert [e["event_type"] for e in steps] == ["ticket.reported", "workorder.issued"]


def test_a_resolution_by_the_last_sign_off_comes_after_it_at_the_same_moment_r8_12() -> None:
    """R8.12: the ticket is resolved because its last order was signed off; on a simulated clock
    both carry one time, and the history still reads sign-off, then resolution."""
    at = "2026-11-23T10:05:00+08:00"
    history = [entry("ticket.reported", "2026-11-23T08:30:00+08:00"), entry("ticket.resolved", at)]
    orders = [{"order_no": "W1", "history": [
        entry("workorder.arrived", at), entry("workorder.completed", at),
        entry("workorder.signed_off", at),
    ]}]  # fmt: skip
    assert [e["event_type"] for e in timeline(history, orders)] == [
        "ticket.reported", "workorder.arrived", "workorder.completed", "workorder.signed_off",
        "ticket.resolved",
    ]  # fmt: skip
