"""Emergency events on DESK (desk.evt.<site>.incident.*, R16.5): intake publishes them, escalation
tells security and the duty manager, reporting lists them in the month's report. No names or
phone numbers: the place is a unit or an area, free text is masked (docs/DOMAIN.md §9)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from shared.contracts.base import Contract
from shared.contracts.envelope import Envelope
from shared.kernel.incidents import IncidentKind
from shared.kernel.vocabulary import HelpCategory, Role


class IncidentOpened(Contract):
    """An emergency event was opened (突发事件记录): by a help request of category A, E or F,
    or by the desk."""

    incident_no: str
    client_ref: str
    kind: IncidentKind
    place: str | None = Field(description="The unit or area; none when the caller gave none")
    occurred_at: AwareDatetime
    ticket_id: UUID | None = Field(description="The ticket of the contact that reported it")
    ticket_no: str | None
    help_category: HelpCategory | None = Field(
        description="The help request's category (A, E, F) when a help request opened it"
    )


class IncidentMeasureRecorded(Contract):
    """A measure taken (处理措施), masked."""

    measure: str
    taken_at: AwareDatetime


class IncidentReportedUp(Contract):
    """Reported upward (向上级报告)."""

    to: Role
    reported_at: AwareDatetime
    note: str | None


class IncidentClosed(Contract):
    """Followed up afterwards (事后跟进), masked; the incident is over."""

    follow_up: str
    closed_at: AwareDatetime


class IncidentOpenedEvent(Envelope):
    event_type: Literal["incident.opened"]
    data: IncidentOpened


class IncidentMeasureRecordedEvent(Envelope):
    event_type: Literal["incident.measure_recorded"]
    data: IncidentMeasureRecorded


class IncidentReportedUpEvent(Envelope):
    event_type: Literal["incident.reported_up"]
    data: IncidentReportedUp


class IncidentClosedEvent(Envelope):
    event_type: Literal["incident.closed"]
    data: IncidentClosed


INCIDENT_EVENTS: tuple[type[Envelope], ...] = (
    IncidentOpenedEvent,
    IncidentMeasureRecordedEvent,
    IncidentReportedUpEvent,
    IncidentClosedEvent,
)
