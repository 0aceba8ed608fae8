"""A contact is reported (docs/DOMAIN.md §2, §3): it opens its ticket, numbered per site and
month (HBW-202611-0042) by the site's counter for the month the contact was received in, local
time; the same `client_ref` again is answered with the ticket it opened. A repair call that an
announced outage answers is recorded as an inquiry (domain/outage_calls.py, docs/OUTAGES.md)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from pydantic import BaseModel

from services.intake.application.incidents import incident_for_help
from services.intake.application.maintenance import (
    link_report,
    notices_answering,
    zone_on_file,
)
from services.intake.application.replies import report_reply
from services.intake.application.residents import mark_special_care
from services.intake.application.times import not_in_future
from services.intake.domain import Incident, NoticeBoard, Ticket, TicketCounter, ticket_id_for
from services.intake.domain.care_roll import CareRoll
from services.intake.domain.incident import incident_of_ticket
from services.intake.domain.outage_calls import answering_notice
from services.intake.domain.resident import unit_id_for
from shared.contracts.commands import ReportContact
from shared.eventstore.desk_app import CommandContext
from shared.eventstore.ticket_numbers import TicketNumber
from shared.kernel.vocabulary import Kind
from shared.messaging.errors import invalid

if TYPE_CHECKING:
    from services.intake.application import IntakeApp


def report_contact(
    app: IntakeApp, ctx: CommandContext, cmd: ReportContact
) -> tuple[BaseModel, list[Any]]:
    site = app.site_config(ctx.site)
    if cmd.category is not None and cmd.category not in site.categories:
        raise invalid(f"unknown category {cmd.category!r} for site {ctx.site}", "category")
    now = app.clock.now()
    received_at = not_in_future(cmd.received_at, now, "received_at")
    reporter = cmd.reporter.model_dump() if cmd.reporter else None
    ticket_id = ticket_id_for(ctx.site, cmd.client_ref)
    existing = app.ticket(ticket_id)
    if existing is not None:
        opened = app.get(incident_of_ticket(ctx.site, existing.id), Incident)
        number = opened.incident_no if opened is not None else None
        return report_reply(existing, site, duplicate=True, incident_no=number), []
    counter = _counter(app, ctx.site, received_at.astimezone(site.zone).strftime("%Y%m"), now)
    unit = reporter.get("room") if reporter else None
    zone = zone_on_file(app, ctx.site, unit)  # whose zone's assistant holds it (R1.3, R6.3)
    notices = notices_answering(app, ctx.site, unit=unit, zone=zone, category=cmd.category,
                                at=received_at)  # fmt: skip
    # a repair call about an announced outage still running: an inquiry the notice answers, no
    # work order (R7.10, R16.6)
    answered = answering_notice(notices, kind=cmd.kind.value, content=cmd.content, at=received_at)
    ticket = Ticket.report(
        ticket_id=ticket_id,
        at=now,
        site=ctx.site,
        ticket_no=counter.next_number(now, reporter),
        client_ref=cmd.client_ref,
        channel=cmd.channel.value,
        kind=Kind.inquiry.value if answered else cmd.kind.value,
        answered_by_notice=answered.notice_no if answered else None,
        category=cmd.category,
        help_category=cmd.help_category.value if cmd.help_category else None,
        reporter=reporter,
        content=cmd.content,
        received_at=received_at,
        appointment=cmd.appointment.model_dump() if cmd.appointment else None,
        zone=zone,
        **ctx.meta(cmd),
    )
    mark_special_care(app, ticket, ctx.meta(cmd))  # a special-care resident's phone (R11.10)
    number = app.note_number(ctx.site, ticket.ticket_no, ticket.id)
    kind = cmd.incident_kind.value if cmd.incident_kind else None
    incident = incident_for_help(app, ticket, ctx.meta(cmd), kind)  # A, E, F (R16.5)
    incident_no = incident[0].incident_no if incident else None
    reply = report_reply(ticket, site, duplicate=False, incident_no=incident_no)
    linked = link_report(app, ticket, ctx.meta(cmd), notices)  # about a notice in force (R16.6)
    return reply, [ticket, counter, *number, *incident, *linked]


def report_lookups(
    app: IntakeApp, reports: list[tuple[CommandContext, ReportContact]]
) -> list[UUID]:
    """What these reports will look up (IntakeApp.lookups): their tickets, the site's notice
    board and care roll (a report with a phone looks for a special-care caller), the reporter's
    unit on file (its zone), and the index entries of the numbers their months' counters will
    issue next."""
    ids: list[UUID] = []
    months: dict[tuple[str, str], int] = {}
    for ctx, cmd in reports:
        ids += [ticket_id_for(ctx.site, cmd.client_ref), NoticeBoard.id_for(ctx.site)]
        if cmd.reporter is not None and cmd.reporter.phone:
            ids.append(CareRoll.id_for(ctx.site))
        if cmd.reporter is not None and cmd.reporter.room:
            ids.append(unit_id_for(ctx.site, cmd.reporter.room.strip()))
        site = app.sites.get(ctx.site)
        if site is not None:
            month = (cmd.received_at or app.clock.now()).astimezone(site.zone).strftime("%Y%m")
            months[ctx.site, month] = months.get((ctx.site, month), 0) + 1
    for (site_id, month), count in months.items():
        try:
            last = app.repository.get(
                TicketCounter.id_for(site_id, month), deepcopy_from_cache=False
            ).last
        except AggregateNotFoundError:
            last = 0
        ids += [
            TicketNumber.id_for(site_id, TicketCounter.ticket_no(site_id, month, n))
            for n in range(last + 1, last + count + 1)
        ]
    return ids


def _counter(app: IntakeApp, site: str, month: str, now: datetime) -> TicketCounter:
    try:
        return app.repository.get(TicketCounter.id_for(site, month))
    except AggregateNotFoundError:
        return TicketCounter.start(site=site, month=month, at=now)
