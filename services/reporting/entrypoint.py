"""Wires reporting to NATS: the inboxes that project DESK into the views (views/, projections/),
the queries on desk.qry.<site>.ticket.*, .workorder.*, .notice.* and .report.* (queries/); the
operators' desk.ops.reporting.checksum and .switch (`propdesk verify` and `propdesk replay`:
ops/switch.py); the repair of a view found corrupt (ops/repair.py). The only reporting module
that knows FastStream. Replicas (settings.replica) answer the queries as one queue group, each
from views of its own (docs/RELIABILITY.md, More than one of each)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from faststream.nats import NatsRouter
from pydantic import BaseModel

from services.reporting.ops.live_view import LiveView, ViewLot
from services.reporting.ops.registry import PROJECTIONS, View, replica_lock
from services.reporting.ops.repair import RepairingViews
from services.reporting.ops.switch import SwitchingViews
from services.reporting.queries import incidents as incident_queries
from services.reporting.queries import promises as promise_queries
from services.reporting.queries import reports as report_queries
from services.reporting.queries import tickets as queries
from services.reporting.queries import violations as violation_queries
from services.reporting.views.tickets import TicketView
from shared.contracts.commands import GetTicket, ListTickets
from shared.contracts.dispatch_commands import GetWorkOrder
from shared.contracts.escalation_events import ListNotices
from shared.contracts.incident_commands import GetIncident, ListIncidents
from shared.contracts.ops import SwitchView, ViewChecksum, ViewState
from shared.contracts.promise_commands import ListPromises
from shared.contracts.queue_queries import ListWorkOrders
from shared.contracts.replies import ErrorCode
from shared.contracts.report_queries import MonthlyReport, QualityPack, WeeklyReport
from shared.contracts.violation_commands import GetViolation, ListViolations
from shared.eventstore.store import StoreLock
from shared.messaging import alerts, metrics, subjects
from shared.messaging.errors import DeskError
from shared.messaging.inbox import Inbox, SharedDecoding
from shared.messaging.parking_desk import ParkingDesk
from shared.messaging.service import Service
from shared.messaging.stream_desk import StreamDesk
from shared.messaging.tasks import cancel_and_wait

# query name -> (request model, handler, description)
QUERIES: dict[str, tuple[type[BaseModel], Callable[..., dict[str, Any]], str]] = {
    "ticket.get": (
        GetTicket,
        queries.get_ticket,
        "A ticket's current state and its history, or as they stood at `as_of`",
    ),
    "ticket.list": (ListTickets, queries.list_tickets, "Tickets of a site, newest first"),
    "workorder.get": (GetWorkOrder, queries.get_work_order, "A work order and its history"),
    "workorder.list": (
        ListWorkOrders,
        queries.list_work_orders,
        "Work orders of a site by status, technician or department, oldest issued first",
    ),
    "notice.list": (
        ListNotices,
        queries.list_notices,
        "Notifications to roles, oldest first, with who acknowledged them",
    ),
    "violation.get": (GetViolation, violation_queries.get_violation, "A violation case (R14.4)"),
    "violation.list": (
        ListViolations,
        violation_queries.list_violations,
        "A site's violation cases, latest observed first; none past its retention (R14.8)",
    ),
}
# report name -> (request model, handler, description), over the analytics facts (incidents too)
REPORTS: dict[str, tuple[type[BaseModel], Callable[..., dict[str, Any]], str]] = {
    "report.monthly": (MonthlyReport, report_queries.monthly, "A site's monthly summary (R12.4)"),
    "report.weekly": (WeeklyReport, report_queries.weekly, "A site's weekly summary (R12.1)"),
    "incident.list": (
        ListIncidents,
        incident_queries.list_incidents,
        "A site's emergency events (R16.5), newest first: of a month, or by status",
    ),
    "incident.show": (
        GetIncident,
        incident_queries.show_incident,
        "One emergency event with its measures, reports upward and follow-up (R16.5)",
    ),
    "promise.list": (
        ListPromises,
        promise_queries.list_promises,
        "A site's promises (R6.15, R2.6, R11.5): the open ones soonest due first, or a month's",
    ),
}
# the queries' queue group: each request is answered by one of the running replicas
QUERY_GROUP = "reporting"
COMPANY_REPORTS = {
    "report.quality": (QualityPack, report_queries.quality, "The company quality pack (R12.3)"),
}


class ReportingService(RepairingViews, SwitchingViews, Service):
    name = "reporting"
    reads_stream = True  # a corrupt view is rebuilt from DESK by direct gets, like a replay
    replicable = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.views: dict[str, View] = {}
        self.inboxes: dict[str, Inbox] = {}
        self.live: dict[str, LiveView] = {}  # the views as queries, inboxes and switches use them
        self._followers: dict[str, asyncio.Task[None]] = {}  # each projection's inbox task
        self._switching = asyncio.Lock()
        self._stopping = False
        self.parking = ParkingDesk(self)
        self.repairing: dict[str, str] = {}  # projection -> why its view is being rebuilt
        self.repairs: dict[str, dict[str, Any]] = {}  # projection -> its last repair
        self.streams = StreamDesk(self)
        self._store_lock: StoreLock | None = None
        # the views' inboxes read the same messages of DESK
        self._decoding = SharedDecoding(readers=len(PROJECTIONS))

    @property
    def view(self) -> TicketView | None:
        """The ticket view, which the ticket queries read."""
        view = self.views.get("tickets")
        assert view is None or isinstance(view, TicketView)
        return view

    def view_path(self, name: str) -> Path:
        """The file of this replica's view `name`."""
        return PROJECTIONS[name].path(self.settings.data_dir, self.settings.replica)

    def durable(self, name: str) -> str:
        """This replica's durable consumer for the view `name`."""
        return PROJECTIONS[name].consumer(self.settings.replica)

    def open_stores(self) -> None:
        data_dir = self.settings.data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        # one process per replica's views: a second would project into the same files
        lock = replica_lock(data_dir, self.settings.replica)
        self._store_lock = StoreLock.take(str(lock), self.ops_name)
        loop = asyncio.get_running_loop()
        for name, projection in PROJECTIONS.items():
            path = self.view_path(name)
            self.views[name] = self._open_view(name, projection, path)
            live = self.live[name] = LiveView(self.views[name])

            def found_corrupt(exc: BaseException, name: str = name) -> None:
                loop.call_soon_threadsafe(self._corrupted, name, str(exc), "running")

            live.on_corrupt = found_corrupt

    def store_files(self) -> list[Path]:
        return [self.view_path(name) for name in PROJECTIONS]

    def close_stores(self) -> None:
        for view in self.views.values():
            view.close()
        self.views = {}
        self.live = {}
        if self._store_lock is not None:
            self._store_lock.release()
            self._store_lock = None

    async def stop(self) -> None:
        self._stopping = True
        async with self._switching:  # a switch under way ends first
            pass
        await super().stop()

    def durables(self) -> list[str]:
        return [self.durable(name) for name in PROJECTIONS]

    def parked_count(self) -> int:
        return self.parking.count()

    def consumers(self) -> list[Inbox]:
        return list(self.inboxes.values())

    def background(self) -> list[Coroutine[Any, Any, None]]:
        return [
            self._repair(name) if name in self.repairing else self._follow(name, self._inbox(name))
            for name in self.live
        ]

    @property
    def ready(self) -> bool:
        """Started, and every view answers: none is being rebuilt."""
        return super().ready and not self.repairing

    def _inbox(self, name: str) -> Inbox:
        assert self.js is not None
        live = self.live[name]
        durable = self.durable(name)
        self.inboxes[name] = Inbox(
            self.js,
            durable=durable,
            apply=metrics.counting_applied(self.name, durable, live.apply),
            position=live.position,
            offload=self.offload,
            mark=self.streams.mark(durable),
            on_stream_changed=lambda why: self.streams.changed(durable, why),
            decoding=self._decoding,
            linger=PROJECTIONS[name].linger,
            **self.parking.follow(ViewLot(durable, live, self.clock)),
        )
        self.streams.inbox(self.inboxes[name])
        return self.inboxes[name]

    async def _follow(self, name: str, inbox: Inbox) -> None:
        """Project DESK into the view `name` (from its recorded position) until cancelled."""
        self._followers[name] = asyncio.current_task()  # type: ignore[assignment]
        await inbox.run()

    def _follow_anew(self, name: str) -> None:
        task = asyncio.create_task(self._follow(name, self._inbox(name)))
        self._followers[name] = task
        self._tasks.append(task)  # so that Service.stop stops it

    async def _unfollow(self, name: str) -> None:
        task = self._followers.pop(name, None)
        if task is None:
            return
        if await cancel_and_wait([task]):
            self._followers[name] = task
            raise DeskError(ErrorCode.unavailable, f"the {name} inbox did not stop; retry")
        with contextlib.suppress(ValueError):
            self._tasks.remove(task)

    def router(self) -> NatsRouter:
        router = NatsRouter()
        group = QUERY_GROUP
        for table, on_view in ((QUERIES, self._query), (REPORTS, self._report)):
            for name, (model, handler, description) in table.items():
                router.subscriber(
                    subjects.query_pattern(name), queue=group, title=name, description=description
                )(self.handler("query_" + name.replace(".", "_"), model, dict, on_view(handler)))
        for name, (model, handler, description) in COMPANY_REPORTS.items():
            subject = subjects.query(subjects.COMPANY, name)
            title = f"company.{name}"
            router.subscriber(subject, queue=group, title=title, description=description)(
                self.handler(
                    "company_" + name.replace(".", "_"),
                    model,
                    dict,
                    self._report(handler),
                    company=True,
                )
            )
        for verb, model, call in (
            ("checksum", ViewChecksum, self._checksum),
            ("switch", SwitchView, self._switch),
        ):
            subject = subjects.ops(self.ops_name, verb)  # each replica its own views
            title = subject.removeprefix("desk.")
            router.subscriber(subject, title=title, description=(model.__doc__ or "").strip())(
                # company=True: no site is checked; these subjects carry none
                self.handler(title.replace(".", "_"), model, ViewState, call, company=True)
            )
        self.parking.routes(router)
        alerts.declare(router, self.name)
        self.streams.routes(router)
        return router

    def _report(self, handler: Callable[..., dict[str, Any]]) -> Any:
        async def call(site: str, query: BaseModel, headers: dict[str, str]) -> dict[str, Any]:
            now = self.clock.now()
            return await self._on_view(
                "analytics", lambda live: live.run(handler, self.sites, site, query, now)
            )

        return call

    def _query(self, handler: Callable[..., dict[str, Any]]) -> Any:
        async def call(site: str, query: BaseModel, headers: dict[str, str]) -> dict[str, Any]:
            return await self._on_view("tickets", lambda live: live.run(handler, site, query))

        return call
