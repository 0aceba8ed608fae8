"""The tickets the desk opens from a record of its own (a round's findings, docs/INSPECTION.md;
a visit's issues, docs/VISITS.md): no reporter, no appointment, each named by the record
(`round/<round_ref>/<index>`, `visit/<visit_ref>/<index>`) and numbered by the site's counter
for the local month it was received in, one counter per month loaded once for the record."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from services.intake.domain import Ticket, TicketCounter, ticket_id_for
from shared.messaging.errors import conflict

if TYPE_CHECKING:
    from services.intake.application import IntakeApp


class TicketsOpened:
    """The tickets one command opens, their numbers' index entries and their months' counters."""

    def __init__(self, app: IntakeApp, site: str, meta: dict[str, Any], now: datetime) -> None:
        self.app, self.site, self.meta, self.now = app, site, meta, now
        self.zone = app.site_config(site).zone
        self.counters: dict[str, TicketCounter] = {}
        self.opened: list[Any] = []  # each ticket, then its number's index entries

    def open(self, *, client_ref: str, channel: str, kind: str, category: str | None,
             content: str, received_at: datetime) -> Ticket:  # fmt: skip
        ticket_id = ticket_id_for(self.site, client_ref)
        if self.app.ticket(ticket_id) is not None:
            raise conflict(f"a ticket already has the client_ref {client_ref!r}")
        month = received_at.astimezone(self.zone).strftime("%Y%m")
        if month not in self.counters:
            found = self.app.get(TicketCounter.id_for(self.site, month), TicketCounter)
            self.counters[month] = found or TicketCounter.start(
                site=self.site, month=month, at=self.now
            )
        ticket = Ticket.report(
            ticket_id=ticket_id,
            at=self.now,
            site=self.site,
            ticket_no=self.counters[month].next_number(self.now),
            client_ref=client_ref,
            channel=channel,
            kind=kind,
            category=category,
            help_category=None,
            reporter=None,
            content=content,
            received_at=received_at,
            appointment=None,
            **self.meta,
        )
        self.opened += [ticket, *self.app.note_number(self.site, ticket.ticket_no, ticket.id)]
        return ticket

    def changed(self) -> list[Any]:
        """What to save, the tickets first: each `ticket.reported` is published before the
        record that names it."""
        return [*self.opened, *self.counters.values()]
