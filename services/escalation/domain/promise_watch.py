"""The clock of a promise the desk made (R6.15, R10.6, R2.6, R11.5; docs/PROMISES.md): its
owner's role is reminded a while before the due time, and the supervisor told once it has passed
unkept; a re-promise moves the due time (and both waits start again), keeping it or breaking it
ends the wait. No I/O, no wall clock.

A board like `CaseDeadlines`: the schedule indexes it, `tick` calls its `decide(now)`, and its
notices are `Notice`s (`ticket_id`, `ticket_no` are the promise's id and client_ref)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.escalation.domain.board_event import BoardEvent
from services.escalation.domain.ids import SYSTEM
from services.escalation.domain.notice import Notice
from services.escalation.domain.system_board import SystemBoard
from services.escalation.domain.told import forget, owe

PROMISE_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/escalation/promise")


def promise_board_id_for(promise_id: UUID) -> UUID:
    return uuid5(PROMISE_NS, str(promise_id))


class PromiseWatch(SystemBoard):
    class Event(BoardEvent):
        pass

    class Opened(Event, Aggregate.Created):
        promise_id: UUID
        client_ref: str
        kind: str
        owner: str
        owner_role: str
        overdue_role: str
        due_at: datetime
        remind_at: datetime | None
        what: str | None  # as promise.made published it (masked): what its notices say
        on_ticket: str | None  # the number of the ticket it was made on

        class_version = 2  # v1, stored before its notices said what was promised, kept neither

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["what"] = state["on_ticket"] = None

    class DueMoved(Event):
        """Re-promised: a new due time, and both waits again."""

        due_at: datetime
        remind_at: datetime | None

        def apply(self, watch: PromiseWatch) -> None:
            watch.round += 1
            watch.due_at, watch.remind_at = self.due_at, self.remind_at
            watch.reminded = watch.overdue = False

    class WaitEnded(Event):
        reason: str  # kept | broken

        def apply(self, watch: PromiseWatch) -> None:
            watch.ended = True

    class Told(Event):
        """What a reminder and an overdue notice say: the promise, its owner, its due time and
        (since v2) its kind, what was promised and its ticket."""

        promise_id: UUID
        client_ref: str
        owner: str
        due_at: datetime
        notice_id: UUID
        role: str
        kind: str | None
        what: str | None
        on_ticket: str | None

        class_version = 2  # v1 said neither what was promised nor on which ticket

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["kind"] = state["what"] = state["on_ticket"] = None

    class Reminded(Told):
        """The owner's role is reminded before the due time."""

        def apply(self, watch: PromiseWatch) -> None:
            watch.reminded = True
            owe(watch, self.notice_id)

    class Overdue(Told):
        """The due time passed unkept: the supervisor is told."""

        def apply(self, watch: PromiseWatch) -> None:
            watch.reminded = watch.overdue = True
            owe(watch, self.notice_id)

    class NoticesSettled(Event):
        """Its notices acknowledged or ended (domain/told.py): owed no more."""

        notification_ids: list[UUID]

        def apply(self, board: PromiseWatch) -> None:
            forget(board, self.notification_ids)

    def __init__(self, *, site: str, promise_id: UUID, client_ref: str, kind: str, owner: str,
                 owner_role: str, overdue_role: str, due_at: datetime,
                 remind_at: datetime | None, what: str | None, on_ticket: str | None,
                 actor: str, correlation_id: str, causation_id: str | None) -> None:  # fmt: skip
        del actor, causation_id
        self.site, self.correlation_id, self.kind = site, correlation_id, kind
        self.what, self.on_ticket = what, on_ticket
        self.ticket_id, self.ticket_no = promise_id, client_ref  # what a Notice names
        self.owner, self.owner_role, self.overdue_role = owner, owner_role, overdue_role
        self.due_at, self.remind_at = due_at, remind_at
        self.round = 1
        self.reminded = remind_at is None
        self.overdue = self.ended = False
        self.owed: dict[UUID, str] = {}  # its notices still owed (told.py)

    @classmethod
    def open(cls, *, site: str, promise_id: UUID, client_ref: str, kind: str, owner: str,
             owner_role: str, overdue_role: str, due_at: datetime, remind_before: timedelta,
             what: str, on_ticket: str | None, at: datetime, correlation_id: str,
             causation_id: str | None) -> PromiseWatch:  # fmt: skip
        return cls._create(
            cls.Opened, id=promise_board_id_for(promise_id), timestamp=at, site=site,
            promise_id=promise_id, client_ref=client_ref, kind=kind, owner=owner,
            owner_role=owner_role, overdue_role=overdue_role, due_at=due_at,
            remind_at=_remind_at(due_at, remind_before, at), what=what, on_ticket=on_ticket,
            actor=SYSTEM, correlation_id=correlation_id, causation_id=causation_id,
        )  # fmt: skip

    def move_due(self, due_at: datetime, remind_before: timedelta, at: datetime,
                 causation_id: str | None) -> None:  # fmt: skip
        if not self.ended:
            remind_at = _remind_at(due_at, remind_before, at)
            self._record(self.DueMoved, at, causation_id, due_at=due_at, remind_at=remind_at)

    def end_wait(self, reason: str, at: datetime, causation_id: str | None) -> None:
        if not self.ended:
            self._record(self.WaitEnded, at, causation_id, reason=reason)

    def next_due(self) -> datetime | None:
        if self.ended or self.overdue:
            return None
        return self.due_at if self.reminded else self.remind_at

    def decide(self, now: datetime) -> list[Notice]:
        """Remind the owner's role, or, the due time passed, tell the site's overdue role (the
        CS supervisor): each once a round (a re-promise starts a round)."""
        due = self.next_due()
        if due is None or due > now:
            return []
        late = now >= self.due_at
        event, role = (
            (self.Overdue, self.overdue_role) if late else (self.Reminded, self.owner_role)
        )
        subject = f"{'overdue' if late else 'reminder'}:{self.round}"
        notice = Notice.raise_for(self, subject, role, now)  # type: ignore[arg-type]
        self._record(event, now, None, promise_id=self.ticket_id, client_ref=self.ticket_no,
                     owner=self.owner, due_at=self.due_at, notice_id=notice.id, role=role,
                     kind=self.kind, what=self.what, on_ticket=self.on_ticket)  # fmt: skip
        return [notice]


def _remind_at(due_at: datetime, before: timedelta, at: datetime) -> datetime | None:
    """No reminder when the site sets none, or when it would fall before the promise was made."""
    remind_at = due_at - before
    return remind_at if before and remind_at > at else None
