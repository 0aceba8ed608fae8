"""The site manager's monthly complaint analysis (R12.2): cause analysis, lessons learned and
corrective actions (原因分析, 经验教训总结及整改措施), attached to one site-month.

One aggregate per site and month; attaching again revises it, and every revision is kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

from services.intake.domain.recorded_event import RecordedEvent

REVIEW_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/month-review")


class MonthReview(Aggregate):
    class Event(RecordedEvent):
        month: str
        cause: str
        lessons: str
        actions: str

    class Attached(Event, Aggregate.Created):
        """The first analysis of the month."""

    class Revised(Event):
        """A later analysis replaces the earlier one in the report; both stay in history."""

        def apply(self, review: MonthReview) -> None:
            review.revision += 1

    def __init__(self, **_: Any) -> None:
        self.revision = 1

    @staticmethod
    def id_for(site: str, month: str) -> UUID:
        return uuid5(REVIEW_NS, f"{site}/{month}")

    @classmethod
    def attach(
        cls, review: MonthReview | None, *, at: datetime, site: str, month: str, **fields: Any
    ) -> MonthReview:
        """A new review, or the next revision of `review`."""
        if review is None:
            return cls._create(
                cls.Attached,
                id=cls.id_for(site, month),
                timestamp=at,
                site=site,
                month=month,
                **fields,
            )
        review.trigger_event(cls.Revised, timestamp=at, site=site, month=month, **fields)
        return review


# stored before the domain became a package (issue 12)
register_topic("services.intake.review:MonthReview", MonthReview)
