"""A promise the desk made (守信履约, R6.15, R10.6, R2.6, R11.5; docs/PROMISES.md): a reply
promised by a time, a missed call to be called back with an apology, a question from a follow-up
call answered by the agreed time. It has an owner, a due time and an outcome: kept (on time or
late), or broken with a reason. No I/O; it changes only by triggering events.

A missed call's phone (`caller`) lives here, in intake's encrypted store, and is never
published."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.intake.domain.recorded_event import RecordedEvent
from shared.kernel.promises import PromiseStatus
from shared.kernel.refusals import RuleError, TransitionError

PROMISE_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/promise")


def promise_id_for(site: str, client_ref: str) -> UUID:
    """The same `client_ref` at the same site is the same promise."""
    return uuid5(PROMISE_NS, f"{site}/{client_ref}")


class Promise(Aggregate):
    class Event(RecordedEvent):
        pass

    class Made(Event, Aggregate.Created):
        client_ref: str
        kind: str
        owner: str
        owner_role: str
        due_at: datetime
        what: str
        ticket_id: UUID | None
        ticket_no: str | None
        caller: dict[str, Any] | None  # a missed call's phone: intake's only

    class Rescheduled(Event):
        """The customer agreed to a later time; `late` when agreed after the due time."""

        due_at: datetime
        previous_due_at: datetime
        reason: str
        late: bool

        def apply(self, promise: Promise) -> None:
            promise.due_at = self.due_at
            promise.late = promise.late or self.late

    class Kept(Event):
        kept_at: datetime
        on_time: bool
        outcome: str

        def apply(self, promise: Promise) -> None:
            promise.status = PromiseStatus.kept
            promise.on_time = self.on_time

    class Broken(Event):
        broken_at: datetime
        reason: str

        def apply(self, promise: Promise) -> None:
            promise.status = PromiseStatus.broken

    class CallerRevealed(Event):
        """A missed call's number shown to a member of staff (R15.2): intake's record only."""

        purpose: str

    def __init__(self, *, site: str, client_ref: str, kind: str, owner: str, owner_role: str,
                 due_at: datetime, what: str, ticket_id: UUID | None, ticket_no: str | None,
                 caller: dict[str, Any] | None, **_: Any) -> None:  # fmt: skip
        self.site, self.client_ref, self.kind = site, client_ref, kind
        self.owner, self.owner_role = owner, owner_role
        self.made_at: datetime = self.created_on  # type: ignore[assignment]
        self.due_at, self.what = due_at, what
        self.ticket_id, self.ticket_no = ticket_id, ticket_no
        self.caller = caller
        self.status = PromiseStatus.open
        self.late = False  # re-promised after its due time had passed: kept late at best
        self.on_time: bool | None = None

    @classmethod
    def make(cls, *, promise_id: UUID, at: datetime, due_at: datetime, **fields: Any) -> Promise:
        """A promise is made for a time ahead (R6.15, R11.5); a missed call's due time is the
        call's time and the site's callback time (R2.6), which may already have passed."""
        if fields["kind"] != "callback" and due_at <= at:
            raise RuleError("due_at", "a promise is made for a time ahead")
        return cls._create(cls.Made, id=promise_id, timestamp=at, due_at=due_at, **fields)

    def _event(self, cls: type[Event], at: datetime, meta: dict[str, Any], **data: Any) -> None:
        self.trigger_event(cls, timestamp=at, site=self.site, **meta, **data)

    def _still_open(self, action: str) -> None:
        if self.status is not PromiseStatus.open:
            raise TransitionError(action, self.status.value, "a promise")

    def reschedule(self, *, at: datetime, meta: dict[str, Any], due_at: datetime,
                   reason: str) -> None:  # fmt: skip
        self._still_open("re-promise")
        if due_at <= at:
            raise RuleError("due_at", "a promise is made for a time ahead")
        self._event(self.Rescheduled, at, meta, due_at=due_at, previous_due_at=self.due_at,
                    reason=reason, late=at > self.due_at)  # fmt: skip

    def keep(self, *, at: datetime, meta: dict[str, Any], kept_at: datetime,
             outcome: str) -> None:  # fmt: skip
        self._still_open("keep")
        if kept_at < self.made_at:
            raise RuleError("kept_at", "kept_at is before the promise was made")
        on_time = kept_at <= self.due_at and not self.late
        self._event(self.Kept, at, meta, kept_at=kept_at, on_time=on_time, outcome=outcome)

    def reveal_caller(self, *, at: datetime, meta: dict[str, Any], purpose: str) -> dict:
        if self.caller is None:
            raise RuleError("promise", "only a missed call has a caller's number")
        self._event(self.CallerRevealed, at, meta, purpose=purpose)
        return self.caller

    def break_(self, *, at: datetime, meta: dict[str, Any], reason: str) -> None:
        self._still_open("break")
        self._event(self.Broken, at, meta, broken_at=at, reason=reason)
