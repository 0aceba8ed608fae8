"""Intake on NATS: commands on desk.cmd.<site>.intake.<verb>, ticket events relayed to DESK, and
the inbox that resolves a ticket when dispatch reports its work done."""

from __future__ import annotations

from faststream.nats import NatsRouter

from services.intake.application import IntakeApp
from services.intake.translate import Translator
from shared.contracts import commands, events
from shared.contracts.ops import AccessLog, AccessLogQuery
from shared.contracts.replies import AnalysisReply, ContactReply, ReportReply, TicketReply
from shared.messaging import subjects
from shared.messaging.desk_service import DeskService
from shared.messaging.publishing import mask
from shared.messaging.relay import Translate

# verb -> (command model, reply model, description): the intake contract at a glance.
COMMANDS: dict[str, tuple[type[commands.Command], type, str]] = {
    "report": (
        commands.ReportContact,
        ReportReply,
        "Log a contact and open its ticket (R3.1–R3.11)",
    ),
    "classify": (
        commands.ClassifyTicket,
        TicketReply,
        "Classify kind, category, validity, severity",
    ),
    "link": (commands.LinkContact, TicketReply, "Link a repeat contact to an open ticket (R16.1)"),
    "reveal_contact": (
        commands.RevealContact,
        ContactReply,
        "Show the reporters' contact details to staff who need them; recorded (R15.2)",
    ),
    "reply": (
        commands.ReplyToCustomer,
        TicketReply,
        "Reply to the customer (R10.2: help within 5 min)",
    ),
    "resolve": (commands.ResolveTicket, TicketReply, "Record the resolution; the follow-up is due"),
    "follow_up": (
        commands.RecordFollowUp,
        TicketReply,
        "回访: satisfied closes, unsatisfied reopens",
    ),
    "reopen": (
        commands.ReopenTicket,
        TicketReply,
        "Reopen a resolved or closed ticket with a reason",
    ),
    "cancel": (commands.CancelTicket, TicketReply, "Cancel a withdrawn or duplicate ticket"),
    "attach_analysis": (
        commands.AttachMonthAnalysis,
        AnalysisReply,
        "The site manager's monthly cause analysis, lessons and corrective actions (R12.2)",
    ),
}


class IntakeService(DeskService):
    name = "intake"
    app_class = IntakeApp
    commands = COMMANDS
    publishes = events.INTAKE_EVENTS
    # dispatch's last sign-off of a ticket's work orders resolves the ticket
    consumes = ("intake-work-done", "desk.evt.*.workorder.signed_off")

    def translator(self) -> Translate:
        return Translator(self.app.reporters_of)

    def router(self) -> NatsRouter:
        router = super().router()
        subject = subjects.OPS_INTAKE_ACCESS_LOG
        # company=True: the site is in the body, not the subject; only ops may send desk.ops.*
        handle = self.handler(
            "ops_intake_access_log", AccessLogQuery, AccessLog, self._access_log, company=True
        )
        description = (AccessLogQuery.__doc__ or "").strip()
        title = subject.removeprefix("desk.")
        router.subscriber(subject, title=title, description=description)(handle)
        return router

    async def _access_log(self, _: str, query: AccessLogQuery, __: dict[str, str]) -> dict:
        """The refused looks of a site's month, their purpose masked like anything published."""
        assert self.app is not None
        found = await self.offload(self.app.refused_reveals, query.site, query.month)
        refused = [entry | {"purpose": mask(entry["purpose"]) or ""} for entry in found]
        return AccessLog(site=query.site, month=query.month, refused=refused).model_dump(
            mode="json"
        )
