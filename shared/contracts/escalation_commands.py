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


class ExtendClock(TicketCommand):
    """Approve a later deadline for an inspection finding (R13.16: a week, longer only in special
    circumstances): the project manager alone (C12), before the deadline has passed."""

    clock: ClockKey = Field(
        default="finding_resolved", max_length=120, description="The clock key to extend"
    )
    until: Timestamp = Field(description="The new deadline, later than the current one")
    reason: ShortText = Field(description="The special circumstances; masked")


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
    ticket_no: str = Field(
        description="The notification's ticket_no (what it is about): notice.list's filter"
    )
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
        "incident_follow_up_due",
        "finding_referred",
        "measure_overdue",  # a violation case's measure (R14.3)
        "promise_reminder",  # a promise's (R6.15, R2.6, R11.5): its id and client_ref
        "promise_overdue",
        "maintenance_explanation_due",  # a notice's (R7.10): ticket_id/no are the notice's
        "maintenance_restoration_overdue",  # an outage's (R16.6)
        "handover_unsigned",  # a closed shift log not signed in time (R15.9)
        "care_visit_due",  # a special-care resident's visit (R11.10)
        "complaint_received",  # a complaint told to its zone's CS assistant (R6.3, R1.3)
    ]
    ticket_id: UUID = Field(description="The ticket's id; an incident's for its follow-up")
    ticket_no: str
    subject: str = Field(
        description="The clock key, the ladder level, `major`, or `major:<role>` for a major "
        "complaint reported to a role, `received:cs_assistant` for a complaint told to its zone's "
        "CS assistant (R6.3); `follow_up` for an incident's (R16.5)"
    )


class ClockSetReply(Contract):
    ok: Literal[True] = True
    now: AwareDatetime
    decisions: list[Decision] = Field(description="What escalation decided at the new time")
