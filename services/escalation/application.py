"""Escalation application: starts and stops the clocks from the events on DESK, decides what has
fallen due, and takes the desk's pause, resume and acknowledge commands (docs/DOMAIN.md §5, §3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel

from services.escalation.domain import (
    SYSTEM,
    Board,
    Cause,
    ClockError,
    Notice,
    OrderLink,
    board_id_for,
    order_link_id_for,
)
from services.escalation.schedule import Schedule
from shared.contracts import escalation_commands as x
from shared.contracts import events as e
from shared.contracts import workorder_events as w
from shared.contracts.envelope import Envelope
from shared.contracts.vocabulary import Kind, Validity
from shared.contracts.workorder_events import Scope, Urgency
from shared.desk_app import CommandContext, DeskApplication
from shared.errors import conflict, invalid, not_found
from shared.repairs import scope_of
from shared.sites import SiteConfig
from shared.sla import (
    ClockName,
    Level,
    Role,
    climbs_ladder,
    collected_clock,
    on_site_clock,
    order_issued_clock,
    repair_clocks,
)
from shared.staff import acknowledging

FIX_CLOCKS = (ClockName.urgent_on_site, ClockName.urgent_fixed, ClockName.general_fixed)
ISSUE_CLOCKS = (ClockName.order_issued_household, ClockName.order_issued_public)
ALL_STATES = ("running", "paused", "stopped")


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
        board = self.get(board_id, Board)
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
                    board = self.get(board_id, Board)
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
        return reaction(self, event, site, Cause(SYSTEM, event.correlation_id, str(event.event_id)))

    def _board_of_ticket(self, event: Envelope) -> Board | None:
        return self.get(board_id_for(event.aggregate_id), Board)

    def _reported(self, event: e.TicketReportedEvent, site: SiteConfig, cause: Cause) -> list[Any]:
        if self._board_of_ticket(event) is not None:
            return []
        data = event.data
        board = Board.open(
            site=event.site,
            ticket_id=event.aggregate_id,
            ticket_no=data.ticket_no,
            kind=data.kind.value,
            received_at=data.received_at,
            at=event.occurred_at,
            correlation_id=event.correlation_id,
            causation_id=cause.causation_id,
        )
        self._start_for_kind(
            board, site, cause, event.occurred_at, category=data.category, unit=data.unit
        )
        return [board]

    def _on_ticket(self, event: Any, site: SiteConfig, cause: Cause) -> list[Any]:
        board = self._board_of_ticket(event)
        if board is None:
            return []
        at, work = event.occurred_at, site.worktime
        match event:
            case e.TicketClassifiedEvent():
                self._classified(board, event.data, site, cause, at)
            case e.TicketRepliedEvent():
                board.stop_clock(ClockName.help_reply.value, at, cause, work)
            case e.TicketResolvedEvent():
                for key in board.clock_keys():
                    board.stop_clock(key, at, cause, work)
                board.change_ladder("stopped", "resolved", at, cause)
                rule = site.sla.clock(ClockName.follow_up)
                board.start_clock(ClockName.follow_up.value, rule, work, at, at, cause)
            case e.FollowUpRecordedEvent():
                board.stop_clock(ClockName.follow_up.value, at, cause, work)
            case e.TicketReopenedEvent():
                board.record(Board.Reopened, at, cause)
                board.stop_clock(ClockName.follow_up.value, at, cause, work, cancelled=True)
                board.change_ladder("running", "reopened", at, cause)
            case e.TicketClosedEvent() | e.TicketCancelledEvent():
                cancelled = isinstance(event, e.TicketCancelledEvent)
                ended = "cancelled" if cancelled else "closed"
                for key in board.clock_keys():
                    board.stop_clock(key, at, cause, work, cancelled=cancelled)
                board.change_ladder("stopped", ended, at, cause)
                board.record(Board.Closed, at, cause, status=ended)
        return [board]

    def _start_for_kind(self, board: Board, site: SiteConfig, cause: Cause, at: datetime,
                        *, category: str | None, unit: str | None) -> None:  # fmt: skip
        work, received = site.worktime, board.received_at
        if board.kind == Kind.help:
            rule = site.sla.clock(ClockName.help_reply)
            board.start_clock(ClockName.help_reply.value, rule, work, received, at, cause)
        elif board.kind == Kind.repair and not board.orders:
            name = order_issued_clock(scope_of(category, unit))
            board.start_clock(name.value, site.sla.clock(name), work, received, at, cause)
        elif climbs_ladder(board.kind, board.validity):
            steps = {
                level.value: site.deadline(received, site.sla.ladder_after(level))
                for level in Level
            }
            upgrade = site.deadline(received, site.sla.upgrade_after)
            board.start_ladder(steps, upgrade, at, cause)

    def _classified(self, board: Board, data: Any, site: SiteConfig, cause: Cause,
                    at: datetime) -> None:  # fmt: skip
        work = site.worktime
        was = board.kind
        board.record(
            Board.Classified,
            at,
            cause,
            kind=data.kind.value,
            validity=data.validity.value if data.validity else None,
            severity=data.severity.value if data.severity else None,
        )
        if was != board.kind:  # what the old kind ran no longer applies
            for key in board.clock_keys(ClockName.help_reply, *ISSUE_CLOCKS):
                board.stop_clock(key, at, cause, work, cancelled=True)
            if was == Kind.complaint:
                board.change_ladder("left", f"reclassified as {board.kind}", at, cause)
        if board.validity == Validity.communicative:
            board.change_ladder("left", "communicative complaint (R5.6)", at, cause)
        self._start_for_kind(board, site, cause, at, category=data.category, unit=None)

    def _issued(self, event: w.WorkOrderIssuedEvent, site: SiteConfig, cause: Cause) -> list[Any]:
        changed: list[Any] = []
        link = self.get(order_link_id_for(event.aggregate_id), OrderLink)
        if link is None:
            link = OrderLink.link(event.aggregate_id, event.data.ticket_id, event.occurred_at)
            changed.append(link)
        board = self.get(board_id_for(link.ticket_id), Board)
        if board is None:
            return changed
        self._first_issued(board, event, site, cause, event.occurred_at)
        return [*changed, board]

    def _on_order(self, event: Any, site: SiteConfig, cause: Cause) -> list[Any]:
        link = self.get(order_link_id_for(event.aggregate_id), OrderLink)
        board = self.get(board_id_for(link.ticket_id), Board) if link else None
        if board is None:
            return []
        at, work = event.occurred_at, site.worktime
        order = board.orders.get(str(event.aggregate_id))
        match event:
            case w.ClassificationOverriddenEvent() if order is not None:
                self._overridden(board, event.data, site, cause, at)
            case w.WorkOrderCollectedEvent() if order is not None:
                board.stop_clock(_order_key(board, event, "collected"), at, cause, work)
                start = _later(at, order["appointment_start"])
                name = on_site_clock(Scope(order["scope"]))
                rule = site.sla.clock(name)
                board.start_clock(name.value, rule, work, start, at, cause, order["order_no"])
            case w.WorkOrderRescheduledEvent() if order is not None:
                name = on_site_clock(Scope(order["scope"]))
                key = f"{name.value}:{order['order_no']}"
                if board.running(key):  # a new appointment: arrival is counted from it
                    board.stop_clock(key, at, cause, work, cancelled=True)
                    start = _later(at, event.data.appointment.start)
                    rule = site.sla.clock(name)
                    board.start_clock(name.value, rule, work, start, at, cause, order["order_no"])
            case w.TechnicianArrivedEvent() if order is not None:
                board.stop_clock(_order_key(board, event, "on_site"), at, cause, work)
                board.stop_clock(ClockName.urgent_on_site.value, at, cause, work)
            case w.QuoteGivenEvent():
                if order is not None:
                    key = f"{ClockName.non_standard_assessed.value}:{order['order_no']}"
                    board.stop_clock(key, at, cause, work)
                for key in board.clock_keys(*FIX_CLOCKS, states=("running",)):
                    board.pause_clock(key, at, cause, work, "customer_consent", "quote given")
            case w.QuoteAcceptedEvent():
                # only the wait for the customer's consent ends: a pause for parts or access
                # (by command, maybe before this event was read) stays until resumed by hand
                for key in board.clock_keys(*FIX_CLOCKS, states=("paused",)):
                    if board.clocks[key]["pause_reason"] == "customer_consent":
                        board.resume_clock(key, at, cause, work)
            case w.QuoteDeclinedEvent() | w.WorkOrderReferredEvent():
                for key in board.clock_keys(*FIX_CLOCKS):
                    board.stop_clock(key, at, cause, work, cancelled=True)
            case w.WorkOrderCompletedEvent():
                board.stop_clock(ClockName.urgent_fixed.value, at, cause, work)
                board.stop_clock(ClockName.general_fixed.value, at, cause, work)
            case _:
                return []
        return [board]

    def _first_issued(self, board: Board, event: Any, site: SiteConfig, cause: Cause,
                      at: datetime) -> None:  # fmt: skip
        data, work = event.data, site.worktime
        if str(event.aggregate_id) in board.orders:
            return
        appointment = data.appointment.start if data.appointment else None
        board.record(
            Board.OrderNoted,
            at,
            cause,
            order_id=event.aggregate_id,
            order_no=data.order_no,
            urgency=data.urgency.value,
            scope=data.scope.value,
            appointment_start=appointment,
        )
        for key in board.clock_keys(*ISSUE_CLOCKS):
            board.stop_clock(key, at, cause, work)
        name = collected_clock(data.scope)
        board.start_clock(name.value, site.sla.clock(name), work, at, at, cause, data.order_no)
        if getattr(data, "non_standard", False):
            name = ClockName.non_standard_assessed
            board.start_clock(name.value, site.sla.clock(name), work, at, at, cause, data.order_no)
        if data.origin != "rework" and not board.clock_keys(*FIX_CLOCKS, states=ALL_STATES):
            self._start_fix(board, data.urgency, appointment, site, cause, at)

    def _start_fix(self, board: Board, urgency: Urgency, appointment: datetime | None,
                   site: SiteConfig, cause: Cause, at: datetime) -> None:  # fmt: skip
        for name in repair_clocks(urgency, Scope.household):
            start = board.received_at
            if name is ClockName.general_fixed:  # R7.3: or from the appointment's start
                start = _later(start, appointment)
            board.start_clock(name.value, site.sla.clock(name), site.worktime, start, at, cause)

    def _overridden(self, board: Board, data: Any, site: SiteConfig, cause: Cause,
                    at: datetime) -> None:  # fmt: skip
        wanted = {n.value for n in repair_clocks(data.urgency, data.scope)}
        running = board.clock_keys(*FIX_CLOCKS)
        if {board.clocks[k]["clock"] for k in running} == wanted or not running:
            return
        for key in running:
            board.stop_clock(key, at, cause, site.worktime, cancelled=True)
        appointment = next(
            (o["appointment_start"] for o in board.orders.values() if o["appointment_start"]),
            None,
        )
        self._start_fix(board, data.urgency, appointment, site, cause, at)

    # -- commands -------------------------------------------------------------------------

    def _board(self, ctx: CommandContext, ticket_id: UUID) -> Board:
        board = self.get(board_id_for(ticket_id), Board)
        if board is None or board.site != ctx.site:
            raise not_found(f"clocks of ticket {ticket_id}")
        return board

    def _pause(self, ctx: CommandContext, cmd: x.PauseClock) -> tuple[BaseModel, list[Any]]:
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
        return x.ClocksReply(ticket_id=cmd.ticket_id, clocks=keys), [board]

    def _resume(self, ctx: CommandContext, cmd: x.ResumeClock) -> tuple[BaseModel, list[Any]]:
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
        return x.ClocksReply(ticket_id=cmd.ticket_id, clocks=keys), [board]

    def _ack(
        self, ctx: CommandContext, cmd: x.AcknowledgeNotification
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
        reply = x.AcknowledgedReply(
            notification_id=notice.id,
            role=notice.role,
            ticket_id=notice.ticket_id,
            acknowledged_by=cmd.staff_id,
        )
        return reply, [notice]

    handlers: ClassVar[dict[type, Any]] = {
        x.PauseClock: _pause,
        x.ResumeClock: _resume,
        x.AcknowledgeNotification: _ack,
    }


Reaction = Callable[[EscalationApp, Any, SiteConfig, Cause], list[Any]]
# Every event on DESK escalation reacts to, and how; the rest leave the clocks as they are.
REACTIONS: dict[type[Envelope], Reaction] = {
    e.TicketReportedEvent: EscalationApp._reported,
    e.TicketClassifiedEvent: EscalationApp._on_ticket,
    e.TicketRepliedEvent: EscalationApp._on_ticket,
    e.TicketResolvedEvent: EscalationApp._on_ticket,
    e.FollowUpRecordedEvent: EscalationApp._on_ticket,
    e.TicketReopenedEvent: EscalationApp._on_ticket,
    e.TicketClosedEvent: EscalationApp._on_ticket,
    e.TicketCancelledEvent: EscalationApp._on_ticket,
    w.WorkOrderIssuedEvent: EscalationApp._issued,
    w.ClassificationOverriddenEvent: EscalationApp._on_order,
    w.WorkOrderCollectedEvent: EscalationApp._on_order,
    w.WorkOrderRescheduledEvent: EscalationApp._on_order,
    w.TechnicianArrivedEvent: EscalationApp._on_order,
    w.QuoteGivenEvent: EscalationApp._on_order,
    w.QuoteAcceptedEvent: EscalationApp._on_order,
    w.QuoteDeclinedEvent: EscalationApp._on_order,
    w.WorkOrderReferredEvent: EscalationApp._on_order,
    w.WorkOrderCompletedEvent: EscalationApp._on_order,
}


def _decision(board: Board, event: Any) -> dict[str, Any]:
    return {
        "event": DECISIONS[type(event)],
        "ticket_id": str(board.ticket_id),
        "ticket_no": board.ticket_no,
        "subject": getattr(event, "key", None) or getattr(event, "level", None) or "major",
    }


DECISIONS: dict[type, str] = {
    Board.ClockWarned: "clock_warned",
    Board.ClockBreached: "clock_breached",
    Board.ComplaintEscalated: "complaint_escalated",
    Board.ComplaintUpgraded: "complaint_upgraded",
}


def _later(a: datetime, b: datetime | None) -> datetime:
    return b if b is not None and b > a else a


def _order_key(board: Board, event: Any, stage: str) -> str:
    order = board.orders[str(event.aggregate_id)]
    scope = Scope(order["scope"])
    name = collected_clock(scope) if stage == "collected" else on_site_clock(scope)
    return f"{name.value}:{order['order_no']}"
