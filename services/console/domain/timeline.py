"""A ticket's one history (处理过程, docs/CONSOLE.md): its own steps and its work orders', in the
order they happened — when the technician arrived, what the customer scored — so the desk answers
a caller from one page; each order's step names its order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

# a ticket's steps that come after its orders' at the same moment: a ticket is resolved only once
# every order has ended (R8.12), so the sign-off that resolves it by itself comes first
_AFTER_ORDERS = frozenset({"ticket.resolved"})


def timeline(history: list[dict[str, Any]], orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ticket's history entries and each order's, oldest first (at the same moment a
    ticket's step before an order's, but its resolution after them); an order's carry its
    `order_no`, the ticket's None."""
    entries = [entry | {"order_no": None} for entry in history]
    for order in orders:
        entries += [entry | {"order_no": order["order_no"]} for entry in order.get("history", [])]

    def place(entry: dict[str, Any]) -> tuple[datetime, int]:
        rank = 2 if entry["event_type"] in _AFTER_ORDERS else 1 if entry["order_no"] else 0
        return datetime.fromisoformat(entry["occurred_at"]), rank

    return sorted(entries, key=place)
