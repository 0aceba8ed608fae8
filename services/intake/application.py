"""Intake application: load → change → save, one method per command (docs/DOMAIN.md §2, §3, §6)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from pydantic import BaseModel

from services.intake.domain import (
    AccessLog,
    MonthReview,
    OrderOfTicket,
    Ticket,
    TicketCounter,
    TicketOrders,
    refused_reveals,
    ticket_id_for,
)
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
from shared.contracts.replies import (
    AnalysisReply,
    ContactDetails,
    ContactReply,
    Promise,
    ReportReply,
    TicketReply,
)
from shared.contracts.workorder_events import (
    QuoteDeclinedEvent,
    WorkOrderCancelledEvent,
    WorkOrderIssuedEvent,
    WorkOrderReferredEvent,
    WorkOrderSignedOffEvent,
)
from shared.eventstore.desk_app import CommandContext, DeskApplication, Handler, Reaction
from shared.kernel.months import months_back
from shared.kernel.refusals import RuleError, TransitionError
from shared.kernel.repairs import is_emergency
from shared.kernel.staff import PERMISSIONS
from shared.kernel.vocabulary import Kind
from shared.messaging.errors import DeskError, as_reply, invalid, not_found
from shared.messaging.publishing import mask

CLOCK_SKEW = timedelta(minutes=5)
WORK_DONE = "all work orders completed and signed off by the customer"


class IntakeApp(DeskApplication):
    name = "intake"
    # A site's monthly counter gains one event per ticket: snapshot it and keep recent
    # aggregates cached (fast-forwarded from the store on every get, so never stale), so that
    # numbering the thousandth ticket of a month costs what the first did.
    snapshotting_intervals: ClassVar[dict[type, int]] = {TicketCounter: 20}

    # -- commands -------------------------------------------------------------------------

    def _report(self, ctx: CommandContext, cmd: ReportContact) -> tuple[BaseModel, list[Any]]:
        site = self.site_config(ctx.site)
        if cmd.category is not None and cmd.category not in site.categories:
            raise invalid(f"unknown category {cmd.category!r} for site {ctx.site}", "category")
        now = self.clock.now()
        received_at = cmd.received_at or now
        if received_at > now + CLOCK_SKEW:
            raise invalid("received_at lies in the future", "received_at")
        reporter = cmd.reporter.model_dump() if cmd.reporter else None
        ticket_id = ticket_id_for(ctx.site, cmd.client_ref)
        existing = self.ticket(ticket_id)
        if existing is not None:
            return self._report_reply(existing, duplicate=True), []
        counter = self._counter(ctx.site, received_at.astimezone(site.zone).strftime("%Y%m"), now)
        ticket = Ticket.report(
            ticket_id=ticket_id,
            at=now,
            site=ctx.site,
            ticket_no=counter.next_number(now, reporter),
            client_ref=cmd.client_ref,
            channel=cmd.channel.value,
            kind=cmd.kind.value,
            category=cmd.category,
            help_category=cmd.help_category.value if cmd.help_category else None,
            reporter=reporter,
            content=cmd.content,
            received_at=received_at,
            appointment=cmd.appointment.model_dump() if cmd.appointment else None,
            **ctx.meta(cmd),
        )
        number = self.note_number(ctx.site, ticket.ticket_no, ticket.id)
        return self._report_reply(ticket, duplicate=False), [ticket, counter, *number]

    def _classify(self, ctx: CommandContext, cmd: ClassifyTicket) -> tuple[BaseModel, list[Any]]:
        if cmd.category is not None and cmd.category not in self.site_config(ctx.site).categories:
            raise invalid(f"unknown category {cmd.category!r} for site {ctx.site}", "category")
        staff = self.site_config(ctx.site).staff
        if cmd.about_staff is not None and staff and cmd.about_staff not in staff:
            raise invalid(f"staff {cmd.about_staff} is not on the staff list", "about_staff")
        fields = ("kind", "category", "help_category", "validity", "communicative_type", "severity",
                  "about_staff")  # fmt: skip
        changes = {f: _plain(getattr(cmd, f)) for f in fields}
        return self._change(ctx, cmd, lambda t, at, meta: t.classify(at=at, meta=meta, **changes))

    def _link(self, ctx: CommandContext, cmd: LinkContact) -> tuple[BaseModel, list[Any]]:
        now = self.clock.now()
        received_at = cmd.received_at or now
        if received_at > now + CLOCK_SKEW:
            raise invalid("received_at lies in the future", "received_at")
        contact = {
            "channel": cmd.channel.value,
            "content": cmd.content,
            "reporter": cmd.reporter.model_dump() if cmd.reporter else None,
            "received_at": received_at,
        }
        return self._change(
            ctx, cmd, lambda t, at, meta: t.link_contact(at=at, meta=meta, **contact)
        )

    def _reveal(self, ctx: CommandContext, cmd: RevealContact) -> tuple[BaseModel, list[Any]]:
        # before the ticket is looked up: a refused member of staff learns nothing of it
        self.require(ctx, cmd, PERMISSIONS["intake.reveal_contact"])
        ticket = self.ticket_of_site(ctx.site, cmd.ticket_id)
        reporters = ticket.reveal_contact(
            at=self.clock.now(), meta=ctx.meta(cmd), purpose=cmd.purpose
        )
        reply = ContactReply(
            ticket_id=str(ticket.id),
            ticket_no=ticket.ticket_no,
            status=ticket.status,
            reporters=[ContactDetails(**r) for r in reporters],
        )
        return reply, [ticket]

    def reporters_of(self, ticket_id: UUID) -> list[dict[str, Any]]:
        """Every reporter known for a ticket (for masking free text before it is published)."""
        ticket = self.ticket(ticket_id)
        return ticket.reporters if ticket is not None else []

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
                at=at, meta=meta, resolution=cmd.resolution, open_orders=self.open_orders(t.id)
            ),
        )

    def _follow_up(self, ctx: CommandContext, cmd: RecordFollowUp) -> tuple[BaseModel, list[Any]]:
        return self._change(
            ctx,
            cmd,
            lambda t, at, meta: t.follow_up(
                at=at,
                meta=meta,
                score=cmd.score,
                comment=cmd.comment,
                satisfied=cmd.satisfied,
                open_orders=self.open_orders(t.id),
            ),
        )

    def _verify(self, ctx: CommandContext, cmd: VerifyOnSite) -> tuple[BaseModel, list[Any]]:
        now = self.clock.now()
        verified_at = cmd.verified_at or now
        if verified_at > now + CLOCK_SKEW:
            raise invalid("verified_at lies in the future", "verified_at")
        return self._change(
            ctx,
            cmd,
            lambda t, at, meta: t.verify(
                at=at,
                meta=meta,
                verified_by=cmd.verified_by or cmd.staff_id,
                verified_at=verified_at,
                passed=cmd.passed,
                note=cmd.note,
            ),
        )

    def _reopen(self, ctx: CommandContext, cmd: ReopenTicket) -> tuple[BaseModel, list[Any]]:
        return self._change(
            ctx, cmd, lambda t, at, meta: t.reopen(at=at, meta=meta, reason=cmd.reason)
        )

    def _cancel(self, ctx: CommandContext, cmd: CancelTicket) -> tuple[BaseModel, list[Any]]:
        if self.ticket_of_site(ctx.site, cmd.ticket_id).on_ladder:
            self.require(ctx, cmd, PERMISSIONS["intake.cancel"])
        original_id = None
        if cmd.duplicate_of is not None:
            original_id = self._named(ctx.site, cmd.duplicate_of)
            original = self.ticket(original_id) if original_id is not None else None
            if original is None or original.site != ctx.site:
                raise invalid("duplicate_of names no ticket of this site", "duplicate_of")
        return self._change(
            ctx,
            cmd,
            lambda t, at, meta: t.cancel(
                at=at, meta=meta, reason=cmd.reason, note=cmd.note, duplicate_of=original_id
            ),
        )

    def _analysis(
        self, ctx: CommandContext, cmd: AttachMonthAnalysis
    ) -> tuple[BaseModel, list[Any]]:
        self.require(ctx, cmd, PERMISSIONS["intake.attach_analysis"])
        now = self.clock.now()
        this_month = now.astimezone(self.site_config(ctx.site).zone).strftime("%Y-%m")
        if cmd.month > this_month:
            raise invalid(f"month {cmd.month} has not begun at {ctx.site}", "month")
        try:
            review = self.repository.get(MonthReview.id_for(ctx.site, cmd.month))
        except AggregateNotFoundError:
            review = None
        # An analysis names what it is about; the residents of the six months it looks back
        # on are masked before it is stored, so their names never reach the bus (R15.1).
        reporters = self._reporters(ctx.site, cmd.month)
        review = MonthReview.attach(
            review,
            at=now,
            site=ctx.site,
            month=cmd.month,
            cause=mask(cmd.cause, reporters) or "",
            lessons=mask(cmd.lessons, reporters) or "",
            actions=mask(cmd.actions, reporters) or "",
            **ctx.meta(cmd),
        )
        reply = AnalysisReply(site=ctx.site, month=cmd.month, revision=review.revision)
        return reply, [review]

    # -- refusals: a refused look at contact details is recorded (R15.2, R15.3) -------------

    def refuse(self, ctx: CommandContext, cmd: Any, message: str) -> DeskError:
        error = super().refuse(ctx, cmd, message)
        if isinstance(cmd, RevealContact):
            now = self.clock.now()
            month = now.astimezone(self.site_config(ctx.site).zone).strftime("%Y-%m")
            member = self.site_config(ctx.site).staff.get(cmd.staff_id)
            log = AccessLog.reveal_refused(
                self.get(AccessLog.id_for(ctx.site, month), AccessLog),
                site=ctx.site,
                month=month,
                at=now,
                staff_id=cmd.staff_id,
                role=member.role.value if member else None,
                ticket_id=self._named(ctx.site, cmd.ticket_id),
                purpose=cmd.purpose,
                reason=message,
                correlation_id=ctx.correlation_id,
            )
            error.trace.append(log)
        return error

    def refused_reveals(self, site: str, month: str) -> list[dict[str, Any]]:
        """The site's refused looks at contact details in `month` (YYYY-MM, local): for ops."""
        return refused_reveals(self.events.get(AccessLog.id_for(site, month)))

    # -- helpers --------------------------------------------------------------------------

    def _change(self, ctx: CommandContext, cmd: TicketCommand, change: Any) -> tuple[Any, list]:
        ticket = self.ticket_of_site(ctx.site, cmd.ticket_id)
        with as_reply():
            change(ticket, self.clock.now(), ctx.meta(cmd))
        reply = TicketReply(
            ticket_id=str(ticket.id), ticket_no=ticket.ticket_no, status=ticket.status
        )
        return reply, [ticket]

    # -- policy: what intake does when dispatch reports work done (consumed from DESK) -------

    def _work_done(self, event: WorkOrderSignedOffEvent) -> list[Any]:
        """When dispatch reports every work order of a ticket signed off, the ticket is resolved
        and its follow-up call (回访) is due."""
        changed = self._order_ended(event)
        if not event.data.ticket_done:
            return changed
        ticket = self.ticket(event.data.ticket_id)
        if ticket is None or not ticket.is_open:
            return changed
        if ticket.reopened_at is not None and event.recorded_at <= ticket.reopened_at:
            return changed  # a sign-off from before the ticket was reopened (a late republish)
        meta = {
            "actor": event.actor,
            "correlation_id": event.correlation_id,
            "causation_id": str(event.event_id),
        }
        # the ticket's orders with this one ended (not yet saved: not read from the store again)
        orders = next((c for c in changed if isinstance(c, TicketOrders)), None)
        orders = orders or self._orders(event.data.ticket_id)
        open_orders = orders.open_numbers if orders is not None else []
        try:
            ticket.resolve(
                at=self.clock.now(), meta=meta, resolution=WORK_DONE, open_orders=open_orders
            )
        except (TransitionError, RuleError):
            return changed  # not resolvable by itself: the desk resolves it
        return [*changed, ticket]

    # -- the ticket's work orders, as dispatch publishes them (R8.12) ------------------------------

    def _order_issued(self, event: WorkOrderIssuedEvent) -> list[Any]:
        """A new order of a ticket: open until it is signed off, referred, declined or
        cancelled."""
        if self.get(OrderOfTicket.id_for(event.aggregate_id), OrderOfTicket) is not None:
            return []  # read again
        now, ticket_id = self.clock.now(), event.data.ticket_id
        link = OrderOfTicket.link(order_id=event.aggregate_id, ticket_id=ticket_id, at=now)
        orders = self._orders(ticket_id) or TicketOrders.start(ticket_id=ticket_id, at=now)
        orders.opened(now, order_id=event.aggregate_id, order_no=event.data.order_no)
        return [link, orders]

    def _order_ended(
        self,
        event: WorkOrderSignedOffEvent
        | WorkOrderReferredEvent
        | QuoteDeclinedEvent
        | WorkOrderCancelledEvent,
    ) -> list[Any]:
        link = self.get(OrderOfTicket.id_for(event.aggregate_id), OrderOfTicket)
        orders = self._orders(link.ticket_id) if link is not None else None
        status = event.event_type.removeprefix("workorder.")
        if orders is None or not orders.ended(
            self.clock.now(), order_id=event.aggregate_id, status=status
        ):
            return []  # an order issued before intake followed them (2026-12): not known here
        return [orders]

    def _orders(self, ticket_id: UUID) -> TicketOrders | None:
        return self.get(TicketOrders.id_for(ticket_id), TicketOrders)

    def open_orders(self, ticket_id: UUID) -> list[str]:
        """The numbers of the ticket's work orders still open, as far as intake has read."""
        orders = self._orders(ticket_id)
        return orders.open_numbers if orders is not None else []

    def ticket(self, ticket_id: UUID) -> Ticket | None:
        return self.get(ticket_id, Ticket)

    def ticket_of_site(self, site: str, ref: UUID | str) -> Ticket:
        """A ticket, named by its id or number, is reachable only through its own site's
        subjects."""
        ticket = self.ticket(self.ticket_id_of(site, ref))
        if ticket is None or ticket.site != site:
            raise not_found(f"ticket {ref}")
        return ticket

    def _named(self, site: str, ref: UUID | str) -> UUID | None:
        """The id a refused command named, if any (a number the site does not have: none)."""
        try:
            return self.ticket_id_of(site, ref)
        except DeskError:
            return None

    def _reporters(self, site: str, month: str) -> list[dict[str, Any]]:
        """Who reported the site's tickets in `month` (YYYY-MM) and the five months before, each
        name and phone once (a resident who called ten times is masked once)."""
        found: dict[tuple[Any, Any], dict[str, Any]] = {}
        for m in months_back(month, 6):
            for event in self.events.get(TicketCounter.id_for(site, m.replace("-", ""))):
                reporter = getattr(event, "reporter", None)  # Issued; Started has none
                if reporter is not None:
                    found.setdefault((reporter.get("name"), reporter.get("phone")), reporter)
        return list(found.values())

    def _counter(self, site: str, month: str, now: datetime) -> TicketCounter:
        try:
            return self.repository.get(TicketCounter.id_for(site, month))
        except AggregateNotFoundError:
            return TicketCounter.start(site=site, month=month, at=now)

    def _report_reply(self, ticket: Ticket, *, duplicate: bool) -> ReportReply:
        appointment = ticket.appointment["start"] if ticket.appointment else None
        promised = [
            Promise(clock=p.clock, due_at=p.due_at, guessed_years=list(p.guessed_years))
            for p in self.site_config(ticket.site).promises(
                Kind(ticket.kind),
                ticket.channel,
                ticket.category,
                ticket.content,
                ticket.received_at,
                appointment,
            )
        ]
        return ReportReply(
            ticket_id=str(ticket.id),
            ticket_no=ticket.ticket_no,
            status=ticket.status,
            duplicate=duplicate,
            deadline=promised[-1] if promised else None,
            promises=promised,
            # gas, fire or smoke: the emergency plan (R4.10, R16.5), by dispatch's own rule
            emergency=ticket.kind in (Kind.repair, Kind.help) and is_emergency(ticket.content),
        )

    # -- the tables: what each command and each event on DESK is handled by --------------------

    handlers: ClassVar[dict[type, Handler]] = {
        ReportContact: _report,
        ClassifyTicket: _classify,
        LinkContact: _link,
        RevealContact: _reveal,
        ReplyToCustomer: _reply,
        AcceptSolution: _accept_solution,
        ResolveTicket: _resolve,
        RecordFollowUp: _follow_up,
        VerifyOnSite: _verify,
        ReopenTicket: _reopen,
        CancelTicket: _cancel,
        AttachMonthAnalysis: _analysis,
    }
    reactions: ClassVar[dict[type[Envelope], Reaction]] = {
        WorkOrderIssuedEvent: _order_issued,
        WorkOrderSignedOffEvent: _work_done,
        WorkOrderReferredEvent: _order_ended,
        QuoteDeclinedEvent: _order_ended,
        WorkOrderCancelledEvent: _order_ended,
    }


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)
