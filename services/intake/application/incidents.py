"""Emergency events (突发事件, R16.5, R4.10; docs/INCIDENTS.md): a help request of category A, E
or F opens one by itself (`incident_for_help`, from the report or the classification that made
it one); the desk opens one directly, records its measures, its report upward and, to close it,
the follow-up, which answers the help request that reported it. Incident numbers
(HBW-INC-202612-001) go in the service's index of numbers (shared/eventstore/ticket_numbers.py)
beside the tickets', so a command may name either."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from pydantic import BaseModel

from services.intake.application.times import not_in_future
from services.intake.domain import Incident, IncidentCounter, Ticket
from services.intake.domain.incident import (
    answers_its_help_request,
    incident_id_for,
    incident_of_ticket,
)
from shared.contracts.incident_commands import (
    CloseIncident,
    IncidentCommand,
    IncidentReply,
    OpenIncident,
    RecordIncidentMeasure,
    ReportIncidentUp,
)
from shared.eventstore.desk_app import CommandContext
from shared.kernel.incidents import ALERTED, OPENED_BY_HELP, IncidentKind, opens_incident
from shared.kernel.vocabulary import HelpCategory
from shared.messaging.errors import DeskError, as_reply, not_found

if TYPE_CHECKING:
    from services.intake.application import IntakeApp


def incident_reply(incident: Incident) -> IncidentReply:
    alerted = [f"{role}/{dept}" if dept else str(role) for role, dept in ALERTED]
    return IncidentReply(
        incident_id=str(incident.id),
        incident_no=incident.incident_no,
        status=incident.status.value,
        alerted=alerted,
    )


def incident_for_help(
    app: IntakeApp, ticket: Ticket, meta: dict[str, Any], kind: str | None = None
) -> list[Any]:
    """The incident a help request of category A, E or F opens, once per ticket (R4.6, R16.5):
    at the caller's unit, when it was received."""
    if ticket.kind != "help" or not opens_incident(ticket.help_category):
        return []
    incident_id = incident_of_ticket(ticket.site, ticket.id)
    if app.get(incident_id, Incident) is not None:
        return []
    default = OPENED_BY_HELP[HelpCategory(ticket.help_category)]
    room = ticket.reporters[0].get("room") if ticket.reporters else None
    return _open(
        app,
        incident_id=incident_id,
        site=ticket.site,
        client_ref=f"ticket:{ticket.client_ref}",
        kind=kind or default.value,
        place=room,
        occurred_at=ticket.received_at,
        ticket_id=ticket.id,
        ticket_no=ticket.ticket_no,
        help_category=ticket.help_category,
        meta=meta,
    )


def open_incident(
    app: IntakeApp, ctx: CommandContext, cmd: OpenIncident
) -> tuple[BaseModel, list[Any]]:
    app.site_config(ctx.site)
    incident_id = incident_id_for(ctx.site, cmd.client_ref)
    existing = app.get(incident_id, Incident)
    if existing is not None:
        return incident_reply(existing), []
    now = app.clock.now()
    occurred_at = _when(cmd.occurred_at, now, "occurred_at")
    ticket = app.ticket_of_site(ctx.site, cmd.ticket_id) if cmd.ticket_id is not None else None
    meta = ctx.meta(cmd)
    changed = _open(
        app,
        incident_id=incident_id,
        site=ctx.site,
        client_ref=cmd.client_ref,
        kind=IncidentKind(cmd.kind).value,
        place=cmd.place,
        occurred_at=occurred_at,
        ticket_id=ticket.id if ticket else None,
        ticket_no=ticket.ticket_no if ticket else None,
        help_category=None,
        meta=meta,
    )
    incident = changed[0]
    with as_reply():
        incident.record_measure(at=now, meta=meta, measure=cmd.measure, taken_at=now)
    return incident_reply(incident), changed


def _open(app: IntakeApp, *, incident_id: UUID, site: str, occurred_at: datetime,
          meta: dict[str, Any], **fields: Any) -> list[Any]:  # fmt: skip
    now = app.clock.now()
    month = occurred_at.astimezone(app.site_config(site).zone).strftime("%Y%m")
    counter = _counter(app, site, month, now)
    with as_reply():
        incident = Incident.open(
            incident_id=incident_id,
            at=now,
            occurred_at=occurred_at,
            site=site,
            incident_no=counter.next_number(now),
            **fields,
            **meta,
        )
    return [incident, counter, *app.note_number(site, incident.incident_no, incident.id)]


def _counter(app: IntakeApp, site: str, month: str, now: datetime) -> IncidentCounter:
    try:
        return app.repository.get(IncidentCounter.id_for(site, month))
    except AggregateNotFoundError:
        return IncidentCounter.start(site=site, month=month, at=now)


def incident_of_site(app: IntakeApp, site: str, ref: str) -> Incident:
    """An incident, named by its id or its number, reachable only through its own site."""
    try:
        incident_id = UUID(ref)
    except ValueError:
        try:
            incident_id = app.ticket_id_of(site, ref)
        except DeskError:
            raise not_found(f"incident {ref}") from None
    incident = app.get(incident_id, Incident)
    if incident is None or incident.site != site:
        raise not_found(f"incident {ref}")
    return incident


def _change(app: IntakeApp, ctx: CommandContext, cmd: IncidentCommand,
            change: Any) -> tuple[BaseModel, list[Any]]:  # fmt: skip
    incident = incident_of_site(app, ctx.site, cmd.incident_id)
    now = app.clock.now()
    with as_reply():
        change(incident, now, ctx.meta(cmd))
    return incident_reply(incident), [incident]


def record_measure(
    app: IntakeApp, ctx: CommandContext, cmd: RecordIncidentMeasure
) -> tuple[BaseModel, list[Any]]:
    return _change(
        app,
        ctx,
        cmd,
        lambda i, at, meta: i.record_measure(
            at=at, meta=meta, measure=cmd.measure, taken_at=_when(cmd.taken_at, at, "taken_at")
        ),
    )


def report_up(
    app: IntakeApp, ctx: CommandContext, cmd: ReportIncidentUp
) -> tuple[BaseModel, list[Any]]:
    return _change(
        app,
        ctx,
        cmd,
        lambda i, at, meta: i.report_up(
            at=at,
            meta=meta,
            to=cmd.to.value,
            reported_at=_when(cmd.reported_at, at, "reported_at"),
            note=cmd.note,
        ),
    )


def close_incident(
    app: IntakeApp, ctx: CommandContext, cmd: CloseIncident
) -> tuple[BaseModel, list[Any]]:
    """Closed with its follow-up; the help request that reported it, if still unanswered, is
    answered with it in the same transaction (`answers_its_help_request`, R10.2, R16.5)."""
    incident = incident_of_site(app, ctx.site, cmd.incident_id)
    now, meta = app.clock.now(), ctx.meta(cmd)
    with as_reply():
        incident.close(at=now, meta=meta, follow_up=cmd.follow_up)
    ticket = app.ticket(incident.ticket_id) if incident.ticket_id is not None else None
    if ticket is None or not answers_its_help_request(incident, ticket):
        return incident_reply(incident), [incident]
    message = f"突发事件 {incident.incident_no} 已处理并跟进: {cmd.follow_up}"
    ticket.reply(at=now, meta=meta, message=message)
    return incident_reply(incident), [incident, ticket]


def _when(given: datetime | None, now: datetime, field: str) -> datetime:
    return min(not_in_future(given, now, field), now)
