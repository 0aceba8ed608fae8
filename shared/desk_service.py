"""A service built on a DeskApplication: its commands on desk.cmd.<site>.<service>.<verb>, the
relay that publishes its store to DESK, and the inbox through which it reacts to DESK.

A concrete service names its application, its commands, the events it publishes, how it
translates them, and (optionally) what it consumes. Only this module and the services'
entrypoints know FastStream."""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from collections.abc import Coroutine
from typing import Any, ClassVar

from faststream.nats import NatsRouter

from shared import subjects
from shared.contracts.commands import Command
from shared.contracts.envelope import Envelope
from shared.desk_app import CommandContext, DeskApplication
from shared.inbox import Inbox
from shared.relay import Relay, Translate
from shared.rpc import correlation_id
from shared.service import Service
from shared.store import store_env


class DeskService(Service):
    app_class: ClassVar[type[DeskApplication]]
    # verb -> (command model, reply model, description): the service's contract at a glance
    commands: ClassVar[dict[str, tuple[type[Command], type, str]]]
    publishes: ClassVar[tuple[type[Envelope], ...]]
    # durable consumer name and subject filter, when the service reacts to DESK
    consumes: ClassVar[tuple[str, str] | None] = None
    relay_class: ClassVar[type[Relay]] = Relay

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app: Any = None
        self.relay: Relay | None = None
        self.inbox: Inbox | None = None
        self._lock = asyncio.Lock()

    @abstractmethod
    def translator(self) -> Translate:
        """Domain event -> published envelope (None for events that stay inside)."""

    def open_stores(self) -> None:
        self.app = self.app_class(store_env(self.settings, self.name), self.clock, self.sites)

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
        )
        tasks = [self.relay.run()]
        if self.consumes is not None:
            durable, filter_subject = self.consumes
            self.inbox = Inbox(
                self.js,
                durable=durable,
                apply=self.app.apply,
                position=self.app.position,
                filter_subject=filter_subject,
                on_applied=self.applied,
                offload=self.offload,
            )
            tasks.append(self.inbox.run())
        return tasks

    def relays(self) -> list[Relay]:
        return [self.relay] if self.relay is not None else []

    def consumers(self) -> list[Inbox]:
        return [self.inbox] if self.inbox is not None else []

    def durables(self) -> list[str]:
        return [self.consumes[0]] if self.consumes is not None else []

    def applied(self) -> None:
        """After a command or a batch from DESK was committed: publish what it recorded."""
        if self.relay is not None:
            self.relay.wake()

    async def execute(self, site: str, cmd: Command, headers: dict[str, str]) -> dict[str, Any]:
        assert self.app is not None
        ctx = CommandContext(site, correlation_id(headers, cmd.command_id))
        async with self._lock:
            reply = await self.offload(self.app.execute, ctx, cmd)
        self.applied()
        return reply

    def router(self) -> NatsRouter:
        router = NatsRouter()
        for verb, (model, reply, description) in self.commands.items():
            subject = subjects.command_pattern(self.name, verb)
            router.subscriber(subject, title=f"{self.name}.{verb}", description=description)(
                self.handler(f"{self.name}_{verb}", model, reply, self.execute)
            )
        for model in self.publishes:
            event_type = model.model_fields["event_type"].annotation.__args__[0]
            router.publisher(
                f"desk.evt.*.{event_type}",
                title=f"event.{event_type}",
                description=(model.model_fields["data"].annotation.__doc__ or "").strip(),
                schema=model,
            )
        return router
