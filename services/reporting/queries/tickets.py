"""Query handlers over the ticket view: validate, read, answer in the contract's shape."""

from __future__ import annotations

from typing import Any

from services.reporting.queries.as_of import ticket_as_of
from services.reporting.views.order_list import list_orders
from services.reporting.views.tickets import TicketView
from shared.contracts.base import MAX_INT64
from shared.contracts.commands import GetTicket, ListTickets
from shared.contracts.dispatch_commands import GetWorkOrder
from shared.contracts.escalation_events import ListNotices
from shared.contracts.queue_queries import ListWorkOrders
from shared.contracts.replies import ErrorCode
from shared.kernel.vocabulary import TicketStatus
from shared.messaging.errors import DeskError, invalid, not_found


def get_ticket(view: TicketView, site: str, query: GetTicket) -> dict[str, Any]:
    ticket_id = str(query.ticket_id) if query.ticket_id is not None else None
    if query.as_of is not None:
        return _ticket_as_of(view, site, ticket_id, query)
    ticket = view.get(site, ticket_id=ticket_id, ticket_no=query.ticket_no)
    if ticket is None:
        raise not_found(f"ticket {query.ticket_id or query.ticket_no}")
    return {"ok": True, "ticket": ticket}


def _ticket_as_of(
    view: TicketView, site: str, ticket_id: str | None, query: GetTicket
) -> dict[str, Any]:
    """The ticket folded from what had been recorded by `as_of` (queries/as_of.py)."""
    assert query.as_of is not None
    name = query.ticket_id or query.ticket_no
    records = view.records(site, ticket_id=ticket_id, ticket_no=query.ticket_no)
    if records is None:
        raise not_found(f"ticket {name}")
    ticket = ticket_as_of(records, query.as_of)
    if ticket is None:
        recorded = records.history[0]["recorded_at"] if records.history else "later"
        raise DeskError(
            ErrorCode.not_found,
            f"ticket {name} was not yet recorded as of {query.as_of.isoformat()}: "
            f"the desk recorded it at {recorded}",
        )
    return {"ok": True, "as_of": query.as_of.isoformat(), "ticket": ticket}


def get_work_order(view: TicketView, site: str, query: GetWorkOrder) -> dict[str, Any]:
    order_id = str(query.work_order_id) if query.work_order_id is not None else None
    order = view.get_order(site, work_order_id=order_id, order_no=query.order_no)
    if order is None:
        raise not_found(f"work order {query.work_order_id or query.order_no}")
    return {"ok": True, "work_order": order}


def list_tickets(view: TicketView, site: str, query: ListTickets) -> dict[str, Any]:
    if query.status is not None and query.status not in TicketStatus.__members__:
        raise invalid(
            f"unknown status {query.status!r}; one of {', '.join(TicketStatus)}", "status"
        )
    tickets, next_seq = view.list(
        site,
        status=query.status,
        kind=query.kind.value if query.kind else None,
        zones=query.zones,
        limit=query.limit,
        before_seq=_cursor(query.cursor),
    )
    return _page("tickets", tickets, next_seq)


def list_notices(view: TicketView, site: str, query: ListNotices) -> dict[str, Any]:
    chosen = {
        "role": query.role.value if query.role else None,
        "department": query.department.value if query.department else None,
        "ticket_no": query.ticket_no,
        "zones": query.zones,
    }
    notices, next_seq = view.notices(
        site, unacknowledged=query.open, limit=query.limit, after_seq=_cursor(query.cursor) or 0,
        newest_first=query.newest_first, **chosen,
    )  # fmt: skip
    reply = _page("notices", notices, next_seq)
    return reply | ({"waiting": view.waiting(site, **chosen)} if query.count else {})


def _cursor(cursor: str | None) -> int | None:
    """A page's cursor: the stream sequence this service gave out as `next_cursor`."""
    if cursor is None:
        return None
    if not (cursor.isascii() and cursor.isdigit()) or int(cursor) > MAX_INT64:
        raise invalid("cursor is not one this service gave out", "cursor")
    return int(cursor)


def _page(name: str, rows: list[dict[str, Any]], next_seq: int | None) -> dict[str, Any]:
    return {"ok": True, name: rows, "next_cursor": str(next_seq) if next_seq is not None else None}


def list_work_orders(view: TicketView, site: str, query: ListWorkOrders) -> dict[str, Any]:
    orders, next_row = list_orders(
        view,
        site,
        status=query.status,
        technician=query.technician,
        department=query.department.value if query.department else None,
        limit=query.limit,
        after=_cursor(query.cursor) or 0,
    )
    return _page("work_orders", orders, next_row)
