"""Turning a service's domain event into the published envelope, and keeping personal data out.

Every service's translator builds its envelopes here, so ids, times and masking are the same
everywhere on the bus.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from shared.contracts import events as e
from shared.contracts.envelope import schema_of

EVENT_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/event")
# Mainland mobile numbers (optionally +86, with spaces or hyphens) and landlines (0xx-xxxxxxxx);
# dates, room numbers and amounts do not match.
PHONE_LIKE = re.compile(
    r"(?<!\d)(?:(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}|0\d{2,3}[\s-]?\d{7,8})(?!\d)"
)
MASK = "***"


def event_id_for(aggregate_id: UUID, version: int) -> UUID:
    """Deterministic, so a republished event carries the same Nats-Msg-Id."""
    return uuid5(EVENT_NS, f"{aggregate_id}/{version}")


def mask(text: str | None, reporters: Iterable[dict[str, Any] | None] = ()) -> str | None:
    """Mask the reporters' names and phones, and every phone number, in free text."""
    if text is None:
        return None
    for reporter in reporters:
        for key in ("name", "phone"):
            value = (reporter or {}).get(key)
            if value and len(value) >= 2:  # a one-character name would mask that character
                text = text.replace(value, MASK)
    return PHONE_LIKE.sub(MASK, text)


def envelope(event: Any, event_type: str, data: Any, occurred_at: datetime | None) -> e.Envelope:
    """The envelope of a domain event that carries site, actor, correlation and causation."""
    return e.EVENT_TYPES[event_type](
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
