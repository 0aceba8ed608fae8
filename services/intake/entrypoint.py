"""Intake on NATS: commands on desk.cmd.<site>.intake.<verb>, ticket events relayed to DESK, and
the inbox that resolves a ticket when dispatch reports its work done."""

from __future__ import annotations

from services.intake.application import IntakeApp
from services.intake.translate import Translator
from shared.contracts import commands as c
from shared.contracts import events as e
from shared.contracts.replies import AnalysisReply, ContactReply, ReportReply, TicketReply
from shared.desk_service import DeskService
from shared.relay import Translate

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
    "reply": (c.ReplyToCustomer, TicketReply, "Reply to the customer (R10.2: help within 5 min)"),
    "resolve": (c.ResolveTicket, TicketReply, "Record the resolution; the follow-up is due"),
    "follow_up": (c.RecordFollowUp, TicketReply, "回访: satisfied closes, unsatisfied reopens"),
    "reopen": (c.ReopenTicket, TicketReply, "Reopen a resolved or closed ticket with a reason"),
    "cancel": (c.CancelTicket, TicketReply, "Cancel a withdrawn or duplicate ticket"),
    "attach_analysis": (
        c.AttachMonthAnalysis,
        AnalysisReply,
        "The site manager's monthly cause analysis, lessons and corrective actions (R12.2)",
    ),
}


class IntakeService(DeskService):
    name = "intake"
    app_class = IntakeApp
    commands = COMMANDS
    publishes = e.INTAKE_EVENTS
    # dispatch's last sign-off of a ticket's work orders resolves the ticket
    consumes = ("intake-work-done", "desk.evt.*.workorder.signed_off")

    def translator(self) -> Translate:
        return Translator(self.app.reporters_of)
