"""A notification to a role (desk.ntf.<site>.<role>) and its acknowledgement, once."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.escalation.domain.ids import ClockError, notice_id_for
from services.escalation.domain.topics import keep_old_topics

if TYPE_CHECKING:
    from services.escalation.domain.ticket_clocks import TicketClocks


class Notice(Aggregate):
    """A notification to a role (desk.ntf.<site>.<role>) and its acknowledgement."""

    class Raised(Aggregate.Created):
        site: str
        board_id: UUID
        ticket_id: UUID
        ticket_no: str
        subject: str
        role: str

    class Acknowledged(Aggregate.Event):
        site: str
        actor: str
        correlation_id: str
        causation_id: str | None
        ticket_id: UUID
        ticket_no: str
        role: str
        note: str | None

        def apply(self, notice: Notice) -> None:
            notice.acknowledged_by = self.actor
            notice.acknowledged_at = self.timestamp

    def __init__(self, *, site: str, board_id: UUID, ticket_id: UUID, ticket_no: str,
                 subject: str, role: str) -> None:  # fmt: skip
        self.site = site
        self.board_id = board_id
        self.ticket_id = ticket_id
        self.ticket_no = ticket_no
        self.subject = subject
        self.role = role
        self.acknowledged_by: str | None = None
        self.acknowledged_at: datetime | None = None

    @classmethod
    def raise_for(cls, board: TicketClocks, subject: str, role: str, at: datetime) -> Notice:
        return cls._create(
            cls.Raised,
            id=notice_id_for(board.id, subject),
            timestamp=at,
            site=board.site,
            board_id=board.id,
            ticket_id=board.ticket_id,
            ticket_no=board.ticket_no,
            subject=subject,
            role=role,
        )

    @classmethod
    def raise_about(cls, *, site: str, board_id: UUID, about_id: UUID, about_no: str,
                    subject: str, role: str, at: datetime) -> Notice:  # fmt: skip
        """A notice about something other than a ticket's board (an incident, R16.5): its
        `ticket_id` and `ticket_no` name that incident."""
        return cls._create(
            cls.Raised,
            id=notice_id_for(board_id, subject),
            timestamp=at,
            site=site,
            board_id=board_id,
            ticket_id=about_id,
            ticket_no=about_no,
            subject=subject,
            role=role,
        )

    def acknowledge(self, actor: str, correlation_id: str, causation_id: str | None,
                    note: str | None, at: datetime) -> None:  # fmt: skip
        if self.acknowledged_by is not None:
            raise ClockError("notification_id", f"already acknowledged by {self.acknowledged_by}")
        self.trigger_event(
            self.Acknowledged,
            timestamp=at,
            site=self.site,
            actor=actor,
            correlation_id=correlation_id,
            causation_id=causation_id,
            ticket_id=self.ticket_id,
            ticket_no=self.ticket_no,
            role=self.role,
            note=note,
        )


keep_old_topics(Notice)
