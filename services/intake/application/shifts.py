"""First-contact ownership (首问负责制, R10.1) and the desk's shift log (交接班记录, R15.9–R15.12;
docs/SHIFTS.md): one handler per command, load → change → save, and `shift.show`.

Who owns a ticket: the staff member who took the contact (the `staff_id` of `intake.report`,
recorded as the ticket's `owner`) until a hand-over is recorded. Only the owner, or a supervisor
or manager (shared/kernel/shifts.py `HAND_OVER_ANY`), may hand it over, to a member of the site's
staff list. A site that lists no staff checks only that the giver is the owner."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from services.intake.domain.shift_log import ShiftLog, shift_log_id
from shared.contracts.shifts import (
    CloseShift,
    HandOverTicket,
    OwnerReply,
    ShiftCommand,
    ShiftLogView,
    ShiftReply,
    ShowShift,
    SignShift,
    WriteShiftEntry,
)
from shared.eventstore.desk_app import CommandContext
from shared.kernel.shifts import HAND_OVER_ANY, ShiftStatus, shift_label
from shared.kernel.sites import SiteConfig
from shared.kernel.vocabulary import OPEN_STATUSES
from shared.messaging.errors import as_reply, invalid, not_found
from shared.messaging.publishing import mask

if TYPE_CHECKING:
    from services.intake.application import IntakeApp

Result = tuple[BaseModel, list[Any]]
_MINUTE = timedelta(minutes=1)


# -- ownership --------------------------------------------------------------------------------


def hand_over(app: IntakeApp, ctx: CommandContext, cmd: HandOverTicket) -> Result:
    ticket = app.ticket_of_site(ctx.site, cmd.ticket_id)
    member = app.member(ctx, cmd)  # refused unless on the staff list (where there is one)
    may_hand_any = member is not None and member.role in HAND_OVER_ANY
    if cmd.staff_id != ticket.owner and not may_hand_any:
        raise app.refuse(
            ctx,
            cmd,
            f"only the ticket's owner {ticket.owner} or a supervisor or manager may hand it "
            f"over; staff {cmd.staff_id} is neither (R10.1, R1.7)",
        )
    app.listed(ctx.site, "to_staff", cmd.to_staff)
    with as_reply():
        ticket.hand_over(
            at=app.clock.now(),
            meta=ctx.meta(cmd),
            to_staff=cmd.to_staff,
            reason=cmd.reason,
            may_hand_any=may_hand_any,
        )
    reply = OwnerReply(
        ticket_id=str(ticket.id), ticket_no=ticket.ticket_no, status=ticket.status,
        owner=ticket.owner,
    )  # fmt: skip
    return reply, [ticket]


# -- the shift log ----------------------------------------------------------------------------


def _bounds(config: SiteConfig, label: str | None, at: datetime) -> tuple[datetime, datetime]:
    """The start and end of the shift named (or the one `at` falls in)."""
    shifts, zone = config.shifts, config.zone
    if label is None:
        return shifts.shift_of(at, zone)
    start = datetime.fromisoformat(label).replace(tzinfo=zone)
    if not shifts.is_start(start, zone):
        starts = ", ".join(t.strftime("%H:%M") for t in sorted(shifts.starts))
        raise invalid(f"{label} starts no shift of the site (shifts start at {starts})", "shift")
    return shifts.shift_of(start, zone)


def _log(app: IntakeApp, site: str, start: datetime) -> ShiftLog | None:
    log = app.get(shift_log_id(site, shift_label(start, app.site_config(site).zone)), ShiftLog)
    return log if log is not None and log.site == site else None


def _chosen(app: IntakeApp, site: str, cmd: ShiftCommand, outgoing: ShiftStatus | None,
            now: datetime) -> tuple[datetime, datetime, ShiftLog | None]:  # fmt: skip
    """The shift a command names; unnamed, the previous shift if its log is `outgoing`
    (the handover under way at shift change), else the shift now."""
    config = app.site_config(site)
    start, end = _bounds(config, cmd.shift, now)
    if cmd.shift is None and outgoing is not None:
        before, ended = config.shifts.shift_of(start - _MINUTE, config.zone)
        previous = _log(app, site, before)
        if previous is not None and previous.status is outgoing:
            return before, ended, previous
    return start, end, _log(app, site, start)


def _opened(app: IntakeApp, ctx: CommandContext, cmd: ShiftCommand, start: datetime,
            end: datetime, log: ShiftLog | None) -> ShiftLog:  # fmt: skip
    if log is not None:
        return log
    zone = app.site_config(ctx.site).zone
    with as_reply():
        return ShiftLog.open(
            site=ctx.site,
            label=shift_label(start, zone),
            starts_at=start,
            ends_at=end,
            at=app.clock.now(),
            meta=ctx.meta(cmd),
        )


def shift_reply(log: ShiftLog) -> ShiftReply:
    """Its times in the site's zone, as the log's own start is."""
    zone = log.starts_at.tzinfo
    return ShiftReply(
        shift_id=str(log.id),
        shift=log.label,
        status=log.status,
        entries=len(log.entries),
        pending=len(log.pending),
        sign_by=log.sign_by.astimezone(zone) if log.sign_by else None,
        signed_by=[s["by"] for s in log.signatures],
    )


def write_entry(app: IntakeApp, ctx: CommandContext, cmd: WriteShiftEntry) -> Result:
    app.member(ctx, cmd)
    now = app.clock.now()
    ticket = app.ticket_of_site(ctx.site, cmd.ticket_id) if cmd.ticket_id is not None else None
    start, end, log = _chosen(app, ctx.site, cmd, None, now)
    log = _opened(app, ctx, cmd, start, end, log)
    with as_reply():
        log.write(
            at=now,
            meta=ctx.meta(cmd),
            kind=cmd.kind.value,
            text=cmd.text,
            ticket_id=ticket.id if ticket else None,
            ticket_no=ticket.ticket_no if ticket else None,
        )
    return shift_reply(log), [log]


def close_shift(app: IntakeApp, ctx: CommandContext, cmd: CloseShift) -> Result:
    app.member(ctx, cmd)
    now = app.clock.now()
    start, end, log = _chosen(app, ctx.site, cmd, ShiftStatus.open, now)
    pending = []
    seen = set()
    for ref in cmd.pending:
        ticket = app.ticket_of_site(ctx.site, ref)
        # closed since the desk listed it (reporting's view lags a moment): nothing pending
        if ticket.id in seen or ticket.status not in OPEN_STATUSES:
            continue
        seen.add(ticket.id)
        pending.append({"ticket_id": str(ticket.id), "ticket_no": ticket.ticket_no,
                        "owner": ticket.owner, "status": str(ticket.status)})  # fmt: skip
    log = _opened(app, ctx, cmd, start, end, log)
    with as_reply():
        log.close(
            at=now,
            meta=ctx.meta(cmd),
            pending=pending,
            note=cmd.note,
            sign_within=app.site_config(ctx.site).shifts.sign_within,
        )
    return shift_reply(log), [log]


def sign_shift(app: IntakeApp, ctx: CommandContext, cmd: SignShift) -> Result:
    member = app.member(ctx, cmd)
    now = app.clock.now()
    start, _, log = _chosen(app, ctx.site, cmd, ShiftStatus.closed, now)
    if log is None:
        zone = app.site_config(ctx.site).zone
        raise not_found(f"shift log {shift_label(start, zone)}")
    with as_reply():
        log.sign(at=now, meta=ctx.meta(cmd), role=member.role.value if member else None)
    return shift_reply(log), [log]


# -- shift.show ---------------------------------------------------------------------------------


def show_shift(app: IntakeApp, site: str, query: ShowShift) -> ShiftLogView:
    config = app.site_config(site)
    start, end = _bounds(config, query.shift, app.clock.now())
    if query.previous:
        start, end = config.shifts.shift_of(start - _MINUTE, config.zone)
    label = shift_label(start, config.zone)
    log = _log(app, site, start)
    if log is None:
        return ShiftLogView(
            shift=label, starts_at=start, ends_at=end, status="none", entries=[], pending=[],
            note=None, closed_by=None, closed_at=None, sign_by=None, signatures=[],
        )  # fmt: skip

    def local(when: datetime | None) -> datetime | None:  # shown in the site's zone
        return when.astimezone(config.zone) if when is not None else None

    entries = [e | {"text": mask(e["text"]) or "", "at": local(e["at"])} for e in log.entries]
    return ShiftLogView.model_validate(
        {
            "shift": label,
            "starts_at": local(log.starts_at),
            "ends_at": local(log.ends_at),
            "status": log.status,
            "entries": entries,
            "pending": log.pending,
            "note": mask(log.note),
            "closed_by": log.closed_by,
            "closed_at": local(log.closed_at),
            "sign_by": local(log.sign_by),
            "signatures": [s | {"at": local(s["at"])} for s in log.signatures],
        }
    )


HANDLERS = {
    HandOverTicket: hand_over,
    WriteShiftEntry: write_entry,
    CloseShift: close_shift,
    SignShift: sign_shift,
}
