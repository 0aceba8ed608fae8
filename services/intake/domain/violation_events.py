"""What a violation case records (R14.1–R14.10): its events, each with how it changes the case
(`apply`). `ViolationCase` (violation_case.py) names every one in its body, so eventsourcing
redefines each as `ViolationCase.<Name>` of that module, the topic it is stored under. Every
event carries the case's class as it stood then, so that what is published from it never depends
on a later reclassification."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.intake.domain.recorded_event import RecordedEvent

if TYPE_CHECKING:
    from services.intake.domain.violation_case import ViolationCase


class CaseEvent(RecordedEvent):
    violation_class: str  # general | major, as it stood when the event happened


class Opened(CaseEvent, Aggregate.Created):
    client_ref: str
    category: str
    place: str
    description: str
    observed_at: datetime
    offender_sealed: str | None  # name, phone, sealed with the case's key; never published
    ticket_id: UUID | None  # the ticket (or inspection finding) it came from
    finding: str | None


class Reclassified(CaseEvent):
    """General became major (a loss found) or the reverse (R14.2); `violation_class` is the new."""

    reason: str

    def apply(self, case: ViolationCase) -> None:
        case.violation_class = self.violation_class


class MeasureRecorded(CaseEvent):
    measure: str
    due_on: str  # ISO date, the site's calendar
    note: str | None

    def apply(self, case: ViolationCase) -> None:
        case.measures.append({"measure": self.measure, "due_on": self.due_on})


class MediationRecorded(CaseEvent):
    """The customer committee's mediation (客户委员会调解) and whether it failed (R14.3)."""

    failed: bool
    note: str | None

    def apply(self, case: ViolationCase) -> None:
        case.mediation_failed = self.failed


class PenaltyProposed(CaseEvent):
    penalty: str
    amount: str | None  # yuan, as the decimal the manager wrote

    def apply(self, case: ViolationCase) -> None:
        case.penalty = {"penalty": self.penalty, "amount": self.amount, "by": self.actor}
        case.penalty_signed = False


class PenaltySigned(CaseEvent):
    penalty: str  # what was signed: the proposal in force
    amount: str | None

    def apply(self, case: ViolationCase) -> None:
        case.penalty_signed = True


class Closed(CaseEvent):
    outcome: str
    closed_on: str  # ISO date, the site's calendar: retention counts from it (R14.8)
    penalty_lapsed: bool  # proposed, never signed: it never took effect (R14.6)

    def apply(self, case: ViolationCase) -> None:
        case.status, case.closed_on = "closed", self.closed_on


class OffenderErased(CaseEvent):
    """The case's key was deleted: its offender's name and phone can no longer be read."""

    def apply(self, case: ViolationCase) -> None:
        case.offender_sealed, case.offender_erased = None, True


class Expired(CaseEvent):
    """Its retention ended (R14.8): the views drop it."""

    closed_on: str

    def apply(self, case: ViolationCase) -> None:
        case.status = "expired"
