"""What intake answers (docs/contract.md §6): a ticket's number and status after a command, the
contact details of a revealed ticket, and, for a report, the promises the site makes the resident
(each clock's due time by the site's service levels) and whether it calls for the emergency plan."""

from __future__ import annotations

from typing import Any

from services.intake.domain import Ticket
from shared.contracts.replies import (
    ContactDetails,
    ContactReply,
    Promise,
    ReportReply,
    TicketReply,
)
from shared.kernel.repairs import is_emergency
from shared.kernel.sites import SiteConfig
from shared.kernel.vocabulary import Kind


def ticket_reply(ticket: Ticket) -> TicketReply:
    return TicketReply(ticket_id=str(ticket.id), ticket_no=ticket.ticket_no, status=ticket.status)


def contact_reply(ticket: Ticket, reporters: list[dict[str, Any]]) -> ContactReply:
    return ContactReply(
        ticket_id=str(ticket.id),
        ticket_no=ticket.ticket_no,
        status=ticket.status,
        reporters=[ContactDetails(**r) for r in reporters],
    )


def report_reply(
    ticket: Ticket, site: SiteConfig, *, duplicate: bool, incident_no: str | None = None
) -> ReportReply:
    """The reply to a report (or to the same report again: `duplicate`), with its promises."""
    appointment = ticket.appointment["start"] if ticket.appointment else None
    promised = [
        Promise(clock=p.clock, due_at=p.due_at, guessed_years=list(p.guessed_years))
        for p in site.promises(
            Kind(ticket.kind),
            ticket.channel,
            ticket.category,
            ticket.content,
            ticket.received_at,
            appointment,
        )
    ]
    return ReportReply(
        ticket_id=str(ticket.id),
        ticket_no=ticket.ticket_no,
        status=ticket.status,
        duplicate=duplicate,
        deadline=promised[-1] if promised else None,
        promises=promised,
        # gas, fire or smoke: the emergency plan (R4.10, R16.5), by dispatch's own rule
        emergency=ticket.kind in (Kind.repair, Kind.help) and is_emergency(ticket.content),
        incident_no=incident_no,
        answered_by_notice=ticket.answered_by_notice,
    )
