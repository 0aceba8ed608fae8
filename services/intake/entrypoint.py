"""Wires the intake application to NATS: commands on desk.cmd.<site>.intake.<verb>, and the relay
that publishes intake's notification log to DESK. The only intake module that knows FastStream."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from faststream.nats import NatsRouter

from services.intake.application import CommandContext, IntakeApp
from services.intake.translate import Translator
from shared import subjects
from shared.contracts import commands as c
from shared.contracts import events as e
from shared.contracts.replies import ContactReply, ReportReply, TicketReply
from shared.inbox import Inbox
from shared.relay import Relay
from shared.rpc import correlation_id
from shared.service import Service
from shared.store import store_env

# verb -> (command model, reply model, description): the intake contract at a glance.
COMMANDS: dict[str, tuple[type[c.Command], type, str]] = {
    "report": (c.ReportContact, ReportReply, "Log a contact and open its ticket (R3.1–R3.11)"),
    "classify": (c.ClassifyTicket, TicketReply, "Classify kind, category, validity, severity"),
    "link": (c.LinkContact, TicketReply, "Link a repeat contact to an open ticket (R16.1)"),
    "reveal_contact": (
        c.RevealContact,
        ContactReply,
        "Show the reporters' contact details to staff who need them; recorded (R15.2)",
    ),
    "resolve": (c.ResolveTicket, TicketReply, "Record the resolution; the follow-up is due"),
    "follow_up": (c.RecordFollowUp, TicketReply, "回访: satisfied closes, unsatisfied reopens"),
    "reopen": (c.ReopenTicket, TicketReply, "Reopen a resolved or closed ticket with a reason"),
    "cancel": (c.CancelTicket, TicketReply, "Cancel a withdrawn or duplicate ticket"),
}

# The events the relay publishes, documented as publishers of this service.
PUBLISHES = list(e.TICKET_EVENTS)


WORK_DONE_CONSUMER = "intake-work-done"


class IntakeService(Service):
    name = "intake"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app: IntakeApp | None = None
        self.relay: Relay | None = None
        self._lock = asyncio.Lock()

    def open_stores(self) -> None:
        self.app = IntakeApp(store_env(self.settings, self.name), self.clock, self.sites)

    def close_stores(self) -> None:
        if self.app is not None:
            self.app.close()
            self.app = None

    def background(self) -> list[Coroutine[Any, Any, None]]:
        assert self.app is not None and self.js is not None
        self.relay = Relay(self.app, self.js, Translator(self.app.reporters_of), name="relay:DESK")
        work_done = Inbox(
            self.js,
            durable=WORK_DONE_CONSUMER,
            apply=self.app.apply,
            position=self.app.position,
            filter_subject="desk.evt.*.workorder.signed_off",
            on_applied=self.relay.wake,
        )
        return [self.relay.run(), work_done.run()]

    async def execute(self, site: str, cmd: c.Command, headers: dict[str, str]) -> dict[str, Any]:
        assert self.app is not None
        ctx = CommandContext(site, correlation_id(headers, cmd.command_id))
        async with self._lock:
            reply = await asyncio.to_thread(self.app.execute, ctx, cmd)
        if self.relay is not None:
            self.relay.wake()
        return reply

    def router(self) -> NatsRouter:
        router = NatsRouter()
        for verb, (model, reply, description) in COMMANDS.items():
            subject = subjects.command_pattern(self.name, verb)
            router.subscriber(subject, title=f"intake.{verb}", description=description)(
                self.handler(f"intake_{verb}", model, reply, self.execute)
            )
        for model in PUBLISHES:
            event_type = model.model_fields["event_type"].annotation.__args__[0]
            router.publisher(
                f"desk.evt.*.{event_type}",
                title=f"event.{event_type}",
                description=(model.model_fields["data"].annotation.__doc__ or "").strip(),
                schema=model,
            )
        return router
