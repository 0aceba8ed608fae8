"""What every board's event carries (domain/boards.py): the site, who or what caused it, and the
causal chain it belongs to (correlation and causation ids, docs/contract.md section 13.1)."""

from __future__ import annotations

from eventsourcing.domain import Aggregate


class BoardEvent(Aggregate.Event):
    site: str
    actor: str
    correlation_id: str
    causation_id: str | None
