"""What a ticket records (docs/DOMAIN.md §2, §3, §6): its events, each with how it changes the
ticket (`apply`). `Ticket` (ticket.py) names every one of them in its body, so eventsourcing
redefines each as `Ticket.<Name>` of that module: the topics they are stored under
(`services.intake.domain.ticket:Ticket.Reported` …) are the ones they had when these classes were
written inside `Ticket` (tests/unit/test_intake_old_topics.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.intake.domain.classification import ladder_after
from services.intake.domain.recorded_event import RecordedEvent
from shared.kernel.sla import climbs_ladder
from shared.kernel.vocabulary import CancelReason, TicketStatus

if TYPE_CHECKING:
    from services.intake.domain.ticket import Ticket


class TicketEvent(RecordedEvent):
    """What every event of a ticket carries: its site, who acted and the message ids it follows."""


class Reported(TicketEvent, Aggregate.Created):
    ticket_no: str
    client_ref: str
    channel: str
    kind: str
    category: str | None
    help_category: str | None
    reporter: dict[str, Any] | None
    content: str
    received_at: datetime
    appointment: dict[str, Any] | None
    # a repair call an announced outage answered: recorded as an inquiry (outage_calls.py)
    answered_by_notice: str | None = None  # stored before it: none
    # the zone the unit file gave the reporter's unit at report (R1.3, R16.4)
    zone: str | None = None  # stored before it: none


class Classified(TicketEvent):
    kind: str
    category: str | None
    help_category: str | None
    validity: str | None
    communicative_type: str | None
    severity: str | None
    about_staff: str | None = None  # stored before issue 13: none named

    def apply(self, t: Ticket) -> None:
        t.kind, t.category, t.help_category = self.kind, self.category, self.help_category
        t.validity, t.communicative_type = self.validity, self.communicative_type
        t.severity = self.severity
        t.about_staff = self.about_staff
        t.status = TicketStatus.classified
        t.ladder = ladder_after(t.ladder, climbs_ladder(t.kind, t.validity))


class ContactLinked(TicketEvent):
    channel: str
    content: str
    reporter: dict[str, Any] | None
    received_at: datetime
    repeat_count: int

    def apply(self, t: Ticket) -> None:
        t.repeat_count = self.repeat_count
        if self.reporter is not None:
            t.reporters.append(self.reporter)


class ContactRevealed(TicketEvent):
    """Who looked at the reporters' names and phones, and why (R15.2)."""

    purpose: str

    def apply(self, t: Ticket) -> None:
        pass


class Replied(TicketEvent):
    """A reply to the customer (R10.2); `first` marks the ticket's first one."""

    message: str
    first: bool

    def apply(self, t: Ticket) -> None:
        t.reply_count += 1


class SolutionAccepted(TicketEvent):
    """The customer accepted the proposed solution of their complaint (R6.9)."""

    solution: str

    def apply(self, t: Ticket) -> None:
        t.solution_accepted = True


class Resolved(TicketEvent):
    resolution: str

    def apply(self, t: Ticket) -> None:
        t.resolution = self.resolution
        t.status = TicketStatus.resolved


class FollowedUp(TicketEvent):
    satisfied: bool
    score: int
    comment: str | None

    def apply(self, t: Ticket) -> None:
        t.follow_up_count += 1


class VerifiedOnSite(TicketEvent):
    """An inspection finding verified on site (R13.17): who, when, the result."""

    verified_by: str
    verified_at: datetime
    passed: bool
    note: str | None

    def apply(self, t: Ticket) -> None:
        pass


class Closed(TicketEvent):
    reason: str

    def apply(self, t: Ticket) -> None:
        t.status = TicketStatus.closed


class Reopened(TicketEvent):
    reason: str
    reopen_count: int

    def apply(self, t: Ticket) -> None:
        t.reopen_count = self.reopen_count
        t.reopened_at = self.timestamp
        t.status = TicketStatus.reopened
        t.solution_accepted = False  # what was accepted did not satisfy: a new one (R6.9)


class HandedOver(TicketEvent):
    """The ticket's owner changed by an explicit hand-over (首问负责制, R10.1): from whom, to
    whom, why; `actor` is who handed it over (the owner, or a supervisor or manager)."""

    ticket_no: str
    from_staff: str
    to_staff: str
    reason: str

    def apply(self, t: Ticket) -> None:
        t.owner = self.to_staff
        t.handovers.append(
            {"from_staff": self.from_staff, "to_staff": self.to_staff, "reason": self.reason,
             "by": self.actor, "at": self.timestamp}
        )  # fmt: skip


class Cancelled(TicketEvent):
    """Withdrawn or a duplicate (G2), with what the desk was told (`note`)."""

    reason: str  # CancelReason
    note: str | None
    duplicate_of: UUID | None

    class_version = 2  # v1, before issue 13, kept a free-text reason and no note

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["note"] = state["reason"]
        duplicate = state.get("duplicate_of") is not None
        state["reason"] = CancelReason.duplicate if duplicate else CancelReason.withdrawn

    def apply(self, t: Ticket) -> None:
        t.status = TicketStatus.cancelled


class SpecialCareMarked(TicketEvent):
    """Reported from the phone of a resident who needs special care (R11.10)."""

    resident_id: UUID

    def apply(self, t: Ticket) -> None:
        t.special_care = self.resident_id
