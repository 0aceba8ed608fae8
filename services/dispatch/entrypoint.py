"""Wires dispatch to NATS: commands on desk.cmd.<site>.dispatch.<verb>, the inbox that follows
tickets on DESK (and issues repairs' orders), and the relay that publishes work-order events."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from faststream.nats import NatsRouter

from services.dispatch.application import DispatchApp, WorkOrderReply
from services.dispatch.translate import translate
from shared import subjects
from shared.contracts import dispatch_commands as d
from shared.contracts.workorder_events import WORKORDER_EVENTS
from shared.desk_app import CommandContext
from shared.inbox import Inbox
from shared.relay import Relay
from shared.rpc import correlation_id
from shared.service import Service
from shared.store import store_env

# verb -> (command model, description): the dispatch contract at a glance.
COMMANDS: dict[str, tuple[type[d.Command], str]] = {
    "issue": (d.IssueWorkOrder, "Issue a work order for a ticket that needs a department"),
    "rework": (d.ReworkOrder, "Rework of a finished order; free within the warranty (R8.9)"),
    "override": (d.OverrideClassification, "Override urgent/general, household/public"),
    "collect": (d.CollectOrder, "The department collected and signed the order (R8.2)"),
    "assign": (d.AssignTechnician, "Assign the technician"),
    "arrive": (d.RecordArrival, "The technician arrived on site"),
    "reschedule": (d.Reschedule, "Nobody home: a new appointment (R7.17)"),
    "quote": (d.GiveQuote, "Quote a paid or non-standard item before the work (R8.5)"),
    "accept_quote": (d.AcceptQuote, "The customer accepts the quote"),
    "decline_quote": (d.DeclineQuote, "The customer declines the quote; the order ends"),
    "complete": (d.CompleteOrder, "Work done: notes, actual item, fee (R8.10)"),
    "confirm_acceptance": (d.ConfirmAcceptance, "A leak repair held after the rain (R8.8)"),
    "sign_off": (d.SignOff, "Customer evaluation and signature (R8.12)"),
    "return": (d.ReturnOrder, "Returned for month-end statistics (R8.14)"),
    "refer": (d.ReferOrder, "Outside the repair scope: to property business (R7.11)"),
}
TICKETS_CONSUMER = "dispatch-tickets"


class DispatchService(Service):
    name = "dispatch"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app: DispatchApp | None = None
        self.relay: Relay | None = None
        self._lock = asyncio.Lock()

    def open_stores(self) -> None:
        self.app = DispatchApp(store_env(self.settings, self.name), self.clock, self.sites)

    def close_stores(self) -> None:
        if self.app is not None:
            self.app.close()
            self.app = None

    def background(self) -> list[Coroutine[Any, Any, None]]:
        assert self.app is not None and self.js is not None
        self.relay = Relay(self.app, self.js, translate, name="relay:DESK")
        inbox = Inbox(
            self.js,
            durable=TICKETS_CONSUMER,
            apply=self.app.apply,
            position=self.app.position,
            filter_subject="desk.evt.*.ticket.>",
            on_applied=self.relay.wake,
        )
        return [self.relay.run(), inbox.run()]

    async def execute(self, site: str, cmd: d.Command, headers: dict[str, str]) -> dict[str, Any]:
        assert self.app is not None
        ctx = CommandContext(site, correlation_id(headers, cmd.command_id))
        async with self._lock:
            reply = await asyncio.to_thread(self.app.execute, ctx, cmd)
        if self.relay is not None:
            self.relay.wake()
        return reply

    def router(self) -> NatsRouter:
        router = NatsRouter()
        for verb, (model, description) in COMMANDS.items():
            subject = subjects.command_pattern(self.name, verb)
            router.subscriber(subject, title=f"dispatch.{verb}", description=description)(
                self.handler(f"dispatch_{verb}", model, WorkOrderReply, self.execute)
            )
        for model in WORKORDER_EVENTS:
            event_type = model.model_fields["event_type"].annotation.__args__[0]
            router.publisher(
                f"desk.evt.*.{event_type}",
                title=f"event.{event_type}",
                description=(model.model_fields["data"].annotation.__doc__ or "").strip(),
                schema=model,
            )
        return router
