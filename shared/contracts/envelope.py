"""The envelope every event on the stream DESK travels in."""

from __future__ import annotations

from functools import cache
from typing import Any, Self, get_args
from uuid import UUID

from pydantic import AwareDatetime, Field, model_validator

from shared.contracts.base import MAX_INT64, Contract, SiteId

SCHEMA_VERSION = 1


def schema_of(data: Any) -> int:
    """The schema version of an event's data: 1 unless its contract says `SCHEMA_VERSION`."""
    return _schema_of(type(data))


@cache  # looking up a missing class attribute of a pydantic model is slow, and every decode asks
def _schema_of(contract: type) -> int:
    return getattr(contract, "SCHEMA_VERSION", SCHEMA_VERSION)


class Envelope(Contract):
    """Common fields; each event type adds `event_type` (a literal) and its typed `data`."""

    event_id: UUID
    schema_version: int = Field(ge=1, le=MAX_INT64)
    site: SiteId
    aggregate_id: UUID
    aggregate_version: int = Field(ge=1, le=MAX_INT64)
    occurred_at: AwareDatetime = Field(description="When it happened in the business")
    recorded_at: AwareDatetime = Field(description="When the owning service stored it")
    correlation_id: str
    causation_id: str | None
    actor: str = Field(description="Staff id (工号) of whoever caused the event")

    @model_validator(mode="after")
    def _a_schema_this_reader_knows(self) -> Self:
        known = schema_of(getattr(self, "data", None))
        if self.schema_version > known:
            raise ValueError(f"schema_version {self.schema_version} is newer than {known}")
        return self

    @classmethod
    def type_name(cls) -> str:
        """The event type a concrete envelope class carries, e.g. `workorder.issued`."""
        return get_args(cls.model_fields["event_type"].annotation)[0]

    @classmethod
    def data_model(cls) -> type[Contract]:
        """The contract of a concrete envelope class's `data`."""
        return cls.model_fields["data"].annotation  # type: ignore[return-value]
