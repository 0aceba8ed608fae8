"""Violation-case events on desk.evt.<site>.violation.<event> (R14.1–R14.10, docs/VIOLATIONS.md).
No offender's name or phone is in any of them: intake keeps those."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from shared.contracts.base import Contract
from shared.contracts.envelope import Envelope
from shared.kernel.violations import Measure, ViolationClass


class ViolationOpened(Contract):
    """Registered in 《客户违例事件记录表》 (R14.4); `responsible` answers for it (R14.9)."""

    client_ref: str
    violation_class: ViolationClass
    category: str
    place: str = Field(description="Unit or public area; never a name or phone number")
    description: str = Field(description="Masked for personal data")
    observed_at: AwareDatetime
    responsible: str = Field(description="cs_supervisor (general) or project_manager (major)")
    ticket_id: UUID | None = Field(description="The ticket or inspection finding it came from")
    finding: str | None


class ViolationReclassified(Contract):
    """A loss found makes a general case major, or the reverse (R14.2): `responsible` answers
    for it from now, and is told of its overdue measures (R14.4, R14.9)."""

    violation_class: ViolationClass
    responsible: str
    reason: str = Field(description="Why; masked")


class MeasureRecorded(Contract):
    """A handling measure and the date it is due by, the site's calendar (R14.3)."""

    measure: Measure
    due_on: date
    responsible: str = Field(description="The role told when it falls due unmet")
    note: str | None


class MediationRecorded(Contract):
    failed: bool
    note: str | None


class PenaltyProposed(Contract):
    """Proposed by the manager or the CS-assistant supervisor (the actor, R14.7): not in force."""

    penalty: str
    amount: str | None = Field(description="Yuan, as a decimal string")


class PenaltySigned(Contract):
    """The manager signed (the actor): the penalty is in force (R14.6)."""

    penalty: str
    amount: str | None


class ViolationClosed(Contract):
    outcome: str
    closed_on: date
    removable_on: date = Field(
        description="Its record is kept until this day, then removed (R14.8)"
    )
    penalty_lapsed: bool = Field(description="A penalty proposed but never signed (R14.6)")


class ViolationExpired(Contract):
    """Its retention ended (R14.8): the views drop it; events stay on DESK."""

    closed_on: date
    violation_class: ViolationClass


class ViolationOpenedEvent(Envelope):
    event_type: Literal["violation.opened"]
    data: ViolationOpened


class ViolationReclassifiedEvent(Envelope):
    event_type: Literal["violation.reclassified"]
    data: ViolationReclassified


class MeasureRecordedEvent(Envelope):
    event_type: Literal["violation.measure_recorded"]
    data: MeasureRecorded


class MediationRecordedEvent(Envelope):
    event_type: Literal["violation.mediation_recorded"]
    data: MediationRecorded


class PenaltyProposedEvent(Envelope):
    event_type: Literal["violation.penalty_proposed"]
    data: PenaltyProposed


class PenaltySignedEvent(Envelope):
    event_type: Literal["violation.penalty_signed"]
    data: PenaltySigned


class ViolationClosedEvent(Envelope):
    event_type: Literal["violation.closed"]
    data: ViolationClosed


class ViolationExpiredEvent(Envelope):
    event_type: Literal["violation.expired"]
    data: ViolationExpired


VIOLATION_EVENTS: tuple[type[Envelope], ...] = (
    ViolationOpenedEvent,
    ViolationReclassifiedEvent,
    MeasureRecordedEvent,
    MediationRecordedEvent,
    PenaltyProposedEvent,
    PenaltySignedEvent,
    ViolationClosedEvent,
    ViolationExpiredEvent,
)
