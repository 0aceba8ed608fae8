"""A notification to a role (desk.ntf.<site>.<role>) and its acknowledgement, once; and, when
what it is about ended first, that it is no longer owed (R6.3: the channel sends it no more;
published as `escalation.notification_ended`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.escalation.domain.ids import Cause, ClockError, notice_id_for
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

    class Ended(Aggregate.Event):
        """What the notice is about ended before anyone acknowledged it — its ticket resolved,
        closed or cancelled, its complaint off the ladder, its incident closed, its promise kept
        or broken, … (told.py, application/notice_ends.py): no longer owed, so not sent again
        (docs/NOTIFICATIONS.md); published with `why`, the code it records (contract §20.2). It
        stays listed, and acknowledgeable."""

        site: str
        actor: str
        correlation_id: str
        causation_id: str | None
        why: str  # a code (contract §20.2 `why`: resolved, left_ladder, incident_closed, …)
        reason: str | None  # the ladder's reason, for LEFT_LADDER; else None
        # the notice's subject and role, as `Acknowledged` carries them (contract §20.2)
        ticket_id: UUID
        ticket_no: str
        role: str

        class_version = 2  # v1 recorded a text: "ticket <end>", "left the ladder: <reason>"

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            text = state["why"]
            left, _, reason = text.partition(": ")
            if left == "left the ladder":
                state["why"], state["reason"] = LEFT_LADDER, reason or None
            else:
                state["why"], state["reason"] = text.removeprefix("ticket "), None

        def apply(self, notice: Notice) -> None:
            notice.ended_why = self.why

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
        self.ended_why: str | None = None

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

    def end(self, why: str, at: datetime, cause: Cause, reason: str | None = None) -> bool:
        """No longer owed: what it is about ended (`why`, a code of contract §20.2; `reason`, the
        ladder's, when it left the ladder). False, recording nothing, when it was acknowledged
        or ended before."""
        if self.settled() is not None:
            return False
        self.trigger_event(
            self.Ended, timestamp=at, site=self.site, actor=cause.actor,
            correlation_id=cause.correlation_id, causation_id=cause.causation_id, why=why,
            reason=reason, ticket_id=self.ticket_id, ticket_no=self.ticket_no, role=self.role,
        )  # fmt: skip
        return True

    def settled(self) -> str | None:
        """Why it is sent no more — ACKNOWLEDGED, or what ended — or None while it is owed: what
        the notification channel asks before each send, one read of this notice."""
        if self.acknowledged_by is not None:
            return ACKNOWLEDGED
        return self.ended_why


ACKNOWLEDGED = "acknowledged"
LEFT_LADDER = "left_ladder"  # a complaint's notices, off the ladder (R5.6): Ended.reason says why


keep_old_topics(Notice)
