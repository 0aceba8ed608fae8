"""The desk's commands about promises (守信履约, R6.15, R10.6, R2.6, R11.5), on
desk.cmd.<site>.intake.promise_<verb>, and their reply (docs/PROMISES.md). A promise is named by
its id or by the `client_ref` it was made with."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

from shared.contracts.base import Contract, Key, LongText, Month, ShortText, StaffId, Timestamp
from shared.contracts.command import Command
from shared.contracts.commands import TicketRef
from shared.kernel.promises import PromiseKind


class PromiseReply(Contract):
    ok: Literal[True] = True
    promise_id: str
    client_ref: str
    kind: PromiseKind
    status: str = Field(description="open | kept | broken")
    owner: str = Field(description="The staff id (工号) who keeps it")
    due_at: str = Field(description="When it is due, ISO 8601 in the site's zone")
    outcome: str | None = Field(description="on_time | late once kept; none while open")


class PromiseCommand(Command):
    reply: ClassVar[type[Contract]] = PromiseReply

    promise: UUID | Key = Field(description="The promise's id or the client_ref it was made with")


class MakePromise(Command):
    """Promise a customer a reply by a time (R6.15, R10.6), or, from a follow-up call, the
    answer to a question by the agreed time (`kind: answer`, R11.5, needs the ticket). The due
    time lies ahead; its owner is reminded before it and the CS supervisor told after it."""

    verb: ClassVar[str] = "promise_make"
    reply: ClassVar[type[Contract]] = PromiseReply

    client_ref: Key = Field(description="Unique per site: a repeat is the same promise")
    kind: Literal[PromiseKind.reply, PromiseKind.answer] = PromiseKind.reply
    due_at: Timestamp = Field(description="When the customer was told (ISO 8601 with offset)")
    what: LongText = Field(description="What was promised; personal data is masked")
    owner: StaffId | None = Field(default=None, description="Who keeps it; default: staff_id")
    ticket_id: TicketRef | None = Field(default=None, description="The ticket it is about")


class RecordMissedCall(Command):
    """A call the desk could not answer (R2.6): it is called back with an apology within the
    site's callback time (default 30 minutes). The caller's phone stays in intake's store,
    encrypted; never published."""

    verb: ClassVar[str] = "promise_missed_call"
    reply: ClassVar[type[Contract]] = PromiseReply

    client_ref: Key = Field(description="Unique per site: a repeat is the same missed call")
    phone: str = Field(pattern=r"^\+?[0-9][0-9 -]{2,22}[0-9]$", description="The caller's")
    called_at: Timestamp | None = Field(default=None, description="When it rang; default now")
    owner: StaffId | None = Field(default=None, description="Who calls back; default: staff_id")


class KeepPromise(PromiseCommand):
    """The promise was kept: the reply given, the call returned, the question answered. On
    time if by its due time (R6.15)."""

    verb: ClassVar[str] = "promise_keep"

    outcome: LongText = Field(description="What the customer was told; personal data is masked")
    kept_at: Timestamp | None = Field(default=None, description="When; default now")


class ReschedulePromise(PromiseCommand):
    """The customer agreed to a later time (re-promised), with the reason. Agreed after the
    due time had passed, the promise can at best be kept late."""

    verb: ClassVar[str] = "promise_reschedule"

    due_at: Timestamp = Field(description="The new time agreed (ISO 8601 with offset)")
    reason: ShortText


class BreakPromise(PromiseCommand):
    """The promise cannot be kept (the customer unreachable, the answer not to be had), with
    the reason: it counts as broken."""

    verb: ClassVar[str] = "promise_break"

    reason: ShortText


class CallerReply(Contract):
    ok: Literal[True] = True
    promise_id: str
    client_ref: str
    phone: str = Field(description="The missed call's number: to this reply only, never on DESK")


class RevealCaller(PromiseCommand):
    """Show a missed call's number to a member of staff who calls back (R2.6), as contact
    details are shown (R15.2: the same roles); the look is recorded in intake, not published."""

    verb: ClassVar[str] = "promise_reveal"
    reply: ClassVar[type[Contract]] = CallerReply

    purpose: ShortText = Field(default="回电 call back", description="Why; recorded")


PROMISE_COMMANDS: tuple[type[Command], ...] = (
    MakePromise,
    RecordMissedCall,
    KeepPromise,
    ReschedulePromise,
    BreakPromise,
    RevealCaller,
)


class ListPromises(Contract):
    """A site's promises (promise.list, R6.15): the open ones by due time, soonest first (the
    desk's list), or those made in a local month; of one owner if given. Times in the site's
    zone."""

    status: Literal["open", "kept", "broken"] | None = Field(
        default="open", description="None: any status"
    )
    month: Month | None = Field(default=None, description="Made in this month (YYYY-MM)")
    owner: StaffId | None = None
    limit: int = Field(default=50, ge=1, le=200)
