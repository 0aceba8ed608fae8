"""What every event of intake's own records carries (a ticket, a violation case, a resident's
file, an incident, a promise, a notice, a round plan, a survey, a month's analysis): the site,
who acted, and the causal chain it belongs to (correlation and causation ids, docs/contract.md
section 13.1). Each record keeps its own events, so their topics stay its own."""

from __future__ import annotations

from eventsourcing.domain import Aggregate


class RecordedEvent(Aggregate.Event):
    site: str
    actor: str
    correlation_id: str
    causation_id: str | None
