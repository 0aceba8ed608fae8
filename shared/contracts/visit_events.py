"""Visits and surveys on DESK (docs/contract.md §33, docs/VISITS.md): a visit recorded, a
survey opened, a household's answers. No names, phones, opinions or comments: those stay in
intake's store, encrypted; the unit is published as a ticket's unit is."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime, Field

from shared.contracts.base import Contract
from shared.contracts.envelope import Envelope
from shared.contracts.visits import Question
from shared.kernel.visits import SurveyChannel


class VisitRecorded(Contract):
    """A zone steward visited a household (R11.6); its issues opened the tickets it names, each
    `ticket.reported` published before this event."""

    visit_ref: str
    unit: str
    zone: str
    visited_at: AwareDatetime
    week: date = Field(description="The Monday of the site's local week of the visit")
    visitors: list[str] = Field(description="Who visited: the envelope's actor, then others")
    opinions_heard: bool = Field(description="The household gave opinions (kept in intake)")
    tickets: list[str] = Field(description="Numbers of the tickets its issues opened")


class SurveyOpened(Contract):
    """A satisfaction survey of the site for a period (R11.9)."""

    survey_ref: str
    title: str
    first_day: date
    last_day: date
    questions: list[Question]
    channels: list[SurveyChannel]


class SurveyAnswered(Contract):
    """One household's answers to a survey, checked against its questions (R11.9)."""

    survey_ref: str
    unit: str
    channel: SurveyChannel
    answered_at: AwareDatetime
    answers: dict[str, int]


class VisitRecordedEvent(Envelope):
    event_type: Literal["visit.recorded"]
    data: VisitRecorded


class SurveyOpenedEvent(Envelope):
    event_type: Literal["survey.opened"]
    data: SurveyOpened


class SurveyAnsweredEvent(Envelope):
    event_type: Literal["survey.answered"]
    data: SurveyAnswered


VISIT_EVENTS: tuple[type[Envelope], ...] = (
    VisitRecordedEvent,
    SurveyOpenedEvent,
    SurveyAnsweredEvent,
)
