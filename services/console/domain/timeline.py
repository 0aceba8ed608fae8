"""A ticket's one history (处理过程, docs/CONSOLE.md): its own steps and its work orders', in the
order they happened — when the technician arrived, what the customer scored — so the desk answers
a caller from one page; each order's step names its order."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def timeline(history: list[dict[str, Any]], orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ticket's history entries and each order's, oldest first (a ticket's step before an
    order's at the same moment); an order's carry its `order_no`, the ticket's None."""
    entries = [entry | {"order_no": None} for entry in history]
    for order in orders:
        entries += [entry | {"order_no": order["order_no"]} for entry in order.get("history", [])]
    return sorted(entries, key=lambda entry: datetime.fromisoformat(entry["occurred_at"]))
