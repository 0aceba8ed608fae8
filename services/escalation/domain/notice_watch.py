"""A maintenance or outage notice as escalation watches it (维修通告, R7.10, R16.6;
docs/OUTAGES.md): an emergency notice owes its explanation to the households afterwards, by a
time the site sets (the CS supervisor is reminded when it is late), and an outage past its
expected restoration, neither revised nor restored, alerts the duty manager. Each telling is a
`Notice`, acknowledged like any other."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.escalation.domain.board_event import BoardEvent
from services.escalation.domain.ids import Cause
from services.escalation.domain.notice import Notice
from services.escalation.domain.told import Owed, forget, owe

WATCH_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/escalation/maintenance")
# what each of its notices is about (told.py): the explanation owed, the restoration awaited
EXPLANATION, RESTORATION = "explanation", "restoration"


def notice_watch_id_for(notice_id: UUID) -> UUID:
    return uuid5(WATCH_NS, str(notice_id))


class NoticeWatch(Owed, Aggregate):
    class Event(BoardEvent):
        pass
        notice_id: UUID
        notice_no: str

    class Opened(Event, Aggregate.Created):
        kind: str
        explain_by: datetime | None
        restore_by: datetime | None

    class RestorationMoved(Event):
        """Revised, restored or cancelled: the restoration is awaited by another time, or not."""

        restore_by: datetime | None

        def apply(self, watch: NoticeWatch) -> None:
            watch.restore_by = self.restore_by

    class Explained(Event):
        def apply(self, watch: NoticeWatch) -> None:
            watch.explain_by = None

    class ExplanationDue(Event):
        """The emergency's explanation was not recorded by its time (R7.10): a reminder."""

        kind: str
        due_at: datetime
        role: str
        notification_id: UUID

        def apply(self, watch: NoticeWatch) -> None:
            watch.explain_by = None
            owe(watch, self.notification_id, EXPLANATION)

    class RestorationOverdue(Event):
        """Past the expected restoration, neither revised nor restored (R16.6, S1:120)."""

        kind: str
        due_at: datetime
        role: str
        notification_id: UUID

        def apply(self, watch: NoticeWatch) -> None:
            watch.restore_by = None
            owe(watch, self.notification_id, RESTORATION)

    class NoticesSettled(Event):
        """Its notifications acknowledged or ended (domain/told.py): owed no more."""

        notification_ids: list[UUID]

        def apply(self, watch: NoticeWatch) -> None:
            forget(watch, self.notification_ids)

    def __init__(self, *, site: str, notice_id: UUID, notice_no: str, kind: str,
                 explain_by: datetime | None, restore_by: datetime | None,
                 **_: Any) -> None:  # fmt: skip
        self.site = site
        self.notice_id = notice_id
        self.notice_no = notice_no
        self.kind = kind
        self.explain_by = explain_by
        self.restore_by = restore_by
        self.owed: dict[UUID, str] = {}  # its notifications still owed (told.py)

    @classmethod
    def open(cls, *, site: str, notice_id: UUID, notice_no: str, kind: str,
             explain_by: datetime | None, restore_by: datetime | None, at: datetime,
             cause: Cause) -> NoticeWatch:  # fmt: skip
        return cls._create(
            cls.Opened, id=notice_watch_id_for(notice_id), timestamp=at, site=site,
            actor=cause.actor, correlation_id=cause.correlation_id,
            causation_id=cause.causation_id, notice_id=notice_id, notice_no=notice_no,
            kind=kind, explain_by=explain_by, restore_by=restore_by,
        )  # fmt: skip

    def _record(self, cls: type[Event], at: datetime, cause: Cause, **data: Any) -> None:
        self.trigger_event(
            cls, timestamp=at, site=self.site, actor=cause.actor,
            correlation_id=cause.correlation_id, causation_id=cause.causation_id,
            notice_id=self.notice_id, notice_no=self.notice_no, **data,
        )  # fmt: skip

    def _record_settled(self, notice_ids: list[UUID], at: datetime, cause: Cause) -> None:
        self._record(self.NoticesSettled, at, cause, notification_ids=notice_ids)

    def await_restoration(self, restore_by: datetime | None, at: datetime, cause: Cause) -> None:
        if restore_by != self.restore_by:
            self._record(self.RestorationMoved, at, cause, restore_by=restore_by)

    def explained(self, at: datetime, cause: Cause) -> None:
        if self.explain_by is not None:
            self._record(self.Explained, at, cause)

    def next_due(self) -> datetime | None:
        dues = [d for d in (self.explain_by, self.restore_by) if d is not None]
        return min(dues) if dues else None

    def decide(self, now: datetime, roles: dict[str, str], cause: Cause) -> list[Notice]:
        """What is owed at `now`: the explanation's reminder, the restoration's alert; once each
        (a revision sets a new restoration time, which may alert again). `roles`: who is told of
        each (`explanation`, `restoration`)."""
        notices = []
        for what, due, event in (
            (EXPLANATION, self.explain_by, self.ExplanationDue),
            (RESTORATION, self.restore_by, self.RestorationOverdue),
        ):
            if due is None or now < due:
                continue
            # the watch's version in the subject: a time revised back to one already alerted
            # is told again, as a new notification
            subject = f"maintenance:{what}:{due.isoformat()}:{self.version}"
            notice = Notice.raise_about(
                site=self.site, board_id=self.id, about_id=self.notice_id,
                about_no=self.notice_no, subject=subject, role=roles[what], at=now,
            )  # fmt: skip
            self._record(event, now, cause, kind=self.kind, due_at=due, role=roles[what],
                         notification_id=notice.id)  # fmt: skip
            notices.append(notice)
        return notices
