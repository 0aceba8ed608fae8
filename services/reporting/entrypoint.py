"""Wires reporting to NATS: the inbox that projects DESK into the ticket view, and the queries on
desk.qry.<site>.ticket.*. The only reporting module that knows FastStream."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from faststream.nats import NatsRouter
from pydantic import BaseModel

from services.reporting import queries
from services.reporting.view import TicketView
from shared import subjects
from shared.contracts.commands import GetTicket, ListTickets
from shared.contracts.dispatch_commands import GetWorkOrder
from shared.inbox import Inbox
from shared.service import Service

# query name -> (request model, handler, description)
QUERIES: dict[str, tuple[type[BaseModel], Callable[..., dict[str, Any]], str]] = {
    "ticket.get": (GetTicket, queries.get_ticket, "A ticket's current state and its history"),
    "ticket.list": (ListTickets, queries.list_tickets, "Tickets of a site, newest first"),
    "workorder.get": (GetWorkOrder, queries.get_work_order, "A work order and its history"),
}

TICKETS_CONSUMER = "reporting-tickets"


class ReportingService(Service):
    name = "reporting"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.view: TicketView | None = None
        self.inbox: Inbox | None = None

    def open_stores(self) -> None:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.view = TicketView(str(self.settings.data_dir / "reporting-tickets.sqlite3"))

    def close_stores(self) -> None:
        if self.view is not None:
            self.view.close()
            self.view = None

    def background(self) -> list[Coroutine[Any, Any, None]]:
        assert self.view is not None and self.js is not None
        self.inbox = Inbox(
            self.js,
            durable=TICKETS_CONSUMER,
            apply=self.view.apply,
            position=self.view.position,
            offload=self.offload,
        )
        return [self.inbox.run()]

    def router(self) -> NatsRouter:
        router = NatsRouter()
        for name, (model, handler, description) in QUERIES.items():
            router.subscriber(subjects.query_pattern(name), title=name, description=description)(
                self.handler("query_" + name.replace(".", "_"), model, dict, self._query(handler))
            )
        return router

    def _query(self, handler: Callable[..., dict[str, Any]]) -> Any:
        async def call(site: str, query: BaseModel, headers: dict[str, str]) -> dict[str, Any]:
            assert self.view is not None
            return await self.offload(handler, self.view, site, query)

        return call
