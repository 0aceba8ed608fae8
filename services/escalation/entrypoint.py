"""Escalation on NATS: the inbox that follows DESK, the ticker that records what falls due, the
relay that publishes decisions to DESK and notifications to desk.ntf.<site>.<role>, the desk's
commands on desk.cmd.<site>.escalation.<verb>, (simulated clock only) desk.sim.clock.set, and
the notification channel that e-mails and posts each notification to people (notify/,
docs/NOTIFICATIONS.md)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any

from faststream.nats import NatsRouter

from services.escalation.adapters.notify_senders import SmtpSender, WebhookSender
from services.escalation.adapters.translate import translate
from services.escalation.application import EscalationApp
from services.escalation.application.held import TICKER, HeldDecisions
from services.escalation.application.notify.channel import NotificationChannel
from services.escalation.application.notify.message import Summary
from services.escalation.application.notify.tracking import Tracking
from services.escalation.application.reactions import REACTIONS
from services.escalation.domain import Notice, TicketClocks, board_id_for
from shared.contracts import escalation_commands
from shared.contracts.escalation_events import (
    ESCALATION_EVENTS,
    EscalationNotificationAcknowledgedEvent,
    Notification,
    notification_of,
)
from shared.contracts.events import Envelope
from shared.eventstore.store import store_env
from shared.kernel.clock import SimulatedClock
from shared.messaging import subjects
from shared.messaging.catchup import applied_desk, caught_up
from shared.messaging.desk_service import DeskService
from shared.messaging.errors import DeskError, invalid
from shared.messaging.relay import Relay, Translate
from shared.messaging.rpc import answer, parse_body

COMMANDS: dict[str, tuple[type[escalation_commands.Command], type, str]] = {
    "pause": (
        escalation_commands.PauseClock,
        escalation_commands.ClocksReply,
        "Pause a ticket's clocks: consent, access, parts",
    ),
    "resume": (
        escalation_commands.ResumeClock,
        escalation_commands.ClocksReply,
        "Resume a ticket's paused clocks",
    ),
    "extend": (
        escalation_commands.ExtendClock,
        escalation_commands.ClocksReply,
        "Extend an inspection finding's deadline: the project manager only (R13.16, C12)",
    ),
    "ack": (
        escalation_commands.AcknowledgeNotification,
        escalation_commands.AcknowledgedReply,
        "Acknowledge a notification",
    ),
}
TICK = 1.0  # seconds between checks on the real clock (what is due is read from an index)
SCHEDULE_FILE = "escalation-schedule.sqlite3"  # in the data directory
NOTIFY_FILE = "escalation-notify.sqlite3"  # what the notification channel sent
# What the inbox reads: the events escalation reacts to (REACTIONS), one subject each. The rest
# of DESK leaves the clocks as they are (its own escalation.* events were two thirds of what
# it fetched, decoded, applied and acknowledged a contact), so the server sends none of it.
FOLLOWS = tuple(sorted(subjects.event_pattern(event.type_name()) for event in REACTIONS))


class NotifyingRelay(Relay):
    """Publishes each decision to DESK, then the notification it raises to NOTICES, both before
    the relay records its position: a crash in between republishes both, deduplicated by id.
    The notification channel is given each notification and each acknowledgement at the same
    point, so it too sees every one, once (it keeps them by id)."""

    channel: NotificationChannel | None = None

    async def publish_async(self, envelope: Envelope) -> list[asyncio.Future[Any]]:
        acks = await super().publish_async(envelope)
        note = notification_of(envelope)
        if note is not None:
            ack = await self._js.publish_async(
                subjects.notice(note.site, note.role.value),
                note.model_dump_json().encode(),
                stream=subjects.NOTICES,
                headers={"Nats-Msg-Id": str(note.notification_id)},
            )
            acks.append(ack)
        return acks

    async def published(self, envelope: Envelope) -> None:
        if self.channel is None:
            return
        note = notification_of(envelope)
        if note is not None:
            await self._offload(self.channel.raised, note)
        elif isinstance(envelope, EscalationNotificationAcknowledgedEvent):
            data: Any = envelope.data
            await self._offload(self.channel.acknowledged, data.notification_id)


class EscalationService(DeskService):
    name = "escalation"
    counts_deadlines = True
    app_class = EscalationApp
    commands = COMMANDS
    publishes = ESCALATION_EVENTS
    consumes = ("escalation-desk", FOLLOWS)
    keeps = (TICKER,)  # the decisions the ticker held, with the parked events (held.py)
    # what came within 50 ms in one transaction; a decision waits for it all the same
    # (`applied_desk` cuts the wait short): docs/PERFORMANCE.md, session 8
    linger = 0.05
    relay_class = NotifyingRelay

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._due = asyncio.Event()
        self._tell_held: Callable[[list[int]], Awaitable[None]] | None = None

    def translator(self) -> Translate:
        return translate

    def open_stores(self) -> None:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        schedule = str(self.settings.data_dir / SCHEDULE_FILE)  # opened under the store's lock
        self.app = EscalationApp(
            store_env(self.settings, self.name), self.clock, self.sites, schedule=schedule
        )
        self.channel = NotificationChannel(
            Tracking(self.settings.data_dir / NOTIFY_FILE),
            self.sites.get,
            self.clock,
            {
                "email": SmtpSender(self.settings, self.clock),
                "webhook": WebhookSender(self.settings),
            },
            self._settled,
            self._summary,
        )

    channel: NotificationChannel | None = None

    def _settled(self, notification_id: Any) -> str | None:
        """Why the notification is sent no more (acknowledged, or what it is about ended), None
        while it is owed: one read of its `Notice`."""
        notice = self.app.get(notification_id, Notice) if self.app is not None else None
        return notice.settled() if notice is not None else None

    def _summary(self, notice: Notification) -> Summary | None:
        """A ticket's notification: the ticket's unit and what was said, as its board keeps
        them (one read of the board)."""
        if self.app is None or notice.about != "ticket":
            return None
        return Summary.of(self.app.get(board_id_for(notice.ticket_id), TicketClocks))

    def store_files(self) -> list[Path]:
        files = (SCHEDULE_FILE, NOTIFY_FILE)
        return [*super().store_files(), *(self.settings.data_dir / f for f in files)]

    def close_stores(self) -> None:
        app, channel = self.app, self.channel
        super().close_stores()
        if app is not None:
            app.schedule.close()
        if channel is not None:
            channel.tracking.close()
            self.channel = None

    def background(self) -> list[Coroutine[Any, Any, None]]:
        tasks = super().background()
        # the decisions the ticker held, beside the parked events (held.py)
        self._tell_held = self.parking.keep(HeldDecisions(self.app))
        if isinstance(self.relay, NotifyingRelay):
            self.relay.channel = self.channel
        return [*tasks, self._ticker(), self._notifier()]

    async def stop(self) -> None:
        if self.channel is not None:
            self.channel.stopping.set()  # at most the delivery under way is waited for
        await super().stop()

    async def _notifier(self) -> None:
        """Send what is due on the channel, every TICK (the clock is the service's: a drill's
        simulated clock moves the re-sends too)."""
        assert self.channel is not None
        while True:
            try:
                await self.offload(self.channel.send_due)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the channel's own store: keep trying
                self.log.warning("escalation.notify_failed", error=repr(exc))
            await asyncio.sleep(TICK)

    def applied(self) -> None:
        super().applied()
        self._due.set()  # a clock may have started, stopped or moved

    async def tick(self, moving_to: datetime | None = None) -> list[dict[str, Any]]:
        """Record what is due; with `moving_to`, first move the simulated clock there, under the
        same lock, so that the decisions of the new time are this call's to report."""
        async with self._lock:  # one writer: commands, the ticker and the clock setter
            at = moving_to or self.clock.now()
            due = await self.offload(self.app.due_by, at)
            if due:
                # a deadline is decided only once what DESK recorded before it is applied (a
                # ticket resolved while this service was down, or a moment ago)
                assert self.js is not None
                await applied_desk(self.consumers(), self.js)
            if moving_to is not None:
                assert isinstance(self.clock, SimulatedClock)
                self.clock.set(moving_to)
            elif not due:
                # nothing to decide (the ticker asks after every batch applied): what falls
                # due from now on is found by the next tick, within TICK
                return []
            try:
                decided = await self.offload(self.app.tick)
            finally:
                # only a tick adds to it, and ticks take turns under the lock: no hop to look
                if self.app.failures.held:
                    held = await self.offload(self.app.take_held)
                    if self._tell_held is not None:
                        await self._tell_held(held)
        if decided and self.relay is not None:
            self.relay.wake()
        return decided

    async def _ticker(self) -> None:
        while True:
            self._due.clear()
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except (
                DeskError
            ) as exc:  # DESK not applied yet (shared/messaging/catchup.py): next tick
                self.log.warning("escalation.tick_waiting", error=exc.message)
            except Exception as exc:  # keep watching the clocks after a transient store fault
                self.log.warning("escalation.tick_failed", error=repr(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._due.wait(), timeout=TICK)

    def router(self) -> NatsRouter:
        router = super().router()
        router.publisher(
            subjects.notice("*", "*"),
            title="notification",
            description=(Notification.__doc__ or "").strip(),
            schema=Notification,
        )
        if isinstance(self.clock, SimulatedClock):
            router.subscriber(
                subjects.SIM_CLOCK_SET,
                title="sim.clock.set",
                description=(escalation_commands.SetClock.__doc__ or "").strip(),
            )(self._set_clock_handler())
        return router

    def _set_clock_handler(self) -> Any:
        clock = self.clock
        assert isinstance(clock, SimulatedClock)

        async def set_clock(body: Any) -> Any:
            async def run() -> dict[str, Any]:
                request = parse_body(escalation_commands.SetClock, body)
                # what happened before the move is read before anything falls due at the new time
                assert self.js is not None
                await caught_up(self.process, self.js)
                try:
                    decided = await self.tick(moving_to=request.now)
                except ValueError as exc:
                    raise invalid(str(exc), "now") from None
                reply = escalation_commands.ClockSetReply(now=clock.now(), decisions=decided)
                return reply.model_dump(mode="json")

            reply = await answer(run, subjects.SIM_CLOCK_SET)
            self.log.info("request", subject=subjects.SIM_CLOCK_SET, ok=reply.get("ok"))
            return reply

        set_clock.__annotations__ = {
            "body": escalation_commands.SetClock,
            "return": escalation_commands.ClockSetReply,
        }
        return set_clock
