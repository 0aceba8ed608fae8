"""Escalation application: starts and stops the clocks from the events on DESK, decides what has
fallen due, and takes the desk's pause, resume and acknowledge commands (docs/DOMAIN.md §5, §3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel

from services.escalation import policy
from services.escalation.domain import (
    SYSTEM,
    Cause,
    ClockError,
    Notice,
    OrderLink,
    TicketClocks,
    board_id_for,
    order_link_id_for,
)
from services.escalation.schedule import Schedule
from shared.contracts import escalation_commands, workorder_events
from shared.contracts import events as ticket_events
from shared.contracts.envelope import Envelope
from shared.eventstore.desk_app import CommandContext, DeskApplication
from shared.kernel.sites import SiteConfig
from shared.kernel.staff import acknowledging
from shared.kernel.vocabulary import Role
from shared.logging import get_logger
from shared.messaging.errors import conflict, invalid, not_found

log = get_logger("escalation")


class EscalationApp(DeskApplication):
    name = "escalation"

    def __init__(self, *args: Any, schedule: Schedule | str = ":memory:", **kwargs: Any) -> None:
        """`schedule`: the index of what falls due, or its file, opened once the store (and
        so its lock) is held."""
        super().__init__(*args, **kwargs)
        try:
            self.schedule = Schedule(schedule) if isinstance(schedule, str) else schedule
        except BaseException:
            self.close()
            raise
        with self.writing:
            self.schedule.catch_up(self)

    # -- writing: every write is followed by the schedule ---------------------------------

    def execute(self, ctx: CommandContext, cmd: Any) -> dict[str, Any]:
        with self.writing:
            reply = self._execute(ctx, cmd)
            self.schedule.catch_up(self)
            return reply

    def apply(self, deliveries: Any) -> None:
        with self.writing:
            self._apply(deliveries)
            self.schedule.catch_up(self)

    def retry_parked(self, consumer: str, delivery: Any) -> None:
        with self.writing:
            try:
                self._retry_parked(consumer, delivery)
            finally:
                self.schedule.catch_up(self)

    def next_due(self, board_id: UUID) -> datetime | None:
        board = self.get(board_id, TicketClocks)
        return board.next_due() if board is not None else None

    def due_by(self, at: datetime) -> bool:
        """Whether a decision falls due by `at`."""
        return bool(self.schedule.due(at, limit=1))

    def tick(self) -> list[dict[str, Any]]:
        """Record every decision due by now; returns what was decided, in order."""
        with self.writing:
            now = self.clock.now()
            decided: list[dict[str, Any]] = []
            while True:
                due = self.schedule.due(now)
                if not due:
                    return decided
                changed: list[Any] = []
                for board_id in due:
                    board = self.get(board_id, TicketClocks)
                    if board is None:
                        continue
                    changed.extend(board.decide(now))
                    decided.extend(_decision(board, ev) for ev in board.pending_events)
                    changed.append(board)
                self.save(*changed)
                # a row due by `now` that decided nothing (its deadline moved) is set right here
                self.schedule.set_due((b, self.next_due(b)) for b in due)
                self.schedule.catch_up(self)

    # -- policy: what the clocks do when DESK changes -----------------------------------

    def react(self, event: Envelope) -> list[Any]:
        reaction = REACTIONS.get(type(event))
        site = self.sites.get(event.site)
        if reaction is None or site is None:
            return []
        changed = reaction(
            self, event, site, Cause(SYSTEM, event.correlation_id, str(event.event_id))
        )
        _warn_guessed(changed)
        return changed

    def _board_of_ticket(self, event: Envelope) -> TicketClocks | None:
        return self.get(board_id_for(event.aggregate_id), TicketClocks)

    def _board_of_order(self, event: Envelope) -> TicketClocks | None:
        link = self.get(order_link_id_for(event.aggregate_id), OrderLink)
        return self.get(board_id_for(link.ticket_id), TicketClocks) if link else None

    def _reported(
        self, event: ticket_events.TicketReportedEvent, site: SiteConfig, cause: Cause
    ) -> list[Any]:
        if self._board_of_ticket(event) is not None:
            return []
        data = event.data
        board = TicketClocks.open(
            site=event.site,
            ticket_id=event.aggregate_id,
            ticket_no=data.ticket_no,
            kind=data.kind.value,
            received_at=data.received_at,
            at=event.occurred_at,
            correlation_id=event.correlation_id,
            causation_id=cause.causation_id,
        )
        policy.run(board, event, site, cause)
        return [board, *self.note_number(event.site, data.ticket_no, event.aggregate_id)]

    def _classified(self, event: ticket_events.TicketClassifiedEvent, site: SiteConfig,
                    cause: Cause) -> list[Any]:  # fmt: skip
        board = self._board_of_ticket(event)
        if board is None:
            return []
        was, data = board.kind, event.data
        board.record(
            TicketClocks.Classified,
            event.occurred_at,
            cause,
            kind=data.kind.value,
            validity=data.validity.value if data.validity else None,
            severity=data.severity.value if data.severity else None,
        )
        policy.run(board, event, site, cause, was_kind=was)
        return [board]

    def _reopened(self, event: ticket_events.TicketReopenedEvent, site: SiteConfig,
                  cause: Cause) -> list[Any]:  # fmt: skip
        board = self._board_of_ticket(event)
        if board is None:
            return []
        board.record(TicketClocks.Reopened, event.occurred_at, cause)
        policy.run(board, event, site, cause)
        return [board]

    def _ended(self, event: Envelope, site: SiteConfig, cause: Cause) -> list[Any]:
        """Closed or cancelled: the clocks stop first, then the board records the end."""
        board = self._board_of_ticket(event)
        if board is None:
            return []
        policy.run(board, event, site, cause)
        status = "cancelled" if isinstance(event, ticket_events.TicketCancelledEvent) else "closed"
        board.record(TicketClocks.Closed, event.occurred_at, cause, status=status)
        return [board]

    def _on_ticket(self, event: Envelope, site: SiteConfig, cause: Cause) -> list[Any]:
        board = self._board_of_ticket(event)
        if board is None:
            return []
        policy.run(board, event, site, cause)
        return [board]

    def _issued(
        self, event: workorder_events.WorkOrderIssuedEvent, site: SiteConfig, cause: Cause
    ) -> list[Any]:
        """Links the order to its ticket (later work-order events name only the order)."""
        changed: list[Any] = []
        link = self.get(order_link_id_for(event.aggregate_id), OrderLink)
        if link is None:
            link = OrderLink.link(event.aggregate_id, event.data.ticket_id, event.occurred_at)
            changed.append(link)
        board = self.get(board_id_for(link.ticket_id), TicketClocks)
        if board is None:
            return changed
        data = event.data
        if str(event.aggregate_id) not in board.orders:  # else a repeat: done already
            board.record(
                TicketClocks.OrderNoted,
                event.occurred_at,
                cause,
                order_id=event.aggregate_id,
                order_no=data.order_no,
                urgency=data.urgency.value,
                scope=data.scope.value,
                appointment_start=data.appointment.start if data.appointment else None,
                appointment_end=data.appointment.end if data.appointment else None,
            )
            policy.run(board, event, site, cause)
        return [*changed, board]

    def _on_order(self, event: Envelope, site: SiteConfig, cause: Cause) -> list[Any]:
        board = self._board_of_order(event)
        if board is None:
            return []
        policy.run(board, event, site, cause)
        return [board]

    # -- commands -------------------------------------------------------------------------

    def _board(self, ctx: CommandContext, ref: UUID | str) -> TicketClocks:
        """The clocks of a ticket named by its id or number."""
        board = self.get(board_id_for(self.ticket_id_of(ctx.site, ref)), TicketClocks)
        if board is None or board.site != ctx.site:
            raise not_found(f"clocks of ticket {ref}")
        return board

    def _pause(
        self, ctx: CommandContext, cmd: escalation_commands.PauseClock
    ) -> tuple[BaseModel, list[Any]]:
        board = self._board(ctx, cmd.ticket_id)
        keys = [cmd.clock] if cmd.clock else board.clock_keys(states=("running",))
        if not keys:
            raise conflict("no clock of this ticket is running")
        cause = Cause(cmd.staff_id, ctx.correlation_id, cmd.command_id)
        work = self.site_config(ctx.site).worktime
        try:
            for key in keys:
                board.pause_clock(key, self.clock.now(), cause, work, cmd.reason, cmd.note)
        except ClockError as exc:
            raise invalid(str(exc), exc.field) from None
        return escalation_commands.ClocksReply(ticket_id=board.ticket_id, clocks=keys), [board]

    def _resume(
        self, ctx: CommandContext, cmd: escalation_commands.ResumeClock
    ) -> tuple[BaseModel, list[Any]]:
        board = self._board(ctx, cmd.ticket_id)
        keys = [cmd.clock] if cmd.clock else board.clock_keys(states=("paused",))
        if not keys:
            raise conflict("no clock of this ticket is paused")
        cause = Cause(cmd.staff_id, ctx.correlation_id, cmd.command_id)
        work = self.site_config(ctx.site).worktime
        try:
            for key in keys:
                board.resume_clock(key, self.clock.now(), cause, work)
        except ClockError as exc:
            raise invalid(str(exc), exc.field) from None
        _warn_guessed([board])
        return escalation_commands.ClocksReply(ticket_id=board.ticket_id, clocks=keys), [board]

    def _ack(
        self, ctx: CommandContext, cmd: escalation_commands.AcknowledgeNotification
    ) -> tuple[BaseModel, list[Any]]:
        notice = self.get(cmd.notification_id, Notice)
        if notice is None or notice.site != ctx.site:
            raise not_found(f"notification {cmd.notification_id}")
        self.require(ctx, cmd, acknowledging(Role(notice.role)))
        try:
            notice.acknowledge(
                cmd.staff_id, ctx.correlation_id, cmd.command_id, cmd.note, self.clock.now()
            )
        except ClockError as exc:
            raise conflict(str(exc)) from None
        reply = escalation_commands.AcknowledgedReply(
            notification_id=notice.id,
            role=notice.role,
            ticket_id=notice.ticket_id,
            acknowledged_by=cmd.staff_id,
        )
        return reply, [notice]

    handlers: ClassVar[dict[type, Any]] = {
        escalation_commands.PauseClock: _pause,
        escalation_commands.ResumeClock: _resume,
        escalation_commands.AcknowledgeNotification: _ack,
    }


Reaction = Callable[[EscalationApp, Any, SiteConfig, Cause], list[Any]]
# Every event on DESK escalation reacts to, and how; the rest leave the clocks as they are.
REACTIONS: dict[type[Envelope], Reaction] = {
    ticket_events.TicketReportedEvent: EscalationApp._reported,
    ticket_events.TicketClassifiedEvent: EscalationApp._classified,
    ticket_events.ContactLinkedEvent: EscalationApp._on_ticket,
    ticket_events.TicketRepliedEvent: EscalationApp._on_ticket,
    ticket_events.TicketResolvedEvent: EscalationApp._on_ticket,
    ticket_events.FollowUpRecordedEvent: EscalationApp._on_ticket,
    ticket_events.VerifiedOnSiteEvent: EscalationApp._on_ticket,
    ticket_events.TicketReopenedEvent: EscalationApp._reopened,
    ticket_events.TicketClosedEvent: EscalationApp._ended,
    ticket_events.TicketCancelledEvent: EscalationApp._ended,
    workorder_events.WorkOrderIssuedEvent: EscalationApp._issued,
    workorder_events.ClassificationOverriddenEvent: EscalationApp._on_order,
    workorder_events.WorkOrderCollectedEvent: EscalationApp._on_order,
    workorder_events.WorkOrderRescheduledEvent: EscalationApp._on_order,
    workorder_events.TechnicianArrivedEvent: EscalationApp._on_order,
    workorder_events.QuoteGivenEvent: EscalationApp._on_order,
    workorder_events.QuoteAcceptedEvent: EscalationApp._on_order,
    workorder_events.QuoteDeclinedEvent: EscalationApp._on_order,
    workorder_events.WorkOrderReferredEvent: EscalationApp._on_order,
    workorder_events.WorkOrderCancelledEvent: EscalationApp._on_order,
    workorder_events.WorkOrderCompletedEvent: EscalationApp._on_order,
}


def _warn_guessed(changed: list[Any]) -> None:
    """Every deadline counted across a year whose working days are not known is said in the log
    as well as on its event (`guessed_years`): never silent."""
    for board in changed:
        if not isinstance(board, TicketClocks):
            continue
        for event in board.pending_events:
            years = getattr(event, "guessed_years", ())
            if years:
                log.warning(
                    "worktime.guessed_deadline",
                    site=board.site,
                    ticket_no=board.ticket_no,
                    clock=event.key,
                    deadline=event.deadline.isoformat(),
                    years=list(years),
                )


def _decision(board: TicketClocks, event: Any) -> dict[str, Any]:
    if isinstance(event, TicketClocks.MajorReported):
        subject = f"major:{event.role}"
    else:
        subject = getattr(event, "key", None) or getattr(event, "level", None) or "major"
    return {
        "event": DECISIONS[type(event)],
        "ticket_id": str(board.ticket_id),
        "ticket_no": board.ticket_no,
        "subject": subject,
    }


DECISIONS: dict[type, str] = {
    TicketClocks.ClockWarned: "clock_warned",
    TicketClocks.ClockBreached: "clock_breached",
    TicketClocks.ComplaintEscalated: "complaint_escalated",
    TicketClocks.ComplaintUpgraded: "complaint_upgraded",
    TicketClocks.MajorReported: "major_reported",
    TicketClocks.MajorSuggested: "major_suggested",
}
