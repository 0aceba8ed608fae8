"""Maintenance and outage notices (维修通告, R7.9, R7.10, R16.6; docs/OUTAGES.md): one handler per
command, load → change → save, and `link_report`, which links a new contact to the notices in
force that answer it (the matching rule: `MaintenanceNotice.answers`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from pydantic import BaseModel

from services.intake.application.times import not_in_future
from services.intake.domain import MaintenanceNotice, NoticeBoard, Ticket
from services.intake.domain.maintenance_notice import notice_id_for
from services.intake.domain.outage_calls import settled_by_its_end
from services.intake.domain.resident import Unit, unit_id_for
from shared.contracts.maintenance_commands import (
    AnnounceNotice,
    CancelNotice,
    EndNotice,
    ExplainNotice,
    LinkToNotice,
    NoticeCommand,
    NoticeReply,
    ReviseRestoration,
    UnlinkFromNotice,
)
from shared.eventstore.desk_app import CommandContext
from shared.kernel.maintenance import (
    KIND_CATEGORIES,
    NoticeKind,
    NoticeStatus,
    announced_in_time,
    is_planned,
)
from shared.messaging.errors import as_reply, invalid, not_found

if TYPE_CHECKING:
    from services.intake.application import IntakeApp

Result = tuple[BaseModel, list[Any]]


def notice_reply(notice: MaintenanceNotice) -> NoticeReply:
    return NoticeReply(
        notice_id=str(notice.id),
        notice_no=notice.notice_no,
        status=notice.status,
        late=notice.late,
        expected_end=notice.expected_end.isoformat(),
        linked=sorted(notice.linked.values()),
    )


def board_of(app: IntakeApp, site: str, at: datetime) -> NoticeBoard:
    try:
        return app.repository.get(NoticeBoard.id_for(site))
    except AggregateNotFoundError:
        return NoticeBoard.start(site=site, at=at)


def announce(app: IntakeApp, ctx: CommandContext, cmd: AnnounceNotice) -> Result:
    site = app.site_config(ctx.site)
    notice_id = notice_id_for(ctx.site, cmd.client_ref)
    existing = app.get(notice_id, MaintenanceNotice)
    if existing is not None:
        return notice_reply(existing), []
    unknown = [c for c in cmd.categories if c not in site.categories]
    if unknown:
        raise invalid(f"unknown categories {unknown} for site {ctx.site}", "categories")
    now = app.clock.now()
    announced_at = not_in_future(cmd.announced_at, now, "announced_at")
    planned = is_planned(cmd.kind, cmd.planned)
    late = planned and not announced_in_time(announced_at, cmd.starts_at, site.zone)
    if late and site.maintenance.late_planned == "refuse":  # R7.9, the site's choice
        raise invalid(
            "planned work must be announced to the households the day before it starts (R7.9)",
            "starts_at",
        )
    policy = site.maintenance
    board = board_of(app, ctx.site, now)
    with as_reply():
        notice = MaintenanceNotice.announce(
            notice_id=notice_id,
            at=now,
            site=ctx.site,
            notice_no=board.next_number(),
            client_ref=cmd.client_ref,
            kind=cmd.kind.value,
            planned=planned,
            scope=cmd.scope.model_dump(),
            categories=list(cmd.categories) or list(KIND_CATEGORIES[NoticeKind(cmd.kind)]),
            starts_at=cmd.starts_at,
            expected_end=cmd.expected_end,
            announced_at=announced_at,
            late=late,
            # emergency work, or an outage nobody planned, is explained afterwards (R7.10)
            explain_by=None if planned else announced_at + policy.explain_within,
            text=cmd.text,
            **ctx.meta(cmd),
        )
    board.post(notice.id, now)
    return notice_reply(notice), [notice, board]


def notice_of_site(app: IntakeApp, site: str, ref: str) -> MaintenanceNotice:
    """A notice, by its id, number or client_ref, reachable only through its own site."""
    try:
        notice_id = UUID(ref)
    except ValueError:
        notice_id = notice_id_for(site, ref)
        if app.get(notice_id, MaintenanceNotice) is None:
            board = app.get(NoticeBoard.id_for(site), NoticeBoard)
            numbered = _numbered(board, ref)
            notice_id = numbered if numbered is not None else notice_id
    notice = app.get(notice_id, MaintenanceNotice)
    if notice is None or notice.site != site:
        raise not_found(f"notice {ref}")
    return notice


def _numbered(board: NoticeBoard | None, ref: str) -> UUID | None:
    """HBW-MN-0007 is the board's seventh notice."""
    prefix = f"{board.site.upper()}-MN-" if board is not None else None
    if board is None or prefix is None or not ref.upper().startswith(prefix):
        return None
    try:
        index = int(ref[len(prefix) :]) - 1
    except ValueError:
        return None
    return board.notices[index] if 0 <= index < len(board.notices) else None


def _change(app: IntakeApp, ctx: CommandContext, cmd: NoticeCommand, change: Any) -> Result:
    notice = notice_of_site(app, ctx.site, cmd.notice_id)
    now = app.clock.now()
    with as_reply():
        change(notice, now, ctx.meta(cmd))
    changed: list[Any] = [notice]
    if not notice.in_force:
        board = board_of(app, ctx.site, now)
        board.take_down(notice.id, now)
        changed.append(board)
    return notice_reply(notice), changed


