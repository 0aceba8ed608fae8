"""Turning a service's domain event into the published envelope, and keeping personal data out.

Every service's translator builds its envelopes here, so ids, times and masking are the same
everywhere on the bus.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from shared.contracts import events as ticket_events
from shared.contracts.envelope import schema_of
from shared.kernel.personal import mask_spans

EVENT_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/event")
MASK = "***"


def event_id_for(aggregate_id: UUID, version: int) -> UUID:
    """Deterministic, so a republished event carries the same Nats-Msg-Id."""
    return uuid5(EVENT_NS, f"{aggregate_id}/{version}")


def mask(text: str | None, reporters: Iterable[dict[str, Any] | None] = ()) -> str | None:
    """Free text as published: the reporters' names and phones, and everything that looks like
    personal data (phones, ID and bank card numbers, e-mail, WeChat and QQ ids, licence plates,
    anybody's surname with 先生 or 女士), each replaced by `***`; the rest exactly as typed."""
    if text is None:
        return None
    for start, end in reversed(mask_spans(text, reporters)):
        text = text[:start] + MASK + text[end:]
    return text


def envelope(
    event: Any, event_type: str, data: Any, occurred_at: datetime | None
) -> ticket_events.Envelope:
    """The envelope of a domain event that carries site, actor, correlation and causation."""
    return ticket_events.EVENT_TYPES[event_type](
        event_id=event_id_for(event.originator_id, event.originator_version),
        event_type=event_type,
        schema_version=schema_of(data),
        site=event.site,
        aggregate_id=event.originator_id,
        aggregate_version=event.originator_version,
        occurred_at=occurred_at or event.timestamp,
        recorded_at=event.timestamp,
        correlation_id=event.correlation_id,
        causation_id=event.causation_id,
        actor=event.actor,
        data=data,
    )
