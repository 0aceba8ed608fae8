"""Proactive visits (走访, R11.6) and satisfaction surveys (满意度调查, R11.9) on
desk.cmd.<site>.intake.<verb> and desk.qry.<site>.visit.week | survey.stats (docs/VISITS.md,
docs/contract.md §33). What a household said stays in intake's store; nothing personal is
published."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal, Self

from annotated_types import Ge, Le
from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints, model_validator

from shared.contracts.base import Contract, Key, LongText, Place, ShortText, Timestamp
from shared.contracts.commands import Command
from shared.kernel.visits import SurveyChannel
from shared.kernel.vocabulary import Kind


def _in_years(value: date) -> date:
    if not 1970 <= value.year <= 2999:
        raise ValueError("must lie in the years 1970–2999")
    return value


Day = Annotated[date, AfterValidator(_in_years)]
Zone = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20, pattern=r"^[\w.-]+$")
]
QuestionKey = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20, pattern=r"^[a-z0-9_]+$"),
]
Score = Annotated[int, Ge(1), Le(10)]  # the widest scale; each question's is checked after
QuestionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]


# -- visits ----------------------------------------------------------------------------------------


class IssueRaised(Contract):
    """A matter the household raised on the visit that needs handling: it opens a ticket
    through the desk's intake, as if reported at the desk (channel `visit`)."""

    kind: Kind = Field(default=Kind.repair, description="The ticket's kind")
    category: str | None = Field(default=None, max_length=32, description="The site's category")
    description: ShortText = Field(description="The matter, as the ticket's content (masked)")


class VisitReply(Contract):
    ok: Literal[True] = True
    visit_id: str
    duplicate: bool
    tickets: list[str] = Field(description="The numbers of the tickets its issues opened")
    care_visited: list[str] = Field(
        default_factory=list,
        description="The special-care residents living in the unit (resident_ref) whose care "
        "visit it counted as (R11.10); empty for a duplicate",
    )


class RecordVisit(Command):
    """A zone steward's visit to a household (走访, 《住户回访记录表》, R11.6): unit, zone,
    when, what the household said, the issues it raised (each opens a ticket). `visit_ref` is
    unique per site: the same visit again changes nothing."""

    verb: ClassVar[str] = "record_visit"
    reply: ClassVar[type[Contract]] = VisitReply

    visit_ref: Key
    unit: Place = Field(description="The household's unit, e.g. 5-1201 (published)")
    zone: Zone = Field(description="The steward's zone (管区) the unit is in")
    visited_at: Timestamp
    visitors: list[Key] = Field(
        default_factory=list, max_length=4, description="Others on the visit (工号)"
    )
    opinions: LongText | None = Field(
        default=None, description="What the household said: kept encrypted, never published"
    )
    issues: list[IssueRaised] = Field(default_factory=list, max_length=5)


class ListVisits(Contract):
    """visit.week: the households visited in a local week (or each week starting in a month)
    against the target, per zone and for the site (R11.6)."""

    day: Day = Field(description="A local date; the Monday–Sunday week it lies in")
    month: bool = Field(default=False, description="Every week starting in `day`'s month")


class ZoneTally(Contract):
    zone: str = Field(description="A zone, or * for the whole site")
    occupied: int = Field(
        description="Occupied households: the resident file's rooms with someone living there, "
        "or the site's configured number for a zone with no room on file (docs/VISITS.md)"
    )
    target: int = Field(description="Households to visit: target_percent of occupied, rounded up")
    visited: int = Field(description="Distinct households visited")
    visits: int
    rate: float | None = Field(description="visited, a share of occupied (0–1)")
    met: bool


class VisitLine(Contract):
    visit_id: str
    visit_ref: str
    unit: str
    zone: str
    visited_at: AwareDatetime
    steward: str
    tickets: list[str]


class VisitWeek(Contract):
    first_day: date
    last_day: date
    target_percent: float
    met: bool = Field(description="The site and every zone with a target reached it")
    zones: list[ZoneTally]
    short: list[str] = Field(description="The zones (or *) below target: flagged (R11.6)")


class VisitsReply(Contract):
    ok: Literal[True] = True
    site: str
    weeks: list[VisitWeek]
    visits: list[VisitLine] = Field(description="The visits of those weeks, in order")


# -- surveys ---------------------------------------------------------------------------------------


class Question(Contract):
    key: QuestionKey
    text: QuestionText
    scale: int = Field(default=5, ge=2, le=10, description="Scores 1 … scale")
    satisfied_from: int | None = Field(
        default=None,
        ge=1,
        le=10,
        description="The lowest satisfied score; default scale - 1 (top two)",
    )
    required: bool = True

    @model_validator(mode="after")
    def _on_scale(self) -> Self:
        if self.satisfied_from is not None and self.satisfied_from > self.scale:
            raise ValueError("satisfied_from lies on the scale")
        return self

    def with_default(self) -> dict:
        return self.model_dump(mode="json") | {
            "satisfied_from": self.satisfied_from or self.scale - 1
        }


class SurveyReply(Contract):
    ok: Literal[True] = True
    survey_id: str
    survey_ref: str
    responses: int
    duplicate: bool = False


class OpenSurvey(Command):
    """A satisfaction survey of the site for a period (满意度调查, R11.9): its questions, each on
    a scale, and the channels it is answered through (online included)."""

    verb: ClassVar[str] = "survey_open"
    reply: ClassVar[type[Contract]] = SurveyReply

    survey_ref: Key
    title: QuestionText
    first_day: Day
    last_day: Day
    questions: list[Question] = Field(min_length=1, max_length=20)
    channels: list[SurveyChannel] = Field(
        default_factory=lambda: list(SurveyChannel), min_length=1, max_length=len(SurveyChannel)
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.last_day < self.first_day:
            raise ValueError("a survey's period ends after it starts")
        keys = [q.key for q in self.questions]
        if len(set(keys)) != len(keys):
            raise ValueError("each question has its own key")
        if len(set(self.channels)) != len(self.channels):
            raise ValueError("each channel is listed once")
        return self


class RecordResponse(Command):
    """One household's answers to a survey, checked against its questions; a household answers
    once (the same unit again is refused)."""

    verb: ClassVar[str] = "survey_respond"
    reply: ClassVar[type[Contract]] = SurveyReply

    survey_ref: Key
    unit: Place
    channel: SurveyChannel
    answered_at: Timestamp
    answers: dict[QuestionKey, Score] = Field(
        min_length=1, max_length=20, description="question key -> score, on its question's scale"
    )
    comment: ShortText | None = Field(default=None, description="Kept encrypted, not published")


class SurveyStatsQuery(Contract):
    """survey.stats: a survey's statistics (R11.9): per question and overall."""

    survey_ref: Key


class QuestionLine(Contract):
    key: str
    text: str
    scale: int
    answers: int
    distribution: dict[str, int] = Field(description="score -> answers, every score")
    mean: float | None
    satisfied: int
    satisfaction_rate: float | None


class SurveyStatsReply(Contract):
    ok: Literal[True] = True
    site: str
    survey_ref: str
    title: str
    first_day: date
    last_day: date
    households: int = Field(description="Occupied households asked (site configuration)")
    responses: int
    response_rate: float | None
    satisfaction_rate: float | None = Field(
        description="Satisfied answers, a share (0–1) of all: the survey's own, never the "
        "follow-ups'"
    )
    by_channel: dict[str, int]
    questions: list[QuestionLine]


VISIT_COMMANDS: tuple[type[Command], ...] = (RecordVisit, OpenSurvey, RecordResponse)
