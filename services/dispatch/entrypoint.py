"""Dispatch on NATS: commands on desk.cmd.<site>.dispatch.<verb>, work-order events relayed to
DESK, and the inbox that follows the tickets on DESK (a repair gets its order at once)."""

from __future__ import annotations

import inspect

from services.dispatch.adapters.translate import translate
from services.dispatch.application import DispatchApp
from shared.contracts.dispatch_commands import DISPATCH_COMMANDS, WorkOrderReply
from shared.contracts.workorder_events import WORKORDER_EVENTS
from shared.messaging import subjects
from shared.messaging.desk_service import DeskService
from shared.messaging.relay import Translate

# verb -> (command model, reply model, description): each command names its verb and says what
# it does (shared/contracts/dispatch_commands.py)
COMMANDS = {
    cmd.verb: (cmd, WorkOrderReply, inspect.cleandoc(cmd.__doc__ or ""))
    for cmd in DISPATCH_COMMANDS
}


class DispatchService(DeskService):
    name = "dispatch"
    app_class = DispatchApp
    commands = COMMANDS
    publishes = WORKORDER_EVENTS
    # dispatch follows the tickets: a repair gets its work order at once, the reports that
    # come within 50 ms of each other in one transaction (docs/PERFORMANCE.md, session 8)
    consumes = ("dispatch-tickets", subjects.event_pattern("ticket.>"))
    linger = 0.05

    def translator(self) -> Translate:
        return translate
