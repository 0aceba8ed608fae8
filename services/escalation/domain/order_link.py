"""Which ticket a work order belongs to (work-order events name only the order)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.escalation.domain.ids import order_link_id_for
from services.escalation.domain.topics import keep_old_topics


class OrderLink(Aggregate):
    """Which ticket a work order belongs to (work-order events name only the order)."""

    class Linked(Aggregate.Created):
        ticket_id: UUID

    def __init__(self, *, ticket_id: UUID) -> None:
        self.ticket_id = ticket_id

    @classmethod
    def link(cls, order_id: UUID, ticket_id: UUID, at: datetime) -> OrderLink:
        return cls._create(
            cls.Linked, id=order_link_id_for(order_id), timestamp=at, ticket_id=ticket_id
        )


keep_old_topics(OrderLink)
