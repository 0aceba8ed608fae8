"""Intake application: load → change → save, one handler per command (docs/DOMAIN.md §2, §3, §6).

`IntakeApp` is the one place that lists what intake handles: `handlers` (command class → handler)
and `reactions` (envelope class on DESK → reaction), at the end of the class. The commands that
change a ticket are its methods; a report (`contacts.py`), a look at contact details
(`reveals.py`), the monthly analysis (`month_analysis.py`) and the reactions to dispatch's work
orders (`work_order_reactions.py`) are handled in their own modules. Replies: `replies.py`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from pydantic import BaseModel

from services.intake.application import incidents, maintenance
from services.intake.application import work_order_reactions as orders
from services.intake.application.contacts import report_contact, report_lookups
from services.intake.application.month_analysis import attach_month_analysis
from services.intake.application.promises import HANDLERS as PROMISE_HANDLERS
from services.intake.application.replies import ticket_reply
from services.intake.application.residents import HANDLERS as RESIDENT_HANDLERS
from services.intake.application.residents import mark_special_care
from services.intake.application.reveals import refused_reveal, reveal_contact
from services.intake.application.rounds import plan_rounds, record_round
from services.intake.application.shifts import HANDLERS as SHIFT_HANDLERS
from services.intake.application.times import not_in_future
from services.intake.application.violations import HANDLERS as VIOLATION_HANDLERS
from services.intake.application.violations import offender_of
from services.intake.application.visits import HANDLERS as VISIT_HANDLERS
from services.intake.domain import (
    AccessLog,
    Incident,
    Ticket,
    TicketCounter,
    ViolationCase,
    refused_reveals,
)
from services.intake.domain.households import Households
from services.intake.domain.visits import Survey
from shared.contracts.commands import (
    AcceptSolution,
    AttachMonthAnalysis,
    CancelTicket,
    ClassifyTicket,
    LinkContact,
    RecordFollowUp,
    ReopenTicket,
    ReplyToCustomer,
    ReportContact,
    ResolveTicket,
    RevealContact,
    TicketCommand,
    VerifyOnSite,
)
from shared.contracts.envelope import Envelope
from shared.contracts.incident_commands import (
    CloseIncident,
    OpenIncident,
    RecordIncidentMeasure,
    ReportIncidentUp,
)
from shared.contracts.promise_commands import RevealCaller
from shared.contracts.rounds import PlanRounds, RecordRound
from shared.contracts.workorder_events import (
    QuoteDeclinedEvent,
    WorkOrderCancelledEvent,
    WorkOrderIssuedEvent,
    WorkOrderReferredEvent,
    WorkOrderSignedOffEvent,
)
from shared.eventstore.desk_app import CommandContext, DeskApplication, Handler, Reaction
from shared.eventstore.subject_keys import SubjectKeys
from shared.kernel.staff import PERMISSIONS
from shared.messaging.errors import DeskError, as_reply, invalid, not_found

Change = Callable[[Ticket, Any, dict[str, Any]], Any]  # (ticket, at, meta): the domain's command


class IntakeApp(DeskApplication):
    name = "intake"
    # A site's monthly counter gains one event per ticket: snapshot it and keep recent
    # aggregates cached (as this, the store's one writer, last recorded them: DeskApplication),
    # so that numbering the thousandth ticket of a month costs what the first did.
    snapshotting_intervals: ClassVar[dict[type, int]] = {
        TicketCounter: 20, Survey: 50, Households: 50,  # a site's rooms: one event per change
    }  # fmt: skip

    def __init__(self, *args: Any, subject_keys: SubjectKeys | None = None, **kwargs: Any) -> None:
        """`subject_keys`: the per-case keys of offenders' data (in memory unless given)."""
        super().__init__(*args, **kwargs)
        self.subject_keys = subject_keys or SubjectKeys()

    # -- the commands that change a ticket --------------------------------------------------

    def _classify(self, ctx: CommandContext, cmd: ClassifyTicket) -> tuple[BaseModel, list[Any]]:
        if cmd.category is not None and cmd.category not in self.site_config(ctx.site).categories:
            raise invalid(f"unknown category {cmd.category!r} for site {ctx.site}", "category")
        if cmd.about_staff is not None:
            self.listed(ctx.site, "about_staff", cmd.about_staff)
        fields = ("kind", "category", "help_category", "validity", "communicative_type", "severity",
                  "about_staff")  # fmt: skip
        changes = {f: _plain(getattr(cmd, f)) for f in fields}
        reply, changed = self._change(
            ctx, cmd, lambda t, at, meta: t.classify(at=at, meta=meta, **changes)
        )
        # classified a help request of category A, E or F: it opens its incident (R16.5)
        meta = ctx.meta(cmd)
        opened = incidents.incident_for_help(self, changed[0], meta)
        # classified with a category a notice in force answers: linked to it (R16.6)
        return reply, [*changed, *opened, *maintenance.link_report(self, changed[0], meta)]

    def _link(self, ctx: CommandContext, cmd: LinkContact) -> tuple[BaseModel, list[Any]]:
        contact = {
            "channel": cmd.channel.value,
            "content": cmd.content,
            "reporter": cmd.reporter.model_dump() if cmd.reporter else None,
            "received_at": not_in_future(cmd.received_at, self.clock.now(), "received_at"),
        }
        reply, changed = self._change(
            ctx, cmd, lambda t, at, meta: t.link_contact(at=at, meta=meta, **contact)
        )
        mark_special_care(self, changed[0], ctx.meta(cmd))  # a special-care caller (R11.10)
        return reply, changed

    def _reply(self, ctx: CommandContext, cmd: ReplyToCustomer) -> tuple[BaseModel, list[Any]]:
        return self._change(
            ctx, cmd, lambda t, at, meta: t.reply(at=at, meta=meta, message=cmd.message)
        )

    def _accept_solution(
        self, ctx: CommandContext, cmd: AcceptSolution
    ) -> tuple[BaseModel, list[Any]]:
        return self._change(
            ctx,
            cmd,
            lambda t, at, meta: t.accept_solution(at=at, meta=meta, solution=cmd.solution),
        )

    def _resolve(self, ctx: CommandContext, cmd: ResolveTicket) -> tuple[BaseModel, list[Any]]:
        return self._change(
            ctx,
            cmd,
            lambda t, at, meta: t.resolve(
                at=at,
                meta=meta,
                resolution=cmd.resolution,
                open_orders=orders.open_orders(self, t.id),
            ),
        )

    def _follow_up(self, ctx: CommandContext, cmd: RecordFollowUp) -> tuple[BaseModel, list[Any]]:
        # the score, and the flag if the desk gave one: the ticket says what they mean (R11.1)
        return self._change(
            ctx,
            cmd,
            lambda t, at, meta: t.follow_up(
                at=at,
                meta=meta,
                score=cmd.score,
                comment=cmd.comment,
                satisfied=cmd.satisfied,
                open_orders=orders.open_orders(self, t.id),
            ),
        )

    def _verify(self, ctx: CommandContext, cmd: VerifyOnSite) -> tuple[BaseModel, list[Any]]:
        check = {
            "verified_by": cmd.verified_by or cmd.staff_id,
            "verified_at": not_in_future(cmd.verified_at, self.clock.now(), "verified_at"),
            "passed": cmd.passed,
            "note": cmd.note,
        }
        return self._change(ctx, cmd, lambda t, at, meta: t.verify(at=at, meta=meta, **check))

    def _reopen(self, ctx: CommandContext, cmd: ReopenTicket) -> tuple[BaseModel, list[Any]]:
        return self._change(
            ctx, cmd, lambda t, at, meta: t.reopen(at=at, meta=meta, reason=cmd.reason)
        )

    def _cancel(self, ctx: CommandContext, cmd: CancelTicket) -> tuple[BaseModel, list[Any]]:
        if self.ticket_of_site(ctx.site, cmd.ticket_id).on_ladder:
            self.require(ctx, cmd, PERMISSIONS["intake.cancel"])
        original_id = None
        if cmd.duplicate_of is not None:
            original_id = self.id_named(ctx.site, cmd.duplicate_of)
            original = self.ticket(original_id) if original_id is not None else None
            if original is None or original.site != ctx.site:
                raise invalid("duplicate_of names no ticket of this site", "duplicate_of")
        cancel = {"reason": cmd.reason, "note": cmd.note, "duplicate_of": original_id}
        return self._change(ctx, cmd, lambda t, at, meta: t.cancel(at=at, meta=meta, **cancel))

    def _change(
        self, ctx: CommandContext, cmd: TicketCommand, change: Change
    ) -> tuple[BaseModel, list[Any]]:
        ticket = self.ticket_of_site(ctx.site, cmd.ticket_id)
        with as_reply():
            change(ticket, self.clock.now(), ctx.meta(cmd))
        return ticket_reply(ticket), [ticket]

    def lookups(self, commands: Sequence[tuple[CommandContext, Any]]) -> list[UUID]:
        reports = [(ctx, cmd) for ctx, cmd in commands if isinstance(cmd, ReportContact)]
        return [*super().lookups(commands), *report_lookups(self, reports)]

    # -- refusals: a refused look at contact details is recorded (R15.2, R15.3) -------------

    def refuse(self, ctx: CommandContext, cmd: Any, message: str) -> DeskError:
        error = super().refuse(ctx, cmd, message)
        if isinstance(cmd, (RevealContact, RevealCaller)):
            error.trace.append(refused_reveal(self, ctx, cmd, message))
        return error

    def refused_reveals(self, site: str, month: str) -> list[dict[str, Any]]:
        """The site's refused looks at contact details in `month` (YYYY-MM, local): for ops."""
        return refused_reveals(self.events.get(AccessLog.id_for(site, month)))

    # -- queries ----------------------------------------------------------------------------

    def ticket(self, ticket_id: UUID) -> Ticket | None:
        return self.get(ticket_id, Ticket)

    def ticket_of_site(self, site: str, ref: UUID | str) -> Ticket:
        """A ticket, named by its id or number, is reachable only through its own site's
        subjects."""
        ticket = self.ticket(self.ticket_id_of(site, ref))
        if ticket is None or ticket.site != site:
            raise not_found(f"ticket {ref}")
        return ticket

    def violation_case(self, case_id: UUID) -> tuple[ViolationCase, dict[str, Any] | None] | None:
        """A case and its offender as its key still opens them (for masking what is published)."""
        case = self.get(case_id, ViolationCase)
        return None if case is None else (case, offender_of(self, case))

    def id_named(self, site: str, ref: UUID | str) -> UUID | None:
        """The id a command named, if any (a number the site does not have: none)."""
        try:
            return self.ticket_id_of(site, ref)
        except DeskError:
            return None

    def reporters_of(self, ticket_id: UUID) -> list[dict[str, Any]]:
        """Every reporter known for a ticket (for masking free text before it is published):
        copies of the cached ticket's, not a copy of the whole ticket (the relay asks for each
        ticket event it publishes)."""
        try:
            ticket = self.repository.get(ticket_id, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            return []
        return [dict(r) for r in ticket.reporters] if isinstance(ticket, Ticket) else []

    def ticket_of_incident(self, incident_id: UUID) -> UUID | None:
        """The ticket whose callers an incident's free text is masked for, if any."""
        incident = self.get(incident_id, Incident)
        return incident.ticket_id if incident is not None else None

    # -- the tables: what each command and each event on DESK is handled by --------------------

    handlers: ClassVar[dict[type, Handler]] = {
        ReportContact: report_contact,
        ClassifyTicket: _classify,
        LinkContact: _link,
        RevealContact: reveal_contact,
        ReplyToCustomer: _reply,
        AcceptSolution: _accept_solution,
        ResolveTicket: _resolve,
        RecordFollowUp: _follow_up,
        VerifyOnSite: _verify,
        ReopenTicket: _reopen,
        CancelTicket: _cancel,
        AttachMonthAnalysis: attach_month_analysis,
        OpenIncident: incidents.open_incident,
        RecordIncidentMeasure: incidents.record_measure,
        ReportIncidentUp: incidents.report_up,
        CloseIncident: incidents.close_incident,
        PlanRounds: plan_rounds,  # inspection rounds (rounds.py, docs/INSPECTION.md)
        RecordRound: record_round,
        **VIOLATION_HANDLERS,  # violation cases (violations.py, R14.1–R14.10)
        **PROMISE_HANDLERS,  # promises kept (promises.py, R6.15, R2.6, R11.5)
        **maintenance.HANDLERS,  # maintenance and outage notices (R7.9, R7.10, R16.6)
        **SHIFT_HANDLERS,  # ticket hand-overs and the shift log (shifts.py, R10.1, R15.9–R15.12)
        **VISIT_HANDLERS,  # visits and surveys (visits.py, R11.6, R11.9)
        **RESIDENT_HANDLERS,  # the resident and unit file (residents.py, R16.2–R16.4, R11.10)
    }
    reactions: ClassVar[dict[type[Envelope], Reaction]] = {
        WorkOrderIssuedEvent: orders.order_issued,
        WorkOrderSignedOffEvent: orders.work_done,
        WorkOrderReferredEvent: orders.order_ended,
        QuoteDeclinedEvent: orders.order_ended,
        WorkOrderCancelledEvent: orders.order_ended,
    }


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)
