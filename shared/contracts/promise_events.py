"""Promises on DESK (desk.evt.<site>.promise.*, R6.15, R10.6, R2.6, R11.5): intake publishes
them, escalation reminds the owner and tells the supervisor, reporting counts them kept on time,
late or broken. No names or phone numbers: a missed call's phone stays in intake; free text is
masked (docs/DOMAIN.md §9)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from shared.contracts.base import Contract
from shared.contracts.envelope import Envelope
from shared.kernel.promises import PromiseKind
from shared.kernel.vocabulary import Role


class PromiseMade(Contract):
    """A promise was made, or a missed call recorded (kind `callback`)."""

    client_ref: str
    kind: PromiseKind
    owner: str = Field(description="The staff id (工号) who keeps it")
    owner_role: Role = Field(description="The owner's role, who the reminder goes to")
    due_at: AwareDatetime
    what: str = Field(description="What was promised, masked; for a missed call, the apology")
    ticket_id: UUID | None
    ticket_no: str | None


class PromiseRescheduled(Contract):
    """The customer agreed to a later time; `late`: agreed after the due time had passed."""

    due_at: AwareDatetime
    previous_due_at: AwareDatetime
    reason: str
    late: bool


class PromiseKept(Contract):
    """Kept: on time if by its due time and never re-promised after it had passed."""

    kept_at: AwareDatetime
    on_time: bool
    outcome: str


class PromiseBroken(Contract):
    """It could not be kept, with the reason (masked)."""

    broken_at: AwareDatetime
    reason: str


class PromiseMadeEvent(Envelope):
    event_type: Literal["promise.made"]
    data: PromiseMade


class PromiseRescheduledEvent(Envelope):
    event_type: Literal["promise.rescheduled"]
    data: PromiseRescheduled


class PromiseKeptEvent(Envelope):
    event_type: Literal["promise.kept"]
    data: PromiseKept


class PromiseBrokenEvent(Envelope):
    event_type: Literal["promise.broken"]
    data: PromiseBroken


PROMISE_EVENTS: tuple[type[Envelope], ...] = (
    PromiseMadeEvent,
    PromiseRescheduledEvent,
    PromiseKeptEvent,
    PromiseBrokenEvent,
)
