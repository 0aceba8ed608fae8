"""A service built on a DeskApplication: its commands on desk.cmd.<site>.<service>.<verb>, the
relay that publishes its store to DESK, and the inbox through which it reacts to DESK.

A concrete service names its application, its commands, the events it publishes, how it
translates them, and (optionally) what it consumes. Only this module and the services'
entrypoints know FastStream."""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any, ClassVar

from faststream.nats import NatsRouter

from shared.contracts.commands import Command
from shared.contracts.envelope import Envelope
from shared.contracts.ops import HoldWrites, ReleaseWrites, WritesHeld
from shared.eventstore.desk_app import CommandContext, DeskApplication
from shared.eventstore.holding import WriteHold
from shared.eventstore.parking_lot import AppLot
from shared.eventstore.store import store_env
from shared.messaging import alerts, metrics, subjects
from shared.messaging.batcher import CommandBatcher
from shared.messaging.deferred import Deferred
from shared.messaging.inbox import Inbox
from shared.messaging.parking_desk import ParkingDesk
from shared.messaging.relay import Relay, Translate
from shared.messaging.rpc import correlation_id
from shared.messaging.service import Service
from shared.messaging.stream_desk import StreamDesk


class DeskService(Service):
    app_class: ClassVar[type[DeskApplication]]
    # verb -> (command model, reply model, description): the service's contract at a glance
    commands: ClassVar[dict[str, tuple[type[Command], type, str]]]
    publishes: ClassVar[tuple[type[Envelope], ...]]
    # durable consumer name and subject filter (one subject, or several), when the service
    # reacts to DESK
    consumes: ClassVar[tuple[str, str | tuple[str, ...]] | None] = None
    # seconds its consumer, when caught up, waits for more after a batch's first message
    # (shared/messaging/inbox.py): none for a service the desk waits on to see its own change
    linger: ClassVar[float] = 0.0
    relay_class: ClassVar[type[Relay]] = Relay

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app: Any = None
        self.relay: Relay | None = None
        self.inbox: Inbox | None = None
        self._lock = asyncio.Lock()
        self.parking = ParkingDesk(self, after_retry=self.applied)
        self.hold = WriteHold(
            self.name, self._lock, lambda: self.app.writing, lambda: self.relay, self.offload
        )
        self.streams = StreamDesk(self)
        # group commit: the commands that arrive together, one transaction
        self.batcher: CommandBatcher[tuple[CommandContext, Command]] = CommandBatcher(
            self._commit_batch, limit=self.settings.command_batch
        )
        # each command subject's answers under way, so that the batcher has commands to group
        # (shared/messaging/deferred.py)
        self.answering = {verb: Deferred(self.settings.command_batch) for verb in self.commands}

    @abstractmethod
    def translator(self) -> Translate:
        """Domain event -> published envelope (None for events that stay inside)."""

    def open_stores(self) -> None:
        self.app = self.app_class(store_env(self.settings, self.name), self.clock, self.sites)

    def store_files(self) -> list[Path]:
        if self.settings.persistence != "sqlite":
            return []  # PostgreSQL's are its own to measure
        return [self.settings.data_dir / f"{self.name}.sqlite3"]

    def close_stores(self) -> None:
        if self.app is not None:
            self.app.close()
            self.app = None

    def background(self) -> list[Coroutine[Any, Any, None]]:
        assert self.app is not None and self.js is not None
        self.relay = self.relay_class(
            self.app,
            self.js,
            self.translator(),
            name="relay:DESK",
            write_lock=self.app.writing,
            offload=self.offload,
            mark=self.streams.mark(f"{self.name}-relay"),
            on_stream_changed=lambda why: self.streams.changed(f"{self.name}-relay", why),
        )
        self.streams.relay(self.relay)
        tasks = [self.relay.run()]
        if self.consumes is not None:
            durable, filter_subject = self.consumes
            self.inbox = Inbox(
                self.js,
                durable=durable,
                apply=metrics.counting_applied(self.name, durable, self.app.apply),
                position=self.app.position,
                filter_subject=filter_subject,
                linger=self.linger,
                on_applied=self.applied,
                offload=self.offload,
                mark=self.streams.mark(durable),
                on_stream_changed=lambda why: self.streams.changed(durable, why),
                **self.parking.follow(AppLot(self.app, durable)),
            )
            self.streams.inbox(self.inbox)
            tasks.append(self.inbox.run())
        return tasks

    def relays(self) -> list[Relay]:
        return [self.relay] if self.relay is not None else []

    def consumers(self) -> list[Inbox]:
        return [self.inbox] if self.inbox is not None else []

    def durables(self) -> list[str]:
        return [self.consumes[0]] if self.consumes is not None else []

    def parked_count(self) -> int:
        return self.parking.count()

    async def stop(self) -> None:
        self.hold.release()  # a backup's hold must not keep the stop waiting
        await self.batcher.close()
        for answers in self.answering.values():  # answered while the connection is open
            await answers.drain(timeout=5.0)
        await super().stop()
        for answers in self.answering.values():  # any taken meanwhile was told to retry
            await answers.drain(timeout=1.0)

    async def _hold(self, _: str, request: Any, __: dict[str, str]) -> dict[str, Any]:
        """desk.ops.<service>.hold and .release (`propdesk backup`,
        shared/eventstore/holding.py)."""
        released = False
        if isinstance(request, HoldWrites):
            await self.hold.hold(request.seconds)
        else:
            released = self.hold.release()
        assert self.app is not None
        records = await self.offload(self.app.recorder.max_notification_id)
        relay = await self.offload(self.relay.position) if self.relay is not None else 0
        return WritesHeld(
            service=self.name,
            held=self.hold.held,
            records=records or 0,
            relay_position=relay,
            consumer_position=await self.offload(self.app.position),
            released=released,
        ).model_dump()

    def applied(self) -> None:
        """After a command or a batch from DESK was committed: publish what it recorded."""
        if self.relay is not None:
            self.relay.wake()

    async def execute(self, site: str, cmd: Command, headers: dict[str, str]) -> dict[str, Any]:
        """Answered after the commit that holds the command, with the commands that came
        with it (shared/messaging/batcher.py)."""
        ctx = CommandContext(site, correlation_id(headers, cmd.command_id))
        reply: dict[str, Any] = await self.batcher.submit((ctx, cmd))
        return reply

    async def _commit_batch(self, commands: Sequence[tuple[CommandContext, Command]]) -> list[Any]:
        assert self.app is not None
        async with self._lock:
            outcomes = await self.offload(self.app.execute_batch, commands)
        self.applied()
        metrics.commands_committed(self.name, len(commands))
        return outcomes

    def router(self) -> NatsRouter:
        router = NatsRouter()
        for verb, (model, reply, description) in self.commands.items():
            subject, name = subjects.command_pattern(self.name, verb), f"{self.name}_{verb}"
            router.subscriber(
                subject,
                title=f"{self.name}.{verb}",
                description=description,
                no_reply=True,  # answered by its task, after the commit
            )(self.handler(name, model, reply, self.execute, deferred=self.answering[verb]))
        for model in self.publishes:
            event_type = model.type_name()
            router.publisher(
                subjects.event_pattern(event_type),
                title=f"event.{event_type}",
                description=(model.data_model().__doc__ or "").strip(),
                schema=model,
            )
        if self.consumes is not None:
            self.parking.routes(router)
        for verb, model in (("hold", HoldWrites), ("release", ReleaseWrites)):
            subject = subjects.ops(self.name, verb)
            title = subject.removeprefix("desk.")
            router.subscriber(subject, title=title, description=(model.__doc__ or "").strip())(
                # company=True: no site; only ops may send desk.ops.*
                self.handler(title.replace(".", "_"), model, WritesHeld, self._hold, company=True)
            )
        alerts.declare(router, self.name)
        self.streams.routes(router)
        return router
