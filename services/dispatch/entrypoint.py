"""Dispatch on NATS: commands on desk.cmd.<site>.dispatch.<verb>, work-order events relayed to
DESK, and the inbox that follows the tickets on DESK (a repair gets its order at once)."""

from __future__ import annotations

from services.dispatch.application import DispatchApp, WorkOrderReply
from services.dispatch.translate import translate
from shared.contracts import dispatch_commands as d
from shared.contracts.workorder_events import WORKORDER_EVENTS
from shared.desk_service import DeskService
from shared.relay import Translate

# verb -> (command model, description): the dispatch contract at a glance.
VERBS: dict[str, tuple[type[d.Command], str]] = {
    "issue": (d.IssueWorkOrder, "Issue a work order for a ticket that needs a department"),
    "rework": (d.ReworkOrder, "Rework of a finished order; free within the warranty (R8.9)"),
    "override": (d.OverrideClassification, "Override urgent/general, household/public"),
    "collect": (d.CollectOrder, "The department collected and signed the order (R8.3)"),
    "assign": (d.AssignTechnician, "Assign the technician"),
    "arrive": (d.RecordArrival, "The technician arrived on site"),
    "reschedule": (d.Reschedule, "Nobody home: a new appointment (R7.17)"),
    "quote": (d.GiveQuote, "Quote a paid or non-standard item before the work (R8.5)"),
    "accept_quote": (d.AcceptQuote, "The customer accepts the quote"),
    "decline_quote": (d.DeclineQuote, "The customer declines the quote; the order ends"),
    "complete": (d.CompleteOrder, "Work done: notes, actual item, fee (R8.2, R8.13)"),
    "confirm_acceptance": (d.ConfirmAcceptance, "A leak repair held after the rain (R8.8)"),
    "sign_off": (d.SignOff, "Customer evaluation and signature (R8.8, R8.12)"),
    "return": (d.ReturnOrder, "Returned for month-end statistics (R8.10)"),
    "refer": (d.ReferOrder, "Outside the repair scope: to property business (R7.11)"),
}

COMMANDS = {verb: (model, WorkOrderReply, text) for verb, (model, text) in VERBS.items()}


class DispatchService(DeskService):
    name = "dispatch"
    app_class = DispatchApp
    commands = COMMANDS
    publishes = WORKORDER_EVENTS
    # dispatch follows the tickets: a repair gets its work order at once
    consumes = ("dispatch-tickets", "desk.evt.*.ticket.>")

    def translator(self) -> Translate:
        return translate
