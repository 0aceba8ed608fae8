"""The due dates of a violation case's measures (R14.3): each measure is due by the end of its
due date in the site's zone; when that passes while it is the case's latest measure and the case
is open, the role that answers for the case (R14.4, R14.9) is told, once. A later measure or the
case's closing ends the earlier one's wait. No I/O, no wall clock.

It stands beside `TicketClocks` as a board of its own: the schedule indexes it, `tick` decides it,
and its notice is a `Notice` like a ticket's (`ticket_id`, `ticket_no` are the case's id and
client_ref, so a notification names the case)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.escalation.domain.board_event import BoardEvent
from services.escalation.domain.ids import SYSTEM
from services.escalation.domain.notice import Notice
from services.escalation.domain.system_board import WaitingBoard
from services.escalation.domain.told import forget, owe

CASE_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/escalation/violation-case")


def case_board_id_for(case_id: UUID) -> UUID:
    return uuid5(CASE_NS, str(case_id))


class CaseDeadlines(WaitingBoard):
    class Event(BoardEvent):
        pass

    class Opened(Event, Aggregate.Created):
        case_id: UUID
        client_ref: str
        role: str

    class Reassigned(Event):
        """The case was reclassified: its overdue measures go to this role now (R14.4)."""

        role: str

        def apply(self, board: CaseDeadlines) -> None:
            board.role = self.role

    class MeasureDue(Event):
        key: str  # <measure>:<n>, the case's n-th measure
        measure: str
        due_on: str
        due_at: datetime

        def apply(self, board: CaseDeadlines) -> None:
            board.waiting = {"key": self.key, "measure": self.measure, "due_on": self.due_on,
                             "due_at": self.due_at}  # fmt: skip
            board.count += 1

    class WaitEnded(Event):
        key: str
        reason: str  # superseded | closed

        def apply(self, board: CaseDeadlines) -> None:
            board.waiting = None

    class MeasureOverdue(Event):
        case_id: UUID
        client_ref: str
        key: str
        measure: str
        due_on: str
        due_at: datetime
        notice_id: UUID
        role: str

        def apply(self, board: CaseDeadlines) -> None:
            board.waiting = None
            owe(board, self.notice_id)

    class NoticesSettled(Event):
        """Its notices acknowledged or ended (domain/told.py): owed no more."""

        notification_ids: list[UUID]

        def apply(self, board: CaseDeadlines) -> None:
            forget(board, self.notification_ids)

    def __init__(self, *, site: str, case_id: UUID, client_ref: str, role: str, actor: str,
                 correlation_id: str, causation_id: str | None) -> None:  # fmt: skip
        del actor, causation_id
        self.site, self.role, self.correlation_id = site, role, correlation_id
        self.ticket_id, self.ticket_no = case_id, client_ref  # what a Notice names
        self.waiting: dict[str, Any] | None = None
        self.count = 0
        self.owed: dict[UUID, str] = {}  # its notices still owed (told.py)

    @classmethod
    def open(cls, *, site: str, case_id: UUID, client_ref: str, role: str, at: datetime,
             correlation_id: str, causation_id: str | None) -> CaseDeadlines:  # fmt: skip
        return cls._create(
            cls.Opened, id=case_board_id_for(case_id), timestamp=at, site=site, case_id=case_id,
            client_ref=client_ref, role=role, actor=SYSTEM, correlation_id=correlation_id,
            causation_id=causation_id,
        )  # fmt: skip

    def measure_due(self, *, measure: str, due_on: str, due_at: datetime, at: datetime,
                    causation_id: str | None) -> None:  # fmt: skip
        self.end_wait("superseded", at, causation_id)
        key = f"{measure}:{self.count + 1}"
        self._record(self.MeasureDue, at, causation_id, key=key, measure=measure, due_on=due_on,
                     due_at=due_at)  # fmt: skip

    def reassign(self, role: str, at: datetime, causation_id: str | None) -> None:
        if role != self.role:
            self._record(self.Reassigned, at, causation_id, role=role)

    def decide(self, now: datetime) -> list[Notice]:
        """The measure's due date passed: tell the case's role, once."""
        waiting = self.waiting
        if waiting is None or waiting["due_at"] > now:
            return []
        notice = Notice.raise_for(self, f"measure:{waiting['key']}", self.role, now)  # type: ignore[arg-type]
        self._record(
            self.MeasureOverdue, now, None, case_id=self.ticket_id, client_ref=self.ticket_no,
            key=waiting["key"], measure=waiting["measure"],
            due_on=waiting["due_on"], due_at=waiting["due_at"], notice_id=notice.id,
            role=self.role,
        )  # fmt: skip
        return [notice]
