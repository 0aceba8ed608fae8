"""What every PropDesk service process has in common: a NATS connection, a FastStream broker for
request/reply, background tasks (relay, inbox), and an orderly stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, ClassVar

from faststream.nats import NatsBroker, NatsRouter
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext

from shared.contracts.replies import ErrorCode
from shared.kernel.clock import Clock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory, WatchedDirectory
from shared.logging import get_logger
from shared.messaging import metrics, standby, subjects
from shared.messaging.bus import (
    STALE_AFTER,
    BusAccess,
    MissingCredential,
    access_for,
    connect,
    ensure_stream,
)
from shared.messaging.deferred import Deferred, respond
from shared.messaging.errors import DeskError, StartRefused
from shared.messaging.identity import caller_account, site_account
from shared.messaging.inbox import Inbox
from shared.messaging.instance import Instance
from shared.messaging.relay import Relay
from shared.messaging.rpc import answer, parse_body, raw_body, request_site
from shared.messaging.subjects import COMPANY
from shared.messaging.tasks import Offload, cancel_and_wait

# (site, validated request, message headers) -> reply body
Call = Callable[[str, Any, dict[str, str]], Awaitable[dict[str, Any]]]


class Service(ABC):
    name: str
    # reads DESK with direct gets (`$JS.API.DIRECT.GET.DESK`, granted in propdesk/trust.py)
    reads_stream: ClassVar[bool] = False
    # may run as several replicas (reporting), each named by settings.replica; the others are
    # one writer each (docs/RELIABILITY.md, More than one of each)
    replicable: ClassVar[bool] = False

    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        sites: SiteDirectory | WatchedDirectory | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.sites = sites or WatchedDirectory(settings.sites_path)
        self.log = get_logger(self.name)
        self.nc: Client | None = None
        self.js: JetStreamContext | None = None
        self.broker: NatsBroker | None = None
        self._tasks: list[asyncio.Task[Any]] = []
        self._claim: Subscription | None = (
            None  # its name on the bus (shared/messaging/instance.py)
        )
        # every blocking store call of the service runs here, so the stop can wait for it
        self.offload = Offload(self.name)
        self._started = False
        # the services of this process (runtime.System sets it), which a simulated clock
        # waits for before it moves (shared/messaging/catchup.py)
        self.process: list[Service] = [self]

    @property
    def ready(self) -> bool:
        """Started, and connected to NATS (also the request broker)."""
        broker = self.broker.connection if self.broker is not None else None
        return (
            self._started
            and self.nc is not None
            and self.nc.is_connected
            and broker is not None
            and broker.is_connected
        )

    @property
    def ops_name(self) -> str:
        """The service on its ops subjects and its claim: `reporting`, or `reporting.<replica>`
        for a named replica, so that each replica is asked and claimed on its own."""
        replica = self.settings.replica if self.replicable else None
        return f"{self.name}.{replica}" if replica else self.name

    def store_files(self) -> list[Path]:
        """The files of the service's own stores (their sizes are reported in health)."""
        return []

    async def health(self) -> dict[str, Any]:
        """What the service adds to its health (shared/messaging/health.py reads the rest); asked
        also
        while the service is not ready, so it touches no store."""
        return {}

    @abstractmethod
    def router(self) -> NatsRouter:
        """The service's subjects. Built without any I/O, so AsyncAPI can be generated from it."""

    @abstractmethod
    def open_stores(self) -> None:
        """Open the service's own stores (before any message is handled)."""

    @abstractmethod
    def close_stores(self) -> None:
        """Close the stores opened by open_stores."""

    def background(self) -> list[Coroutine[Any, Any, None]]:
        """Long-running tasks (relay, inbox) started once the service is connected."""
        return []

    def durables(self) -> list[str]:
        """The durable consumers on DESK this service keeps (its credential allows only these)."""
        return []

    def parked_count(self) -> int:
        """Events the service's consumers parked and nobody has retried yet
        (shared/messaging/parking.py)."""
        return 0

    def relays(self) -> list[Relay]:
        """The relays running now, which publish what the service records."""
        return []

    def consumers(self) -> list[Inbox]:
        """The inboxes running now, which apply DESK to the service's stores."""
        return []

    def access(self, nats_url: str) -> BusAccess:
        """The service's own identity on the bus (docs/contract.md §22). Without its credential
        it cannot start until an operator issues one: not worth a restart loop."""
        try:
            return access_for(self.name, nats_url, self.settings)
        except MissingCredential as exc:
            raise StartRefused(str(exc)) from None

    async def start(self, nats_url: str) -> None:
        await standby.take_stores(self)  # a standby waits here while another holds them
        access = self.access(nats_url)
        self.nc = await connect(access, f"propdesk-{self.name}")
        # one of each (replica) on the bus, before it answers a command or touches a consumer
        me = Instance.me(self.ops_name, self.settings.data_dir, self.durables())
        self._claim = await standby.claim_name(self, self.nc, me)
        self.js = self.nc.jetstream()
        await ensure_stream(self.js, self.settings.stream_replicas)
        self.broker = NatsBroker(
            access.servers,
            security=access.security(),
            inbox_prefix=access.options()["inbox_prefix"],
            max_reconnect_attempts=-1,
            reconnect_time_wait=0.5,
            **STALE_AFTER,
            name=f"propdesk-{self.name}-rpc",
            apply_types=False,
            logger=self.log,
            log_level=logging.DEBUG,
            graceful_timeout=5.0,
            decoder=raw_body,  # every body reaches parse_body as bytes (docs/contract.md §2)
        )
        self.broker.include_router(self.router())
        await self.broker.start()
        # A round trip to the server, so every subscription is in place before we say started:
        # otherwise a request right after `ready` can find no responders on a loaded machine.
        await self.broker.connection.flush()
        self._tasks = [asyncio.create_task(coro) for coro in self.background()]
        self._started = True
        self.log.info("service.started", service=self.name)
        if self.counts_deadlines:
            self.warn_unknown_calendar_years()

    counts_deadlines: bool = False  # computes deadlines from the sites' calendars

    def warn_unknown_calendar_years(self) -> None:
        """Say at start which sites count office hours in a year (this or the next) whose
        holidays and adjusted working days are not known (shared/kernel/worktime.py): their
        deadlines in that year are estimates, and each says so."""
        today = self.clock.now().date()
        for site, years in self.sites.guessed_years(today).items():
            self.log.warning(
                "worktime.unknown_year",
                site=site,
                years=list(years),
                hint="add the State Council's notice to the site's sla.calendar (days_off, "
                "working_days, years) or upgrade the holidays package",
            )

    async def stop(self) -> None:
        self._started = False
        stuck = await cancel_and_wait(self._tasks)
        if stuck:
            self.log.error("service.tasks_did_not_stop", service=self.name, count=len(stuck))
        self._tasks = []
        if self.broker is not None:
            try:
                await self.broker.stop()
            except Exception as exc:  # e.g. reconnecting after an outage: nothing to drain
                self.log.warning("service.broker_stop_failed", error=repr(exc))
            self.broker = None
        if self.nc is not None:
            with contextlib.suppress(Exception):
                await self.nc.drain()  # and the claim on the name goes with the connection
            self.nc = None
            self._claim = None
        await self.offload.drain()  # no store call may still run when the stores close
        self.close_stores()
        self.log.info("service.stopped", service=self.name)

    async def _answered(
        self, run: Callable[[], Awaitable[dict[str, Any]]], subject: str, received: float
    ) -> dict[str, Any]:
        reply = await answer(run, subject)
        error = reply.get("error") or {}
        self.log.info("request", subject=subject, ok=reply.get("ok"), error=error.get("code"))
        outcome = "ok" if reply.get("ok") else str(error.get("code", "error"))
        metrics.request_answered(self.name, subject, outcome, time.monotonic() - received)
        return reply

    async def _answer_later(
        self,
        message: Msg | None,
        run: Callable[[], Awaitable[dict[str, Any]]],
        subject: str,
        received: float,
    ) -> None:
        await respond(message, await self._answered(run, subject, received))

    def handler(
        self,
        name: str,
        request: type,
        reply: type,
        call: Call,
        *,
        company: bool = False,
        deferred: Deferred | None = None,
    ) -> Any:
        """A request/reply handler: site from the subject, body validated against `request`,
        every outcome (including malformed JSON) answered in the contract's shape. A `company`
        handler answers on desk.qry.company.… for every site, so no site is checked. With
        `deferred` the handler returns at once and the answer is given by a task of that set
        (shared/messaging/deferred.py: its subscriber is declared `no_reply`)."""

        async def handle(body: Any) -> Any:
            received = time.monotonic()
            message = self.broker.context.get_local("message") if self.broker else None
            subject = message.raw_message.subject if message else ""
            headers = message.headers if message else {}

            async def run() -> dict[str, Any]:
                if company:
                    _from_inside(headers, subject)
                    return await call(COMPANY, parse_body(request, body), headers)
                site = request_site(subject)
                _from_site(headers, subject, site)
                if self.sites.get(site) is None:
                    raise DeskError(ErrorCode.forbidden, f"site {site!r} is not served here")
                return await call(site, parse_body(request, body), headers)

            if deferred is None:
                return await self._answered(run, subject, received)
            raw = message.raw_message if message else None
            await deferred.start(self._answer_later(raw, run, subject, received))
            return None

        # FastStream reads these annotations to document the payload in AsyncAPI; validation is
        # parse_body's, so that every rejection gets the contract's error reply.
        handle.__annotations__ = {"body": request, "return": reply}
        handle.__name__ = handle.__qualname__ = name
        return handle


def _from_site(headers: dict[str, str], subject: str, site: str) -> None:
    """Defence in depth behind the server's permissions: a site's command comes from that
    site's desk account, which nats-server names in Nats-Request-Info; a query may also come
    from inside the services' own account (whose users' permissions the server enforces)."""
    account = caller_account(headers)
    if account is None:
        if subjects.is_command(subject):
            raise DeskError(
                ErrorCode.forbidden, f"commands for site {site} come only from its desk identity"
            )
        return
    if account != site_account(site):
        raise DeskError(
            ErrorCode.forbidden,
            f"the identity of {account or 'another account'} may not act for site {site}",
        )


def _from_inside(headers: dict[str, str], subject: str) -> None:
    """The company's reports are for ops, analytics and quality, never a site's desk."""
    if caller_account(headers) is not None:
        raise DeskError(ErrorCode.forbidden, f"{subject} is not for a site's desk")
