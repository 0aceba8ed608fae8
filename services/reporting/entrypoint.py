"""Wires reporting to NATS: the inbox that projects DESK into the ticket view, and the queries on
desk.qry.<site>.ticket.*; the operators' desk.ops.reporting.checksum and .switch (`propdesk verify`
and `propdesk replay`). The only reporting module that knows FastStream."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from faststream.nats import NatsRouter
from pydantic import BaseModel

from services.reporting import queries, report_queries
from services.reporting.live import LiveView, Switching
from services.reporting.projections import PROJECTIONS, Projection, View
from services.reporting.replay import check_view_file, install
from services.reporting.view import TicketView
from shared import subjects
from shared.contracts.commands import GetTicket, ListTickets
from shared.contracts.dispatch_commands import GetWorkOrder
from shared.contracts.escalation_events import ListNotices
from shared.contracts.ops import SwitchView, ViewChecksum, ViewState
from shared.contracts.replies import ErrorCode
from shared.contracts.report_queries import MonthlyReport, QualityPack, WeeklyReport
from shared.errors import DeskError, invalid
from shared.inbox import Inbox
from shared.service import Service
from shared.store import StoreLock, lock_path
from shared.tasks import cancel_and_wait

T = TypeVar("T")

# query name -> (request model, handler, description)
QUERIES: dict[str, tuple[type[BaseModel], Callable[..., dict[str, Any]], str]] = {
    "ticket.get": (
        GetTicket,
        queries.get_ticket,
        "A ticket's current state and its history, or as they stood at `as_of`",
    ),
    "ticket.list": (ListTickets, queries.list_tickets, "Tickets of a site, newest first"),
    "workorder.get": (GetWorkOrder, queries.get_work_order, "A work order and its history"),
    "notice.list": (
        ListNotices,
        queries.list_notices,
        "Notifications to roles, oldest first, with who acknowledged them",
    ),
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
        self.live: dict[str, LiveView] = {}  # the views as queries, inboxes and switches use them
        self._followers: dict[str, asyncio.Task[None]] = {}  # each projection's inbox task
        self._switching = asyncio.Lock()
        self._stopping = False
        self._store_lock: StoreLock | None = None

    @property
    def view(self) -> TicketView | None:
        """The ticket view, which the ticket queries read."""
        view = self.views.get("tickets")
        assert view is None or isinstance(view, TicketView)
        return view

    def open_stores(self) -> None:
        data_dir = self.settings.data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        # one reporting per data directory: a second would project into the same files
        self._store_lock = StoreLock.take(str(lock_path(data_dir, self.name)), self.name)
        for name, projection in PROJECTIONS.items():
            path = str(projection.path(self.settings.data_dir))
            self.views[name] = projection.open(path, self.sites)
            self.live[name] = LiveView(self.views[name])

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
        return [p.durable for p in PROJECTIONS.values()]

    def consumers(self) -> list[Inbox]:
        return list(self.inboxes.values())

    def background(self) -> list[Coroutine[Any, Any, None]]:
        return [self._follow(name, self._inbox(name)) for name in self.live]

    def _inbox(self, name: str) -> Inbox:
        assert self.js is not None
        live = self.live[name]
        self.inboxes[name] = Inbox(
            self.js,
            durable=PROJECTIONS[name].durable,
            apply=live.apply,
            position=live.position,
            offload=self.offload,
        )
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
        for subject, model, call in (
            (subjects.OPS_REPORTING_CHECKSUM, ViewChecksum, self._checksum),
            (subjects.OPS_REPORTING_SWITCH, SwitchView, self._switch),
        ):
            title = subject.removeprefix("desk.")
            router.subscriber(subject, title=title, description=(model.__doc__ or "").strip())(
                # company=True: no site is checked; these subjects carry none
                self.handler(title.replace(".", "_"), model, ViewState, call, company=True)
            )
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

    async def _on_view(self, name: str, call: Callable[[LiveView], T]) -> T:
        """Run `call` in the service's threads on the live view `name`; during a switch, after."""
        for _ in range(200):
            live = self.live[name]
            await live.ready.wait()
            try:
                return await self.offload(call, live)
            except Switching:
                await asyncio.sleep(0.05)  # it began a moment after the call was sent
        raise DeskError(ErrorCode.unavailable, f"the {name} view is being switched; retry")

    # -- desk.ops.reporting.* ------------------------------------------------------------------

    async def _checksum(self, _: str, request: ViewChecksum, __: dict[str, str]) -> dict[str, Any]:
        name = _projection(request.projection).name
        position, checksum = await self._on_view(name, LiveView.state)
        return ViewState(projection=name, position=position, checksum=checksum).model_dump()

    async def _switch(self, _: str, request: SwitchView, __: dict[str, str]) -> dict[str, Any]:
        """Serve the rebuilt file in place of the projection's view: stop its inbox, close the view,
        move the file into place, reopen it and follow DESK from its recorded position, so that
        every event published during the rebuild is applied afterwards."""
        projection = _projection(request.projection)
        name = projection.name
        live_path = projection.path(self.settings.data_dir).resolve()
        rebuilt = Path(request.path)
        if (
            not rebuilt.is_absolute()
            or rebuilt.is_symlink()  # the link would become the live view
            or rebuilt.resolve().parent != live_path.parent
        ):
            where = f"{live_path.parent}, next to {live_path.name}"
            raise invalid(f"the rebuilt file must be an absolute path in {where}", "path")
        if rebuilt.resolve() == live_path:
            raise invalid(f"{rebuilt} is the live {name} view, not a rebuilt one", "path")
        async with self._switching:
            if self._stopping:
                raise DeskError(ErrorCode.unavailable, "reporting is stopping")
            try:  # read only: a file that is not a closed view of this projection stays as it is
                await self.offload(check_view_file, projection, rebuilt)
            except ValueError as exc:
                raise invalid(str(exc), "path") from None
            live = self.live[name]
            live.ready.clear()  # queries wait from here
            try:
                await self._unfollow(name)
                try:
                    await self.offload(live.close)  # once every running call has ended
                    try:
                        await self.offload(install, rebuilt, live_path)
                    except (OSError, ValueError) as exc:
                        why = f"could not put {rebuilt} in place ({exc}); the old view is served"
                        raise DeskError(ErrorCode.unavailable, why) from None
                finally:  # the rebuilt view; the old one if the file could not be moved
                    view = await self.offload(projection.open, str(live_path), self.sites)
                    live.reopen(view)
                    self.views[name] = view
                live.ready.set()
                position, checksum = await self.offload(live.state)  # before the inbox applies more
            finally:
                live.ready.set()
                if name not in self._followers:
                    self._follow_anew(name)
        self.log.info("reporting.switched", projection=name, position=position, checksum=checksum)
        return ViewState(projection=name, position=position, checksum=checksum).model_dump()


def _projection(name: str) -> Projection:
    projection = PROJECTIONS.get(name)
    if projection is None:
        known = ", ".join(PROJECTIONS)
        raise invalid(f"unknown projection {name!r}: one of {known}", "projection")
    return projection
