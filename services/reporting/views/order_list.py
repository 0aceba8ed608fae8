"""`workorder.list` over the ticket view (views/tickets.py): a site's work orders by status,
technician and department, oldest issued first (the order in which their `workorder.issued`
reached the view), each with the service clocks that run on it (the department's 2-minute clock
to collect, the technician's to arrive …, from the ticket's service levels)."""

from __future__ import annotations

import json
from typing import Any

from services.reporting.views.tickets import TicketView, sla_states

# filter -> the order's field in its state
_FILTERS = ("status", "technician", "department")


def list_orders(
    view: TicketView, site: str, *, limit: int, after: int, **filters: str | None
) -> tuple[list[dict[str, Any]], int | None]:
    """One page and the cursor (the view's own row number) of the next one."""
    sql = "SELECT rowid, state FROM work_orders WHERE site = ? AND rowid > ?"
    params: list[Any] = [site, after]
    for name in _FILTERS:
        if (value := filters.get(name)) is not None:
            sql += f" AND json_extract(state, '$.{name}') = ?"
            params.append(value)
    sql += " ORDER BY rowid LIMIT ?"
    params.append(limit + 1)
    with view.datastore.transaction(commit=False) as c:
        c.execute(sql, params)
        rows = c.fetchall()
        page = [json.loads(r["state"]) for r in rows[:limit]]
        sla = sla_states(c, sorted({o["ticket_id"] for o in page}))
    for order in page:
        clocks = (sla.get(order["ticket_id"]) or {}).get("clocks", {})
        own = order["order_no"]
        order["clocks"] = {k: c for k, c in clocks.items() if c.get("order_no") == own}
    return page, (rows[limit - 1]["rowid"] if len(rows) > limit else None)
