"""An emergency event as escalation watches it (突发事件, R16.5, R10.7, R15.14; docs/INCIDENTS.md):
security and the duty manager are told the moment it opens, on any hour (the 24-hour line: no
office-hours clock applies), and the duty manager is reminded if its follow-up is not recorded
in time. Each telling is a `Notice`, acknowledged like any other."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.escalation.domain.board_event import BoardEvent
from services.escalation.domain.ids import Cause
from services.escalation.domain.notice import Notice
from services.escalation.domain.told import Owed, forget, owe

WATCH_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/escalation/incident")


def watch_id_for(incident_id: UUID) -> UUID:
    return uuid5(WATCH_NS, str(incident_id))


class IncidentWatch(Owed, Aggregate):
    class Event(BoardEvent):
        pass
        incident_id: UUID
        incident_no: str

    class Opened(Event, Aggregate.Created):
        kind: str
        follow_up_due: datetime
        place: str | None
        occurred_at: datetime | None  # what its notices say of it (R16.5)

        class_version = 2  # v1, stored before its notices said where and when, kept neither

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["place"] = state["occurred_at"] = None

    class Alerted(Event):
        """A role told at once that the incident opened (R10.7)."""

        kind: str
        place: str | None
        role: str
        department: str | None
        notice_id: UUID
        occurred_at: datetime | None

        class_version = 2  # v1 did not say when it happened

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["occurred_at"] = None

        def apply(self, watch: IncidentWatch) -> None:
            owe(watch, self.notice_id)

    class FollowUpOverdue(Event):
        """The follow-up was not recorded by its time: the role is reminded (R16.5)."""

        kind: str
        due_at: datetime
        role: str
        department: str | None
        notice_id: UUID
        place: str | None
        occurred_at: datetime | None

        class_version = 2  # v1 said neither where nor when it happened

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["place"] = state["occurred_at"] = None

        def apply(self, watch: IncidentWatch) -> None:
            watch.reminded = True
            owe(watch, self.notice_id)

    class Closed(Event):
        def apply(self, watch: IncidentWatch) -> None:
            watch.closed = True

    class NoticesSettled(Event):
        """Its notices acknowledged or ended (domain/told.py): owed no more."""

        notification_ids: list[UUID]

        def apply(self, watch: IncidentWatch) -> None:
            forget(watch, self.notification_ids)

    def __init__(self, *, site: str, incident_id: UUID, incident_no: str, kind: str,
                 follow_up_due: datetime, place: str | None, occurred_at: datetime | None,
                 **_: Any) -> None:  # fmt: skip
        self.site = site
        self.incident_id = incident_id
        self.incident_no = incident_no
        self.kind = kind
        self.follow_up_due = follow_up_due
        self.place = place
        self.occurred_at = occurred_at
        self.reminded = False
        self.closed = False
        self.owed: dict[UUID, str] = {}  # its notices still owed (told.py)

    @classmethod
    def open(cls, *, site: str, incident_id: UUID, incident_no: str, kind: str,
             place: str | None, occurred_at: datetime, follow_up_due: datetime, at: datetime,
             cause: Cause) -> IncidentWatch:  # fmt: skip
        return cls._create(
            cls.Opened,
            id=watch_id_for(incident_id),
            timestamp=at,
            site=site,
            actor=cause.actor,
            correlation_id=cause.correlation_id,
            causation_id=cause.causation_id,
            incident_id=incident_id,
            incident_no=incident_no,
            kind=kind,
            follow_up_due=follow_up_due,
            place=place,
            occurred_at=occurred_at,
        )

    def _record(self, cls: type[Event], at: datetime, cause: Cause, **data: Any) -> None:
        self.trigger_event(
            cls,
            timestamp=at,
            site=self.site,
            actor=cause.actor,
            correlation_id=cause.correlation_id,
            causation_id=cause.causation_id,
            incident_id=self.incident_id,
            incident_no=self.incident_no,
            **data,
        )

    def _record_settled(self, notice_ids: list[UUID], at: datetime, cause: Cause) -> None:
        self._record(self.NoticesSettled, at, cause, notification_ids=notice_ids)

    def _notice(self, subject: str, role: str, at: datetime) -> Notice:
        return Notice.raise_about(
            site=self.site,
            board_id=self.id,
            about_id=self.incident_id,
            about_no=self.incident_no,
            subject=subject,
            role=role,
            at=at,
        )

    def alert(self, told: Iterable[tuple[str, str | None]], at: datetime,
              cause: Cause) -> list[Notice]:  # fmt: skip
        """Tell each role at once what happened, where and when; returns their notices."""
        notices = []
        for role, department in told:
            notice = self._notice(f"incident:{role}:{department or ''}", role, at)
            self._record(
                self.Alerted,
                at,
                cause,
                kind=self.kind,
                place=self.place,
                role=role,
                department=department,
                notice_id=notice.id,
                occurred_at=self.occurred_at,
            )
            notices.append(notice)
        return notices

    def close(self, at: datetime, cause: Cause) -> None:
        if not self.closed:
            self._record(self.Closed, at, cause)

    def next_due(self) -> datetime | None:
        return None if self.closed or self.reminded else self.follow_up_due

    def decide(self, now: datetime, role: str, cause: Cause) -> list[Notice]:
        """The reminder, once, when the follow-up is overdue at `now`."""
        due = self.next_due()
        if due is None or now < due:
            return []
        notice = self._notice("incident:follow_up", role, now)
        self._record(
            self.FollowUpOverdue,
            now,
            cause,
            kind=self.kind,
            due_at=due,
            role=role,
            department=None,
            notice_id=notice.id,
            place=self.place,
            occurred_at=self.occurred_at,
        )
        return [notice]
