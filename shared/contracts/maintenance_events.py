"""Maintenance and outage notices on DESK (desk.evt.<site>.maintenance.*, R7.9, R7.10, R16.6):
intake publishes them, escalation keeps an emergency's explanation and an outage's restoration
on the clock, reporting counts them in the month's report. The scope is places, free text is
masked (docs/DOMAIN.md §9, docs/OUTAGES.md)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from shared.contracts.base import Contract
from shared.contracts.envelope import Envelope
from shared.contracts.maintenance_commands import NoticeScope
from shared.kernel.maintenance import NoticeKind


class NoticeAnnounced(Contract):
    """A notice was announced to the households in its scope (维修通告)."""

    notice_no: str
    client_ref: str
    kind: NoticeKind
    planned: bool
    scope: NoticeScope
    categories: list[str] = Field(description="The categories of contact it answers")
    starts_at: AwareDatetime
    expected_end: AwareDatetime = Field(description="Expected end or restoration (S1:120)")
    announced_at: AwareDatetime
    late: bool = Field(description="Planned, and announced later than the day before (R7.9)")
    explain_by: AwareDatetime | None = Field(
        description="An emergency's: when its explanation is due (R7.10)"
    )
    text: str


class RestorationRevised(Contract):
    """The expected end or restoration moved, and why."""

    expected_end: AwareDatetime
    previous_end: AwareDatetime
    reason: str


class NoticeExplained(Contract):
    """The explanation after emergency work (R7.10), masked."""

    explanation: str
    explained_at: AwareDatetime


class NoticeEnded(Contract):
    """Restored (an outage) or done (the work): no longer in force."""

    outcome: Literal["restored", "done"]
    ended_at: AwareDatetime
    note: str | None


class NoticeCancelled(Contract):
    reason: str


class NoticeContactLinked(Contract):
    """A contact's ticket linked to the notice it is about: by intake's matching rule (`auto`)
    or by the desk."""

    ticket_id: UUID
    ticket_no: str
    by: Literal["auto", "desk"]


class NoticeContactUnlinked(Contract):
    ticket_id: UUID
    ticket_no: str
    reason: str


class NoticeAnnouncedEvent(Envelope):
    event_type: Literal["maintenance.announced"]
    data: NoticeAnnounced


class RestorationRevisedEvent(Envelope):
    event_type: Literal["maintenance.revised"]
    data: RestorationRevised


class NoticeExplainedEvent(Envelope):
    event_type: Literal["maintenance.explained"]
    data: NoticeExplained


class NoticeEndedEvent(Envelope):
    event_type: Literal["maintenance.ended"]
    data: NoticeEnded


class NoticeCancelledEvent(Envelope):
    event_type: Literal["maintenance.cancelled"]
    data: NoticeCancelled


class NoticeContactLinkedEvent(Envelope):
    event_type: Literal["maintenance.contact_linked"]
    data: NoticeContactLinked


class NoticeContactUnlinkedEvent(Envelope):
    event_type: Literal["maintenance.contact_unlinked"]
    data: NoticeContactUnlinked


MAINTENANCE_EVENTS: tuple[type[Envelope], ...] = (
    NoticeAnnouncedEvent,
    RestorationRevisedEvent,
    NoticeExplainedEvent,
    NoticeEndedEvent,
    NoticeCancelledEvent,
    NoticeContactLinkedEvent,
    NoticeContactUnlinkedEvent,
)
