"""Visits and surveys (docs/VISITS.md): one handler per command, load → change → save. A visit's
issues open tickets as a report at the desk would (channel `visit`, R11.6: the steward hears,
the desk handles), saved with the visit and the week's book in one transaction, the tickets first
so that each `ticket.reported` is published before the `visit.recorded` that names it. A visit
to a unit where a special-care resident lives is also their care visit (R11.10,
docs/RESIDENTS.md), recorded on the resident in the same transaction."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from services.intake.application.contacts import not_in_future
from services.intake.application.tickets_opened import TicketsOpened
from services.intake.domain import Ticket
from services.intake.domain.resident import Resident, Unit, unit_id_for
from services.intake.domain.visits import Survey, Visit, VisitBook
from shared.contracts.visits import (
    IssueRaised,
    OpenSurvey,
    RecordResponse,
    RecordVisit,
    SurveyReply,
    VisitReply,
)
from shared.eventstore.desk_app import CommandContext
from shared.kernel.visits import week_of
from shared.kernel.vocabulary import Channel
from shared.messaging.errors import as_reply, conflict, invalid, not_found

if TYPE_CHECKING:
    from services.intake.application import IntakeApp

Outcome = tuple[BaseModel, list[Any]]


def record_visit(app: IntakeApp, ctx: CommandContext, cmd: RecordVisit) -> Outcome:
    site = app.site_config(ctx.site)
    visit_id = Visit.id_for(ctx.site, cmd.visit_ref)
    done = app.get(visit_id, Visit)
    if done is not None:  # the same visit again: what it recorded then
        return VisitReply(visit_id=str(visit_id), duplicate=True, tickets=done.tickets), []
    now = app.clock.now()
    not_in_future(cmd.visited_at, now, "visited_at")
    for index, issue in enumerate(cmd.issues):
        if issue.category is not None and issue.category not in site.categories:
            raise invalid(
                f"unknown category {issue.category!r} for site {ctx.site}",
                f"issues.{index}.category",
            )
    week = week_of(cmd.visited_at.astimezone(site.zone).date())
    tickets = TicketsOpened(app, ctx.site, ctx.meta(cmd), now)
    issues = []
    for index, issue in enumerate(cmd.issues):
        ticket = _open_ticket(tickets, cmd, issue, index)
        issues.append({"description": issue.description, "ticket_id": str(ticket.id),
                       "ticket_no": ticket.ticket_no})  # fmt: skip
    visit = Visit.record(
        at=now, site=ctx.site, visit_ref=cmd.visit_ref, unit=cmd.unit, zone=cmd.zone,
        visited_at=cmd.visited_at, week=week.isoformat(),
        visitors=list(dict.fromkeys([cmd.staff_id, *cmd.visitors])), opinions=cmd.opinions,
        issues=issues, **ctx.meta(cmd),
    )  # fmt: skip
    book = app.get(VisitBook.id_for(ctx.site, week), VisitBook)
    book = book or VisitBook.open(site=ctx.site, week=week, at=now)
    book.note(visit.id, now)
    cared = _care_visits(app, ctx, cmd, now)
    reply = VisitReply(visit_id=str(visit.id), duplicate=False, tickets=visit.tickets,
                       care_visited=[r.resident_ref for r in cared])  # fmt: skip
    return reply, [*tickets.changed(), visit, book, *cared]


def _care_visits(app: IntakeApp, ctx: CommandContext, cmd: RecordVisit,
                 now: datetime) -> list[Resident]:  # fmt: skip
    """A visit to a unit on file is the care visit (R11.10) of each special-care resident
    living there: recorded on them as resident_visit would, in the visit's transaction."""
    unit = app.get(unit_id_for(ctx.site, cmd.unit.strip()), Unit)
    if unit is None or unit.site != ctx.site:
        return []
    living = [app.get(resident_id, Resident) for resident_id in unit.residents]
    cared = [r for r in living if r is not None and r.special_care is not None]
    for resident in cared:
        resident.visit(at=now, meta=ctx.meta(cmd), note=f"record_visit {cmd.visit_ref}",
                       visited_at=cmd.visited_at)  # fmt: skip
    return cared


def _open_ticket(tickets: TicketsOpened, cmd: RecordVisit, issue: IssueRaised,
                 index: int) -> Ticket:  # fmt: skip
    """The ticket of an issue raised on a visit: the household's unit, heard when visited."""
    return tickets.open(
        client_ref=f"visit/{cmd.visit_ref}/{index}",
        channel=Channel.visit.value,
        kind=issue.kind.value,
        category=issue.category,
        content=f"[{cmd.unit}] {issue.description}",
        received_at=cmd.visited_at,
    )


def survey_of_site(app: IntakeApp, site: str, survey_ref: str) -> Survey:
    survey = app.get(Survey.id_for(site, survey_ref), Survey)
    if survey is None or survey.site != site:
        raise not_found(f"survey {survey_ref}")
    return survey


def open_survey(app: IntakeApp, ctx: CommandContext, cmd: OpenSurvey) -> Outcome:
    app.site_config(ctx.site)  # a site served here
    survey_id = Survey.id_for(ctx.site, cmd.survey_ref)
    if app.get(survey_id, Survey) is not None:
        raise conflict(f"survey {cmd.survey_ref} is open already: {survey_id}")
    survey = Survey.open(
        at=app.clock.now(), site=ctx.site, survey_ref=cmd.survey_ref, title=cmd.title,
        first_day=cmd.first_day.isoformat(), last_day=cmd.last_day.isoformat(),
        questions=[q.with_default() for q in cmd.questions],
        channels=[c.value for c in cmd.channels], **ctx.meta(cmd),
    )  # fmt: skip
    return _reply(survey), [survey]


def record_response(app: IntakeApp, ctx: CommandContext, cmd: RecordResponse) -> Outcome:
    survey = survey_of_site(app, ctx.site, cmd.survey_ref)
    now = app.clock.now()
    answered_at = not_in_future(cmd.answered_at, now, "answered_at")
    day = answered_at.astimezone(app.site_config(ctx.site).zone).date()
    with as_reply():
        survey.answer(
            at=now, day=day, unit=cmd.unit, channel=cmd.channel.value, answered_at=answered_at,
            answers=dict(cmd.answers), comment=cmd.comment, meta=ctx.meta(cmd),
        )  # fmt: skip
    return _reply(survey), [survey]


def _reply(survey: Survey) -> SurveyReply:
    return SurveyReply(
        survey_id=str(survey.id), survey_ref=survey.survey_ref, responses=len(survey.responses)
    )


HANDLERS = {RecordVisit: record_visit, OpenSurvey: open_survey, RecordResponse: record_response}
