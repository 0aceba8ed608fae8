"""Commands on desk.cmd.<site>.escalation.<verb>, and the simulated clock's request."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from shared.contracts.base import Contract, ShortText, Timestamp
from shared.contracts.commands import Command, TicketCommand

PauseReason = Literal["customer_consent", "access", "parts"]
ClockKey = str


class PauseClock(TicketCommand):
    """Stop counting a ticket's clock while the desk waits for the customer's consent or access,
    or for parts; without `clock`, every running clock of the ticket."""

    clock: ClockKey | None = Field(default=None, max_length=120, description="A clock key")
    reason: PauseReason
    note: ShortText | None = None


class ResumeClock(TicketCommand):
    """Count again; without `clock`, every paused clock of the ticket."""

    clock: ClockKey | None = Field(default=None, max_length=120, description="A clock key")


class AcknowledgeNotification(Command):
    notification_id: UUID
    note: ShortText | None = None


class ClocksReply(Contract):
    ok: Literal[True] = True
    ticket_id: UUID
    clocks: list[str] = Field(description="Keys of the clocks the command changed")


class AcknowledgedReply(Contract):
    ok: Literal[True] = True
    notification_id: UUID
    role: str
    ticket_id: UUID
    acknowledged_by: str


class SetClock(Contract):
    """desk.sim.clock.set: move the simulated clock (only `propdesk up --clock simulated`)."""

    now: Timestamp = Field(description="ISO 8601 with offset; never earlier than the clock")


class Decision(Contract):
    event: Literal[
        "clock_warned",
        "clock_breached",
        "complaint_escalated",
        "complaint_upgraded",
        "major_reported",
        "major_suggested",
        "measure_overdue",  # a violation case's measure (R14.3)
    ]
    ticket_id: UUID
    ticket_no: str
    subject: str = Field(
        description="The clock key, the ladder level, `major`, or `major:<role>` for a major "
        "complaint reported to a role"
    )


class ClockSetReply(Contract):
    ok: Literal[True] = True
    now: AwareDatetime
    decisions: list[Decision] = Field(description="What escalation decided at the new time")
