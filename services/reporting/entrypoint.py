"""Wires reporting to NATS: the inbox that projects DESK into the ticket view, and the queries on
desk.qry.<site>.ticket.*. The only reporting module that knows FastStream."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from faststream.nats import NatsRouter
from pydantic import BaseModel

from services.reporting import queries, report_queries
from services.reporting.projections import PROJECTIONS, View
from services.reporting.view import TicketView
from shared import subjects
from shared.contracts.commands import GetTicket, ListTickets
from shared.contracts.dispatch_commands import GetWorkOrder
from shared.contracts.report_queries import MonthlyReport, QualityPack, WeeklyReport
from shared.inbox import Inbox
from shared.service import Service

# query name -> (request model, handler, description)
QUERIES: dict[str, tuple[type[BaseModel], Callable[..., dict[str, Any]], str]] = {
    "ticket.get": (
        GetTicket,
        queries.get_ticket,
        "A ticket's current state and its history, or as they stood at `as_of`",
    ),
    "ticket.list": (ListTickets, queries.list_tickets, "Tickets of a site, newest first"),
    "workorder.get": (GetWorkOrder, queries.get_work_order, "A work order and its history"),
}
# report name -> (request model, handler, description), over the analytics facts
REPORTS: dict[str, tuple[type[BaseModel], Callable[..., dict[str, Any]], str]] = {
    "report.monthly": (MonthlyReport, report_queries.monthly, "A site's monthly summary (R12.4)"),
    "report.weekly": (WeeklyReport, report_queries.weekly, "A site's weekly summary (R12.1)"),
}
COMPANY_REPORTS = {
    "report.quality": (QualityPack, report_queries.quality, "The company quality pack (R12.3)"),
}


class ReportingService(Service):
    name = "reporting"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.views: dict[str, View] = {}
        self.inboxes: dict[str, Inbox] = {}

    @property
    def view(self) -> TicketView | None:
        """The ticket view, which the ticket queries read."""
        view = self.views.get("tickets")
        assert view is None or isinstance(view, TicketView)
        return view

    def open_stores(self) -> None:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        for name, projection in PROJECTIONS.items():
            path = str(projection.path(self.settings.data_dir))
            self.views[name] = projection.open(path, self.sites)

    def close_stores(self) -> None:
        for view in self.views.values():
            view.close()
        self.views = {}

    def background(self) -> list[Coroutine[Any, Any, None]]:
        assert self.js is not None
        for name, view in self.views.items():
            self.inboxes[name] = Inbox(
                self.js,
                durable=PROJECTIONS[name].durable,
                apply=view.apply,
                position=view.position,
                offload=self.offload,
            )
        return [inbox.run() for inbox in self.inboxes.values()]

    def router(self) -> NatsRouter:
        router = NatsRouter()
        for name, (model, handler, description) in QUERIES.items():
            router.subscriber(subjects.query_pattern(name), title=name, description=description)(
                self.handler("query_" + name.replace(".", "_"), model, dict, self._query(handler))
            )
        for name, (model, handler, description) in REPORTS.items():
            router.subscriber(subjects.query_pattern(name), title=name, description=description)(
                self.handler("query_" + name.replace(".", "_"), model, dict, self._report(handler))
            )
        for name, (model, handler, description) in COMPANY_REPORTS.items():
            subject = subjects.query(subjects.COMPANY, name)
            router.subscriber(subject, title=f"company.{name}", description=description)(
                self.handler(
                    "company_" + name.replace(".", "_"),
                    model,
                    dict,
                    self._report(handler),
                    company=True,
                )
            )
        return router

    def _report(self, handler: Callable[..., dict[str, Any]]) -> Any:
        async def call(site: str, query: BaseModel, headers: dict[str, str]) -> dict[str, Any]:
            view = self.views["analytics"]
            return await self.offload(handler, view, self.sites, site, query, self.clock.now())

        return call

    def _query(self, handler: Callable[..., dict[str, Any]]) -> Any:
        async def call(site: str, query: BaseModel, headers: dict[str, str]) -> dict[str, Any]:
            assert self.view is not None
            return await self.offload(handler, self.view, site, query)

        return call
