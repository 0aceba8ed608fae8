"""Intake's visits and surveys as published (visit.recorded, survey.opened, survey.answered):
never the opinions heard nor a response's comment; the week's books are intake's own."""

from __future__ import annotations

from datetime import date

from services.intake.domain.visits import Survey, Visit
from shared.contracts.envelope import Envelope
from shared.contracts.visit_events import (
    SurveyAnswered,
    SurveyAnsweredEvent,
    SurveyOpened,
    SurveyOpenedEvent,
    VisitRecorded,
    VisitRecordedEvent,
)
from shared.messaging.publishing import envelope


def visit_envelope(event: object) -> Envelope | None:
    """The published envelope of a visit's or a survey's event; None for anything else."""
    if isinstance(event, Visit.Recorded):
        data = VisitRecorded(
            visit_ref=event.visit_ref, unit=event.unit, zone=event.zone,
            visited_at=event.visited_at, week=date.fromisoformat(event.week),
            visitors=event.visitors, opinions_heard=event.opinions is not None,
            tickets=[issue["ticket_no"] for issue in event.issues],
        )  # fmt: skip
        return envelope(event, VisitRecordedEvent.type_name(), data, event.visited_at)
    if isinstance(event, Survey.Opened):
        opened = SurveyOpened(
            survey_ref=event.survey_ref, title=event.title,
            first_day=date.fromisoformat(event.first_day),
            last_day=date.fromisoformat(event.last_day), questions=event.questions,
            channels=event.channels,
        )  # fmt: skip
        return envelope(event, SurveyOpenedEvent.type_name(), opened, None)
    if isinstance(event, Survey.Answered):
        answered = SurveyAnswered(
            survey_ref=event.survey_ref, unit=event.unit, channel=event.channel,
            answered_at=event.answered_at, answers=event.answers,
        )  # fmt: skip
        return envelope(event, SurveyAnsweredEvent.type_name(), answered, event.answered_at)
    return None
