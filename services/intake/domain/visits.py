"""Proactive visits (走访, R11.6) and satisfaction surveys (满意度调查, R11.9), no I/O
(docs/VISITS.md): a visit recorded (`Visit`, the 《住户回访记录表》 line), the book of a site's
local week that lists its visits (`VisitBook`, for the week's tally against the 2 % target), and
a survey with the answers of each household (`Survey`).

Their events stay in intake's store, encrypted like everything there: the opinions heard and a
response's comment are personal (names in them) and are never published (adapters/)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.intake.domain.recorded_event import RecordedEvent
from shared.kernel.refusals import RuleError
from shared.kernel.visits import answer_errors

VISITS_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/visits")


class Visit(Aggregate):
    """One visit to a household, recorded once, with the tickets its issues opened."""

    class Recorded(Aggregate.Created):
        site: str
        actor: str
        correlation_id: str
        causation_id: str | None
        visit_ref: str
        unit: str
        zone: str
        visited_at: datetime
        week: str  # ISO date of the local week's Monday
        visitors: list[str]
        opinions: str | None  # personal: in the store only
        issues: list[dict[str, Any]]  # each {description, ticket_id, ticket_no}

    def __init__(self, *, site: str, visit_ref: str, unit: str, zone: str, visited_at: datetime,
                 week: str, visitors: list[str], opinions: str | None,
                 issues: list[dict[str, Any]], **_: Any) -> None:  # fmt: skip
        self.site, self.visit_ref = site, visit_ref
        self.unit, self.zone, self.visited_at, self.week = unit, zone, visited_at, week
        self.visitors, self.opinions, self.issues = visitors, opinions, issues

    @staticmethod
    def id_for(site: str, visit_ref: str) -> UUID:
        return uuid5(VISITS_NS, f"visit/{site}/{visit_ref}")

    @classmethod
    def record(cls, *, at: datetime, site: str, visit_ref: str, **fields: Any) -> Visit:
        return cls._create(
            cls.Recorded, id=cls.id_for(site, visit_ref), timestamp=at, site=site,
            visit_ref=visit_ref, **fields,
        )  # fmt: skip

    @property
    def tickets(self) -> list[str]:
        return [issue["ticket_no"] for issue in self.issues]


class VisitBook(Aggregate):
    """The visits of a site's local week (Monday to Sunday), in the order they were recorded."""

    class Opened(Aggregate.Created):
        site: str
        week: str  # ISO date of the Monday

    class Noted(Aggregate.Event):
        visit_id: UUID

        def apply(self, book: VisitBook) -> None:
            book.visits.append(self.visit_id)

    def __init__(self, *, site: str, week: str) -> None:
        self.site, self.week = site, week
        self.visits: list[UUID] = []

    @staticmethod
    def id_for(site: str, week: date) -> UUID:
        return uuid5(VISITS_NS, f"week/{site}/{week.isoformat()}")

    @classmethod
    def open(cls, *, site: str, week: date, at: datetime) -> VisitBook:
        return cls._create(
            cls.Opened, id=cls.id_for(site, week), timestamp=at, site=site, week=week.isoformat()
        )

    def note(self, visit_id: UUID, at: datetime) -> None:
        if visit_id not in self.visits:
            self.trigger_event(self.Noted, timestamp=at, visit_id=visit_id)


class Survey(Aggregate):
    """A satisfaction survey of a site for a period: its questions and each household's answers
    (one response per unit)."""

    class Event(RecordedEvent):
        pass

    class Opened(Event, Aggregate.Created):
        survey_ref: str
        title: str
        first_day: str  # ISO dates, local
        last_day: str
        questions: list[dict[str, Any]]  # key, text, scale, satisfied_from, required
        channels: list[str]

    class Answered(Event):
        survey_ref: str
        unit: str
        channel: str
        answered_at: datetime
        answers: dict[str, int]
        comment: str | None  # personal: in the store only

        def apply(self, survey: Survey) -> None:
            survey.responses[self.unit] = {"channel": self.channel, "answers": self.answers}

    def __init__(self, *, site: str, survey_ref: str, title: str, first_day: str,
                 last_day: str, questions: list[dict[str, Any]], channels: list[str],
                 **_: Any) -> None:  # fmt: skip
        self.site, self.survey_ref, self.title = site, survey_ref, title
        self.first_day, self.last_day = first_day, last_day
        self.questions, self.channels = questions, channels
        self.responses: dict[str, dict[str, Any]] = {}  # unit -> channel, answers

    @staticmethod
    def id_for(site: str, survey_ref: str) -> UUID:
        return uuid5(VISITS_NS, f"survey/{site}/{survey_ref}")

    @classmethod
    def open(cls, *, at: datetime, site: str, survey_ref: str, **fields: Any) -> Survey:
        return cls._create(
            cls.Opened, id=cls.id_for(site, survey_ref), timestamp=at, site=site,
            survey_ref=survey_ref, **fields,
        )  # fmt: skip

    def answer(self, *, at: datetime, day: date, unit: str, channel: str,
               answered_at: datetime, answers: dict[str, int], comment: str | None,
               meta: dict[str, Any]) -> None:  # fmt: skip
        """R11.9: answered within the survey's period, through one of its channels, once per
        household, every answer on its question's scale."""
        if not self.first_day <= day.isoformat() <= self.last_day:
            raise RuleError(
                "answered_at", f"the survey runs {self.first_day} to {self.last_day}, not {day}"
            )
        if channel not in self.channels:
            raise RuleError("channel", f"the survey is not answered by {channel}")
        if unit in self.responses:
            raise RuleError("unit", f"{unit} has answered this survey already")
        errors = answer_errors(self.questions, answers)
        if errors:
            field, message = errors[0]
            raise RuleError(field, message)
        self.trigger_event(
            self.Answered, timestamp=at, site=self.site, survey_ref=self.survey_ref, unit=unit,
            channel=channel, answered_at=answered_at, answers=answers, comment=comment, **meta,
        )  # fmt: skip
