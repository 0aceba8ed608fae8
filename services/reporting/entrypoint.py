"""Wires reporting to NATS: the inbox that projects DESK into the ticket view, and the queries on
desk.qry.<site>.ticket.*; the operators' desk.ops.reporting.checksum and .switch (`propdesk verify`
and `propdesk replay`); the repair of a view found corrupt, at start or on error (rebuilt from
DESK like a replay, then switched to). The only reporting module that knows FastStream."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from faststream.nats import NatsRouter
from pydantic import BaseModel

from services.reporting.ops import corruption
from services.reporting.ops.registry import (
    PROJECTIONS,
    Projection,
    UnknownProjection,
    View,
    projection_named,
)
from services.reporting.ops.replay import check_view_file, install, rebuild
from services.reporting.ops.switch import LiveView, Switching
from services.reporting.queries import reports as report_queries
from services.reporting.queries import tickets as queries
from services.reporting.views.tickets import TicketView
from shared import alerts, metrics, subjects
from shared.clock import Clock
from shared.contracts.commands import GetTicket, ListTickets
from shared.contracts.dispatch_commands import GetWorkOrder
from shared.contracts.escalation_events import ListNotices
from shared.contracts.ops import SwitchView, ViewChecksum, ViewState
from shared.contracts.replies import ErrorCode
from shared.contracts.report_queries import MonthlyReport, QualityPack, WeeklyReport
from shared.errors import DeskError, invalid
from shared.inbox import Delivery, Inbox
from shared.parking_desk import ParkingDesk
from shared.service import Service
from shared.store import StoreLock, lock_path
from shared.stream_desk import StreamDesk
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
REPAIR_SUFFIX = ".repair"  # where a corrupt view is rebuilt, next to it (`replay` uses .rebuild)
REPAIR_RETRY = 1.0  # seconds between tries of a rebuild that failed (NATS away, disk full …)


class ReportingService(Service):
    name = "reporting"
    reads_stream = True  # a corrupt view is rebuilt from DESK by direct gets, like a replay

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
        loop = asyncio.get_running_loop()
        for name, projection in PROJECTIONS.items():
            path = projection.path(self.settings.data_dir)
            self.views[name] = self._open_view(name, projection, path)
            live = self.live[name] = LiveView(self.views[name])

            def found_corrupt(exc: BaseException, name: str = name) -> None:
                loop.call_soon_threadsafe(self._corrupted, name, str(exc), "running")

            live.on_corrupt = found_corrupt

    def _open_view(self, name: str, projection: Projection, path: Path) -> View:
        """The view at `path`; a corrupt file is set aside for an empty view, which the start
        then rebuilds from DESK (`background`)."""
        reason = corruption.check(path)
        if reason is None:
            try:
                return projection.open(str(path), self.sites)
            except Exception as exc:
                if not corruption.is_corruption(exc):
                    raise
                reason = str(exc)
        aside = corruption.set_aside(path)
        self.log.error(
            "reporting.view_corrupt", projection=name, reason=reason, set_aside=str(aside)
        )
        self.repairing[name] = reason
        metrics.VIEW_REPAIRS.labels(projection=name, found="start").inc()
        return projection.open(str(path), self.sites)

    def store_files(self) -> list[Path]:
        return [p.path(self.settings.data_dir) for p in PROJECTIONS.values()]

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
        durable = PROJECTIONS[name].durable
        self.inboxes[name] = Inbox(
            self.js,
            durable=durable,
            apply=metrics.counting_applied(self.name, durable, live.apply),
            position=live.position,
            offload=self.offload,
            mark=self.streams.mark(durable),
            on_stream_changed=lambda why: self.streams.changed(durable, why),
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

    async def _on_view(self, name: str, call: Callable[[LiveView], T]) -> T:
        """Run `call` in the service's threads on the live view `name`; during a switch, after.
        While the view is rebuilt after corruption, at once `unavailable`."""
        for _ in range(200):
            self._refuse_while_repairing(name)
            live = self.live[name]
            await live.ready.wait()
            try:
                return await self.offload(call, live)
            except Switching:
                await asyncio.sleep(0.05)  # it began a moment after the call was sent
            except Exception as exc:
                if not corruption.is_corruption(exc):
                    raise
                self._refuse_while_repairing(name)  # LiveView has started the repair
                raise
        raise DeskError(ErrorCode.unavailable, f"the {name} view is being switched; retry")

    def _refuse_while_repairing(self, name: str) -> None:
        if name in self.repairing:
            raise DeskError(
                ErrorCode.unavailable,
                f"the {name} view was found corrupt and is being rebuilt from DESK; retry "
                "in a moment",
            )

    # -- a corrupt view ------------------------------------------------------------------------

    def _corrupted(self, name: str, reason: str, found: str) -> None:
        """A call found the view `name` corrupt while running: rebuild it, once."""
        if name in self.repairing or self._stopping:
            return
        self.repairing[name] = reason
        path = PROJECTIONS[name].path(self.settings.data_dir)
        self.log.error("reporting.view_corrupt", projection=name, reason=reason, file=str(path))
        metrics.VIEW_REPAIRS.labels(projection=name, found=found).inc()
        self._tasks.append(asyncio.create_task(self._repair(name)))

    async def _repair(self, name: str) -> None:
        """Rebuild the view `name` from DESK into a fresh file (with the replay's speed), then
        serve it in place of the corrupt one and follow DESK from its position. Queries of the
        view answer `unavailable` meanwhile; a rebuild that fails (NATS away, disk full) is
        tried again."""
        projection = PROJECTIONS[name]
        live_path = projection.path(self.settings.data_dir).resolve()
        target = live_path.with_name(live_path.name + REPAIR_SUFFIX)
        async with self._switching:
            await self._unfollow(name)  # no batch is tried on the corrupt file meanwhile
        started = self.clock.now()
        while True:
            try:
                assert self.nc is not None
                result = await rebuild(self.nc, projection, target, sites=self.sites)
                async with self._switching:
                    if self._stopping:
                        return  # the next start finds the corrupt file again, or the empty one
                    await self._put_in_place(projection, target)
                break
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.log.warning("reporting.view_rebuild_failed", projection=name, error=repr(exc))
                await asyncio.sleep(REPAIR_RETRY)
        reason = self.repairing.pop(name, "")
        self.repairs[name] = {
            "reason": reason,
            "started_at": started.isoformat(),
            "events": result.events,
            "seconds": round(result.seconds, 3),
            "position": result.position,
        }
        self.log.info(
            "reporting.view_rebuilt", projection=name, events=result.events,
            seconds=round(result.seconds, 3), position=result.position,
        )  # fmt: skip

    async def health(self) -> dict[str, Any]:
        """Each view: whether it answers, or is being rebuilt (and why); its last repair."""
        views = {}
        for name in self.live:
            state: dict[str, Any] = {"state": "rebuilding" if name in self.repairing else "ok"}
            if name in self.repairing:
                state["reason"] = self.repairing[name]
            if name in self.repairs:
                state["last_repair"] = self.repairs[name]
            views[name] = state
        return {"views": views}

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
            self._refuse_while_repairing(name)
            try:  # read only: a file that is not a closed view of this projection stays as it is
                await self.offload(check_view_file, projection, rebuilt)
            except ValueError as exc:
                raise invalid(str(exc), "path") from None
            position, checksum = await self._put_in_place(projection, rebuilt, measure=True)
        self.log.info("reporting.switched", projection=name, position=position, checksum=checksum)
        return ViewState(projection=name, position=position, checksum=checksum).model_dump()

    async def _put_in_place(
        self, projection: Projection, rebuilt: Path, *, measure: bool = False
    ) -> tuple[int, str]:
        """Stop the projection's inbox, close its view, move `rebuilt` into its place, reopen it
        and follow DESK from its recorded position. With `measure`, the position and checksum
        of the rebuilt view, read before the inbox applies more. Under `_switching`."""
        name = projection.name
        live_path = projection.path(self.settings.data_dir).resolve()
        live = self.live[name]
        live.ready.clear()  # queries wait from here
        position, checksum = 0, ""
        try:
            await self._unfollow(name)
            try:
                await self.offload(live.close)  # once every running call has ended
                try:
                    await self.offload(install, rebuilt, live_path)
                except (OSError, ValueError) as exc:
                    why = f"could not put {rebuilt} in place ({exc}); the old view is served"
                    raise DeskError(ErrorCode.unavailable, why) from None
                # the rebuilt view follows DESK as it is, sequence for position (contract §25)
                assert self.js is not None
                await self.streams.mark(projection.durable).reset(self.js)
            finally:  # the rebuilt view; the old one if the file could not be moved
                view = await self.offload(projection.open, str(live_path), self.sites)
                live.reopen(view)
                self.views[name] = view
            live.ready.set()
            if measure:
                position, checksum = await self.offload(live.state)  # before the inbox applies
        finally:
            live.ready.set()
            if name not in self._followers:
                self._follow_anew(name)
        return position, checksum


class ViewLot:
    """A projection's parked events, in its live view (shared/parking_desk.py Lot)."""

    def __init__(self, consumer: str, live: LiveView, clock: Clock) -> None:
        self.consumer, self._live, self._clock = consumer, live, clock

    def park(self, delivery: Delivery, error: str, attempts: int) -> bool:
        return self._live.park(self.consumer, delivery, error, attempts, self._clock.now())

    def parked(self) -> list[dict[str, Any]]:
        return self._live.parked()

    def retry(self, delivery: Delivery) -> None:
        self._live.retry_parked(delivery, self._clock.now())


def _projection(name: str) -> Projection:
    try:
        return projection_named(name)
    except UnknownProjection as exc:
        raise invalid(str(exc), "projection") from None
