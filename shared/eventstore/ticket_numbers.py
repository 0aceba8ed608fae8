"""Each service's own index of ticket numbers: the number the desk told the customer
(HBW-202611-0042, docs/contract.md §8) → the ticket's id, so that every command naming a ticket
takes its number as well as its id (`shared/contracts/base.py` `TicketRef`). A service notes a
number when it first learns the ticket (intake when it numbers it; dispatch and escalation when
they read `ticket.reported`). Never published."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

NUMBER_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/ticket-number")


class TicketNumber(Aggregate):
    """One ticket number of a site, and the ticket it names."""

    class Noted(Aggregate.Created):
        site: str
        ticket_no: str
        ticket_id: UUID

    def __init__(self, *, site: str, ticket_no: str, ticket_id: UUID) -> None:
        self.site, self.ticket_no, self.ticket_id = site, ticket_no, ticket_id

    @staticmethod
    def id_for(site: str, ticket_no: str) -> UUID:
        return uuid5(NUMBER_NS, f"{site}/{ticket_no.strip().upper()}")

    @classmethod
    def note(cls, *, site: str, ticket_no: str, ticket_id: UUID, at: datetime) -> TicketNumber:
        return cls._create(
            cls.Noted,
            id=cls.id_for(site, ticket_no),
            timestamp=at,
            site=site,
            ticket_no=ticket_no,
            ticket_id=ticket_id,
        )
