"""A closed shift log waiting for the incoming shift's signature (交接班, R15.9; docs/SHIFTS.md):
when the site's grace passes with no signature, the desk's supervisor is reminded, once. The
first signature ends the wait. No I/O, no wall clock.

It stands beside `TicketClocks` as a board of its own, like a violation case's due dates: the
schedule indexes it, `tick` decides it, and its notice is a `Notice` like a ticket's
(`ticket_id`, `ticket_no` are the shift log's id and its shift, 2026-12-03T08:00)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.escalation.domain.board_event import BoardEvent
from services.escalation.domain.ids import SYSTEM
from services.escalation.domain.notice import Notice
from services.escalation.domain.system_board import SystemBoard
from services.escalation.domain.told import forget, owe

HANDOVER_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/escalation/handover")


def handover_board_id_for(shift_log_id: UUID) -> UUID:
    return uuid5(HANDOVER_NS, str(shift_log_id))


class HandoverWatch(SystemBoard):
    class Event(BoardEvent):
        pass

    class Opened(Event, Aggregate.Created):
        shift_id: UUID
        shift: str
        sign_by: datetime
        role: str

    class Signed(Event):
        def apply(self, board: HandoverWatch) -> None:
            board.signed = True

    class Unsigned(Event):
        """Not signed by `sign_by`: the role is reminded (R15.9)."""

        shift_id: UUID
        shift: str
        sign_by: datetime
        notice_id: UUID
        role: str

        def apply(self, board: HandoverWatch) -> None:
            board.reminded = True
            owe(board, self.notice_id)

    class NoticesSettled(Event):
        """Its notices acknowledged or ended (domain/told.py): owed no more."""

        notification_ids: list[UUID]

        def apply(self, board: HandoverWatch) -> None:
            forget(board, self.notification_ids)

    def __init__(self, *, site: str, shift_id: UUID, shift: str, sign_by: datetime, role: str,
                 correlation_id: str, **_: Any) -> None:  # fmt: skip
        self.site, self.role, self.correlation_id = site, role, correlation_id
        self.ticket_id, self.ticket_no = shift_id, shift  # what a Notice names
        self.sign_by = sign_by
        self.signed = False
        self.reminded = False
        self.owed: dict[UUID, str] = {}  # its notices still owed (told.py)

    @classmethod
    def open(cls, *, site: str, shift_id: UUID, shift: str, sign_by: datetime, role: str,
             at: datetime, correlation_id: str,
             causation_id: str | None) -> HandoverWatch:  # fmt: skip
        return cls._create(
            cls.Opened, id=handover_board_id_for(shift_id), timestamp=at, site=site,
            shift_id=shift_id, shift=shift, sign_by=sign_by, role=role, actor=SYSTEM,
            correlation_id=correlation_id, causation_id=causation_id,
        )  # fmt: skip

    def sign(self, at: datetime, causation_id: str | None) -> None:
        if not self.signed:
            self._record(self.Signed, at, causation_id)

    def next_due(self) -> datetime | None:
        return None if self.signed or self.reminded else self.sign_by

    def decide(self, now: datetime) -> list[Notice]:
        """The grace passed with no signature: remind the role, once."""
        due = self.next_due()
        if due is None or due > now:
            return []
        notice = Notice.raise_for(self, "handover:unsigned", self.role, now)  # type: ignore[arg-type]
        self._record(
            self.Unsigned, now, None, shift_id=self.ticket_id, shift=self.ticket_no,
            sign_by=due, notice_id=notice.id, role=self.role,
        )  # fmt: skip
        return [notice]
