"""A site's board of maintenance and outage notices (never published, docs/OUTAGES.md): their
numbers and which are in force, so that each report looks at those alone."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from services.intake.domain.maintenance_notice import NOTICE_NS


class NoticeBoard(Aggregate):
    """A site's notices (never published): their numbers (HBW-MN-0001) and which are in force,
    so that each report looks at those alone."""

    class Started(Aggregate.Created):
        site: str

    class Posted(Aggregate.Event):
        notice_id: UUID

        def apply(self, board: NoticeBoard) -> None:
            board.notices.append(self.notice_id)
            board.active.append(self.notice_id)

    class TakenDown(Aggregate.Event):
        notice_id: UUID

        def apply(self, board: NoticeBoard) -> None:
            board.active.remove(self.notice_id)

    def __init__(self, *, site: str) -> None:
        self.site = site
        self.notices: list[UUID] = []
        self.active: list[UUID] = []

    @staticmethod
    def id_for(site: str) -> UUID:
        return uuid5(NOTICE_NS, f"board/{site}")

    @classmethod
    def start(cls, *, site: str, at: datetime) -> NoticeBoard:
        return cls._create(cls.Started, id=cls.id_for(site), timestamp=at, site=site)

    def next_number(self) -> str:
        return f"{self.site.upper()}-MN-{len(self.notices) + 1:04d}"

    def post(self, notice_id: UUID, at: datetime) -> None:
        self.trigger_event(self.Posted, timestamp=at, notice_id=notice_id)

    def take_down(self, notice_id: UUID, at: datetime) -> None:
        if notice_id in self.active:
            self.trigger_event(self.TakenDown, timestamp=at, notice_id=notice_id)
