"""The envelope every event on the stream DESK travels in."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, Field

from shared.contracts.base import Contract, SiteId

SCHEMA_VERSION = 1


class Envelope(Contract):
    """Common fields; each event type adds `event_type` (a literal) and its typed `data`."""

    event_id: UUID
    schema_version: int = Field(ge=1)
    site: SiteId
    aggregate_id: UUID
    aggregate_version: int = Field(ge=1)
    occurred_at: AwareDatetime = Field(description="When it happened in the business")
    recorded_at: AwareDatetime = Field(description="When the owning service stored it")
    correlation_id: str
    causation_id: str | None
    actor: str = Field(description="Staff id (工号) of whoever caused the event")