def revise(app: IntakeApp, ctx: CommandContext, cmd: ReviseRestoration) -> Result:
    return _change(app, ctx, cmd, lambda n, at, meta: n.revise(
        at=at, meta=meta, expected_end=cmd.expected_end, reason=cmd.reason))  # fmt: skip


def explain(app: IntakeApp, ctx: CommandContext, cmd: ExplainNotice) -> Result:
    return _change(app, ctx, cmd, lambda n, at, meta: n.explain(
        at=at, meta=meta, explanation=cmd.explanation))  # fmt: skip


def end(app: IntakeApp, ctx: CommandContext, cmd: EndNotice) -> Result:
    """Restored or done; the calls the notice answered are resolved with it, in the same
    transaction (`settled_by_its_end`, docs/OUTAGES.md)."""
    reply, changed = _change(app, ctx, cmd, lambda n, at, meta: n.end(
        at=at, meta=meta, outcome=cmd.outcome, note=cmd.note,
        ended_at=not_in_future(cmd.ended_at, at, "ended_at")))  # fmt: skip
    notice: MaintenanceNotice = changed[0]
    calls = (app.ticket(ticket_id) for ticket_id in notice.linked)
    settled = [t for t in calls if t is not None and settled_by_its_end(notice, t)]
    back = "已恢复" if notice.status is NoticeStatus.restored else "已完工"
    for ticket in settled:
        ticket.resolve(at=app.clock.now(), meta=ctx.meta(cmd),
                       resolution=f"维修通告 {notice.notice_no} {back}")  # fmt: skip
    return reply, [*changed, *settled]


def cancel(app: IntakeApp, ctx: CommandContext, cmd: CancelNotice) -> Result:
    return _change(app, ctx, cmd, lambda n, at, meta: n.cancel(
        at=at, meta=meta, reason=cmd.reason))  # fmt: skip


def link(app: IntakeApp, ctx: CommandContext, cmd: LinkToNotice) -> Result:
    ticket = app.ticket_of_site(ctx.site, cmd.ticket_id)
    return _change(app, ctx, cmd, lambda n, at, meta: n.link(
        at=at, meta=meta, ticket_id=ticket.id, ticket_no=ticket.ticket_no, by="desk"))  # fmt: skip


def unlink(app: IntakeApp, ctx: CommandContext, cmd: UnlinkFromNotice) -> Result:
    ticket = app.ticket_of_site(ctx.site, cmd.ticket_id)
    return _change(app, ctx, cmd, lambda n, at, meta: n.unlink(
        at=at, meta=meta, ticket_id=ticket.id, reason=cmd.reason))  # fmt: skip


def zone_on_file(app: IntakeApp, site: str, unit: str | None) -> str | None:
    """The zone the unit file gives the contact's unit (R16.4); None when it is not on file."""
    if not unit or not unit.strip():
        return None
    found = app.get(unit_id_for(site, unit.strip()), Unit)
    return found.zone if found is not None and found.site == site else None


ON_FILE = object()  # the zone not yet looked up: `zone_on_file`, only with a notice in force


def notices_answering(app: IntakeApp, site: str, *, unit: str | None, category: str | None,
                      at: datetime, zone: Any = ON_FILE) -> list[MaintenanceNotice]:  # fmt: skip
    """The notices in force at the site whose scope, categories and time answer a contact from
    `unit` (in `zone`, as `zone_on_file` gives it; looked up here unless the caller has it) of
    `category` received `at` (the matching rule: `MaintenanceNotice.answers`)."""
    board = app.get(NoticeBoard.id_for(site), NoticeBoard)
    if board is None or not board.active:
        return []
    if zone is ON_FILE:
        zone = zone_on_file(app, site, unit)
    notices = (app.get(notice_id, MaintenanceNotice) for notice_id in board.active)
    return [
        n
        for n in notices
        if n is not None and n.answers(unit=unit, category=category, at=at, zone=zone)
    ]


def link_report(
    app: IntakeApp,
    ticket: Ticket,
    meta: dict[str, Any],
    notices: list[MaintenanceNotice] | None = None,
) -> list[Any]:
    """A new contact about an announced notice is linked to it (R16.6): to `notices`, or else to
    the notices in force at the site that answer it."""
    if notices is None:
        unit = ticket.reporters[0].get("room") if ticket.reporters else None
        notices = notices_answering(
            app, ticket.site, unit=unit, category=ticket.category, at=ticket.received_at
        )
    linked = []
    for notice in notices:
        notice.link(at=app.clock.now(), meta=meta, ticket_id=ticket.id,
                    ticket_no=ticket.ticket_no, by="auto")  # fmt: skip
        linked.append(notice)
    return linked


HANDLERS = {
    AnnounceNotice: announce,
    ReviseRestoration: revise,
    ExplainNotice: explain,
    EndNotice: end,
    CancelNotice: cancel,
    LinkToNotice: link,
    UnlinkFromNotice: unlink,
}
