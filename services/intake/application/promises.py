"""Promises kept (守信履约, R6.15, R10.6, R2.6, R11.5; docs/PROMISES.md): one handler per
command, load → change → save. A missed call's due time is the call's and the site's callback
time (R2.6); every other promise is made for a time ahead of the injected clock."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from pydantic import BaseModel

from services.intake.application.times import not_in_future
from services.intake.domain import Promise, promise_id_for
from shared.contracts.command import Command
from shared.contracts.promise_commands import (
    BreakPromise,
    CallerReply,
    KeepPromise,
    MakePromise,
    PromiseCommand,
    PromiseReply,
    RecordMissedCall,
    ReschedulePromise,
    RevealCaller,
)
from shared.eventstore.desk_app import CommandContext
from shared.kernel.promises import PromiseKind
from shared.kernel.staff import PERMISSIONS
from shared.kernel.vocabulary import Role
from shared.messaging.errors import DeskError, as_reply, invalid, not_found

if TYPE_CHECKING:
    from services.intake.application import IntakeApp

Result = tuple[BaseModel, list[Any]]
# who keeps a promise where the site lists no staff: the desk (前台)
DEFAULT_OWNER_ROLE = Role.receptionist
APOLOGY = "未接来电，请回电并致歉"  # shown to people as it is (R2.6)


def promise_reply(app: IntakeApp, promise: Promise) -> PromiseReply:
    zone = app.site_config(promise.site).zone
    outcome = None if promise.on_time is None else "on_time" if promise.on_time else "late"
    return PromiseReply(
        promise_id=str(promise.id),
        client_ref=promise.client_ref,
        kind=PromiseKind(promise.kind),
        status=promise.status.value,
        owner=promise.owner,
        due_at=promise.due_at.astimezone(zone).isoformat(),
        outcome=outcome,
    )


def _owner(app: IntakeApp, ctx: CommandContext, cmd: Command, owner: str | None) -> tuple:
    """The owner's staff id and role: the site's staff list says the role where it lists
    staff (the owner must be on it)."""
    app.member(ctx, cmd)  # the one giving the command is on the list, where there is one
    staff_id = owner or cmd.staff_id
    member = app.listed(ctx.site, "owner", staff_id)
    return staff_id, (member.role if member else DEFAULT_OWNER_ROLE).value


def make_promise(app: IntakeApp, ctx: CommandContext, cmd: MakePromise) -> Result:
    promise_id = promise_id_for(ctx.site, cmd.client_ref)
    existing = app.get(promise_id, Promise)
    if existing is not None:
        return promise_reply(app, existing), []
    if PromiseKind(cmd.kind) is PromiseKind.answer and cmd.ticket_id is None:
        raise invalid("a question from a follow-up call names its ticket (R11.5)", "ticket_id")
    owner, role = _owner(app, ctx, cmd, cmd.owner)
    ticket = app.ticket_of_site(ctx.site, cmd.ticket_id) if cmd.ticket_id is not None else None
    now = app.clock.now()
    with as_reply():
        promise = Promise.make(
            promise_id=promise_id, at=now, due_at=cmd.due_at, site=ctx.site,
            client_ref=cmd.client_ref, kind=PromiseKind(cmd.kind).value, owner=owner,
            owner_role=role, what=cmd.what, ticket_id=ticket.id if ticket else None,
            ticket_no=ticket.ticket_no if ticket else None, caller=None, **ctx.meta(cmd),
        )  # fmt: skip
    return promise_reply(app, promise), [promise]


def record_missed_call(app: IntakeApp, ctx: CommandContext, cmd: RecordMissedCall) -> Result:
    promise_id = promise_id_for(ctx.site, cmd.client_ref)
    existing = app.get(promise_id, Promise)
    if existing is not None:
        return promise_reply(app, existing), []
    owner, role = _owner(app, ctx, cmd, cmd.owner)
    now = app.clock.now()
    called_at = min(not_in_future(cmd.called_at, now, "called_at"), now)
    due_at = called_at + app.site_config(ctx.site).promise_tasks.callback_within
    with as_reply():
        promise = Promise.make(
            promise_id=promise_id, at=now, due_at=due_at, site=ctx.site,
            client_ref=cmd.client_ref, kind=PromiseKind.callback.value, owner=owner,
            owner_role=role, what=APOLOGY, ticket_id=None, ticket_no=None,
            caller={"phone": cmd.phone}, **ctx.meta(cmd),
        )  # fmt: skip
    return promise_reply(app, promise), [promise]


def promise_of_site(app: IntakeApp, site: str, ref: UUID | str) -> Promise:
    """A promise, by id or client_ref, reachable only through its own site's subjects."""
    promise = app.get(_uuid(ref), Promise) if _uuid(ref) is not None else None
    if promise is None:  # a JSON string matches `Key` first: it may still be an id
        promise = app.get(promise_id_for(site, str(ref)), Promise)
    if promise is None or promise.site != site:
        raise not_found(f"promise {ref}")
    return promise


def promise_named(app: IntakeApp, site: str, ref: UUID | str) -> UUID | None:
    """The id of the promise a command named, if the site has it (else none)."""
    try:
        return promise_of_site(app, site, ref).id
    except DeskError:
        return None


def _uuid(ref: UUID | str) -> UUID | None:
    if isinstance(ref, UUID):
        return ref
    try:
        return UUID(ref)
    except ValueError:
        return None


def _change(app: IntakeApp, ctx: CommandContext, cmd: PromiseCommand, change: Any) -> Result:
    app.member(ctx, cmd)
    promise = promise_of_site(app, ctx.site, cmd.promise)
    with as_reply():
        change(promise, app.clock.now(), ctx.meta(cmd))
    return promise_reply(app, promise), [promise]


def keep_promise(app: IntakeApp, ctx: CommandContext, cmd: KeepPromise) -> Result:
    def keep(p: Promise, at: Any, meta: dict[str, Any]) -> None:
        kept_at = min(not_in_future(cmd.kept_at, at, "kept_at"), at)
        p.keep(at=at, meta=meta, kept_at=kept_at, outcome=cmd.outcome)

    return _change(app, ctx, cmd, keep)


def reschedule_promise(app: IntakeApp, ctx: CommandContext, cmd: ReschedulePromise) -> Result:
    return _change(
        app, ctx, cmd,
        lambda p, at, meta: p.reschedule(at=at, meta=meta, due_at=cmd.due_at, reason=cmd.reason),
    )  # fmt: skip


def break_promise(app: IntakeApp, ctx: CommandContext, cmd: BreakPromise) -> Result:
    return _change(app, ctx, cmd, lambda p, at, meta: p.break_(at=at, meta=meta, reason=cmd.reason))


def reveal_caller(app: IntakeApp, ctx: CommandContext, cmd: RevealCaller) -> Result:
    # before the promise is looked up: a refused member of staff learns nothing of it
    app.require(ctx, cmd, PERMISSIONS["intake.reveal_contact"])
    promise = promise_of_site(app, ctx.site, cmd.promise)
    with as_reply():
        caller = promise.reveal_caller(at=app.clock.now(), meta=ctx.meta(cmd), purpose=cmd.purpose)
    reply = CallerReply(promise_id=str(promise.id), client_ref=promise.client_ref,
                        phone=caller["phone"])  # fmt: skip
    return reply, [promise]


HANDLERS = {
    MakePromise: make_promise,
    RecordMissedCall: record_missed_call,
    KeepPromise: keep_promise,
    ReschedulePromise: reschedule_promise,
    BreakPromise: break_promise,
    RevealCaller: reveal_caller,
}
