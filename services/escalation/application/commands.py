"""The desk's commands to escalation: pause and resume a ticket's clocks (consent, access,
parts), and acknowledge a notification (where the site lists its staff, by the notice's role
or one above it: shared/kernel/staff.py). `HANDLERS`: command class → handler."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from pydantic import BaseModel

from services.escalation.application.guessed_years import warn_guessed
from services.escalation.domain import Cause, ClockError, Notice, TicketClocks, board_id_for
from shared.contracts import escalation_commands
from shared.eventstore.desk_app import CommandContext, Handler
from shared.kernel.inspection import EXTENDABLE_CLOCKS
from shared.kernel.staff import Permission, acknowledging
from shared.kernel.vocabulary import Role
from shared.messaging.errors import conflict, invalid, not_found

if TYPE_CHECKING:
    from services.escalation.application import EscalationApp

Outcome = tuple[BaseModel, list[Any]]


def _board(app: EscalationApp, ctx: CommandContext, ref: UUID | str) -> TicketClocks:
    """The clocks of a ticket named by its id or number."""
    board = app.get(board_id_for(app.ticket_id_of(ctx.site, ref)), TicketClocks)
    if board is None or board.site != ctx.site:
        raise not_found(f"clocks of ticket {ref}")
    return board


def pause(app: EscalationApp, ctx: CommandContext, cmd: escalation_commands.PauseClock) -> Outcome:
    board = _board(app, ctx, cmd.ticket_id)
    keys = [cmd.clock] if cmd.clock else board.clock_keys(states=("running",))
    if not keys:
        raise conflict("no clock of this ticket is running")
    cause = Cause(cmd.staff_id, ctx.correlation_id, cmd.command_id)
    work = app.site_config(ctx.site).worktime
    try:
        for key in keys:
            board.pause_clock(key, app.clock.now(), cause, work, cmd.reason, cmd.note)
    except ClockError as exc:
        raise invalid(str(exc), exc.field) from None
    return escalation_commands.ClocksReply(ticket_id=board.ticket_id, clocks=keys), [board]


def resume(app: EscalationApp, ctx: CommandContext,
           cmd: escalation_commands.ResumeClock) -> Outcome:  # fmt: skip
    board = _board(app, ctx, cmd.ticket_id)
    keys = [cmd.clock] if cmd.clock else board.clock_keys(states=("paused",))
    if not keys:
        raise conflict("no clock of this ticket is paused")
    cause = Cause(cmd.staff_id, ctx.correlation_id, cmd.command_id)
    work = app.site_config(ctx.site).worktime
    try:
        for key in keys:
            board.resume_clock(key, app.clock.now(), cause, work)
    except ClockError as exc:
        raise invalid(str(exc), exc.field) from None
    warn_guessed([board])
    return escalation_commands.ClocksReply(ticket_id=board.ticket_id, clocks=keys), [board]


def extend(app: EscalationApp, ctx: CommandContext,
           cmd: escalation_commands.ExtendClock) -> Outcome:  # fmt: skip
    """A later deadline, approved by the manager (C12); only a finding's week moves (R13.16)."""
    board = _board(app, ctx, cmd.ticket_id)
    approvers = app.site_config(ctx.site).inspection.extension_approvers
    action = "extending an inspection finding's deadline"
    app.require(ctx, cmd, Permission(action, frozenset(approvers), "R13.16, C12"))
    clock = board.clocks.get(cmd.clock)
    if clock is None or clock["clock"] not in EXTENDABLE_CLOCKS:
        extendable = ", ".join(sorted(EXTENDABLE_CLOCKS))
        raise invalid(f"only {extendable} may be extended, not {cmd.clock!r}", "clock")
    cause = Cause(cmd.staff_id, ctx.correlation_id, cmd.command_id)
    work = app.site_config(ctx.site).worktime
    try:
        board.extend_clock(cmd.clock, cmd.until, app.clock.now(), cause, work, cmd.reason)
    except ClockError as exc:
        raise conflict(str(exc)) from None
    return escalation_commands.ClocksReply(ticket_id=board.ticket_id, clocks=[cmd.clock]), [board]


def acknowledge(app: EscalationApp, ctx: CommandContext,
                cmd: escalation_commands.AcknowledgeNotification) -> Outcome:  # fmt: skip
    notice = app.get(cmd.notification_id, Notice)
    if notice is None or notice.site != ctx.site:
        raise not_found(f"notification {cmd.notification_id}")
    app.require(ctx, cmd, acknowledging(Role(notice.role)))
    now = app.clock.now()
    try:
        notice.acknowledge(cmd.staff_id, ctx.correlation_id, cmd.command_id, cmd.note, now)
    except ClockError as exc:
        raise conflict(str(exc)) from None
    # its board owes it no more (domain/told.py): an end will not read it
    board = app.board(notice.board_id)
    cause = Cause(cmd.staff_id, ctx.correlation_id, cmd.command_id)
    settled = [board] if board is not None and board.settle([notice.id], now, cause) else []
    reply = escalation_commands.AcknowledgedReply(
        notification_id=notice.id,
        role=notice.role,
        ticket_id=notice.ticket_id,
        ticket_no=notice.ticket_no,
        acknowledged_by=cmd.staff_id,
    )
    return reply, [notice, *settled]


HANDLERS: dict[type, Handler] = {
    escalation_commands.PauseClock: pause,
    escalation_commands.ResumeClock: resume,
    escalation_commands.AcknowledgeNotification: acknowledge,
    escalation_commands.ExtendClock: extend,
}
