"""`ticket.search` (docs/contract.md §12.6): a site's tickets by the caller's phone or name, a room
or a ticket number — the first thing the desk needs when someone calls back. Phone, name and room
are looked up in the blind index (contact_index.py); the reply names the tickets, never a person.

Who may search: anyone on the site's staff list by room or number; by phone or name only the desk
roles that may reveal contact details (shared/kernel/staff.py `intake.search_contact`). A search
is not recorded: it shows nothing the asker did not bring."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.intake.application.app import IntakeApp
from services.intake.application.contact_index import ContactIndex
from shared.contracts.queue_queries import FoundTicket, SearchTickets, TicketSearchReply
from shared.eventstore.desk_app import CommandContext
from shared.kernel.personal.search_terms import NAME, PHONE, ROOM, TERMS
from shared.kernel.staff import PERMISSIONS
from shared.messaging.errors import DeskError
from shared.messaging.publishing import mask


def search_tickets(
    app: IntakeApp, index: ContactIndex, site: str, query: SearchTickets
) -> dict[str, Any]:
    ctx = CommandContext(site, "")
    app.site_config(site)
    if query.personal:
        app.require(ctx, query, PERMISSIONS["intake.search_contact"])  # type: ignore[arg-type]
    else:
        app.member(ctx, query)  # type: ignore[arg-type]
    terms = [
        (field, TERMS[field](value))
        for field, value in ((PHONE, query.phone), (NAME, query.name), (ROOM, query.room))
        if value is not None
    ]
    if query.ticket_no is not None:
        numbered = _numbered(app, site, query.ticket_no)
        if numbered is None:
            return TicketSearchReply(tickets=[], more=False).model_dump(mode="json")
        ids, more = [numbered], False
        if terms:  # the number's ticket, if the other criteria name it too
            ids = index.find(site, terms, limit=1, among=numbered)[0]
    else:
        ids, more = index.find(site, terms, query.limit)
    found = [_found(app, site, ticket_id) for ticket_id in ids]
    tickets = [t for t in found if t is not None]
    return TicketSearchReply(tickets=tickets, more=more).model_dump(mode="json")


def _numbered(app: IntakeApp, site: str, ticket_no: str) -> UUID | None:
    try:
        return app.ticket_id_of(site, ticket_no)
    except DeskError:
        return None  # a number this site does not have: nothing found


def _found(app: IntakeApp, site: str, ticket_id: UUID) -> FoundTicket | None:
    ticket = app.ticket(ticket_id)
    if ticket is None or ticket.site != site:
        return None
    room = (ticket.reporters[0] if ticket.reporters else {}).get("room")
    return FoundTicket(
        ticket_id=ticket.id,
        ticket_no=ticket.ticket_no,
        kind=ticket.kind,
        status=str(ticket.status),
        unit=mask(room, ticket.reporters),  # as published (translate.py)
        received_at=ticket.received_at,
    )
