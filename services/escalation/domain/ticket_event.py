"""What every event of a ticket's clocks carries: its site, who or what caused it (`Cause`), and
the ticket. The events themselves live with the job that records them: clocks.py, notes.py,
due.py; `TicketClocks` (ticket_clocks.py) names them all."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate


class TicketEvent(Aggregate.Event):
    site: str
    actor: str
    correlation_id: str
    causation_id: str | None
    ticket_id: UUID
    ticket_no: str
