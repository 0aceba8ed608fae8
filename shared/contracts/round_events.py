"""Inspection rounds on DESK (docs/contract.md §27, docs/INSPECTION.md): the month's plan and
each round recorded, with where its findings went. No names or phones: a finding's text is
masked like a ticket's content."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime, Field

from shared.contracts.base import Contract
from shared.contracts.envelope import Envelope
from shared.contracts.rounds import PointChecked, RoutedFinding, Slot
from shared.kernel.inspection import FindingType, RoundType


class RoundPlanned(Contract):
    """The month's inspection plan, or its revision (R13.1)."""

    month: str = Field(description="YYYY-MM, the site's local calendar month")
    revision: int = Field(ge=1)
    slots: list[Slot]


class RecordedFinding(RoutedFinding):
    """A finding as the round recorded it (R13.14) and where it went (R13.15)."""

    point: str
    category: str | None
    description: str = Field(description="The problem found, masked")
    location: str | None
    measures: str | None = Field(description="What was done on the spot, masked")
    about_staff: str | None = Field(description="A staff finding: 工号 of whom")


class RoundRecorded(Contract):
    """A round walked (R13.13, R13.14); each finding not fixed on the spot opened the inspection
    ticket it names, its `ticket.reported` published before this event (R13.15). A violation
    finding (`routed_to` violation_case) is where the violation case (R14) takes over."""

    round_ref: str
    round_type: RoundType
    slot: str | None
    local_day: date = Field(description="The site's local date the round started on")
    area: str
    started_at: AwareDatetime
    ended_at: AwareDatetime
    inspectors: list[str] = Field(description="Who walked it: the envelope's actor, then others")
    points: list[PointChecked]
    findings: list[RecordedFinding]

    def of_type(self, kind: FindingType) -> list[RecordedFinding]:
        return [f for f in self.findings if f.type is kind]


class RoundPlannedEvent(Envelope):
    event_type: Literal["round.planned"]
    data: RoundPlanned


class RoundRecordedEvent(Envelope):
    event_type: Literal["round.recorded"]
    data: RoundRecorded


ROUND_EVENTS: tuple[type[Envelope], ...] = (RoundPlannedEvent, RoundRecordedEvent)
