"""Integration events: the only things that travel on the stream DESK.

Every event is one JSON envelope; `data` is typed per `event_type`. No reporter name or phone number
appears in any of these models (docs/DOMAIN.md §9) — the intake store keeps them.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, Union
from uuid import UUID

from pydantic import AwareDatetime, Field, TypeAdapter, model_validator

from shared.contracts.base import Appointment, Contract, StaffId
from shared.contracts.envelope import Envelope
from shared.contracts.escalation_events import ESCALATION_EVENTS
from shared.contracts.incident_events import INCIDENT_EVENTS
from shared.contracts.maintenance_events import MAINTENANCE_EVENTS
from shared.contracts.promise_events import PROMISE_EVENTS
from shared.contracts.resident_events import RESIDENT_EVENTS, TicketSpecialCareEvent
from shared.contracts.round_events import ROUND_EVENTS
from shared.contracts.shift_events import SHIFT_EVENTS, TicketHandedOverEvent
from shared.contracts.violation_events import VIOLATION_EVENTS
from shared.contracts.visit_events import VISIT_EVENTS
from shared.contracts.workorder_events import WORKORDER_EVENTS
from shared.kernel.vocabulary import (
    CancelReason,
    Channel,
    CommunicativeType,
    HelpCategory,
    Kind,
    Severity,
    Validity,
)


class TicketReported(Contract):
    """A contact opened a ticket (客户接待记录). Schema 2 added `zone`; a schema-1 event reads
    as null (not known)."""

    SCHEMA_VERSION: ClassVar[int] = 2

    ticket_no: str
    client_ref: str
    channel: Channel
    kind: Kind
    category: str | None
    help_category: HelpCategory | None
    unit: str | None = Field(description="Room or location; never a name or phone number")
    content: str = Field(description="What was reported; the reporter's name and phone are masked")
    received_at: AwareDatetime
    appointment: Appointment | None
    zone: str | None = Field(
        default=None, max_length=40,
        description="组团 / 辖区 of the unit, as the unit file gave it at report (R1.3, R16.4); "
        "null: the unit is not on file, has no zone, or the contact gave none",
    )  # fmt: skip


class TicketClassified(Contract):
    kind: Kind
    category: str | None
    help_category: HelpCategory | None
    validity: Validity | None
    communicative_type: CommunicativeType | None
    severity: Severity | None
    about_staff: StaffId | None = Field(
        default=None, description="The member of staff a complaint is about (R4.12)"
    )


class ContactLinked(Contract):
    """A repeat contact about an open ticket (R16.1)."""

    channel: Channel
    content: str
    received_at: AwareDatetime
    repeat_count: int


class ContactRevealed(Contract):
    """A member of staff (the envelope's actor) looked at the reporters' contact details."""

    purpose: str


class TicketResolved(Contract):
    resolution: str


class SolutionAccepted(Contract):
    """The customer accepted the solution proposed for their complaint, which is carried out only
    then (R6.9)."""

    solution: str = Field(description="The solution the customer accepted; masked")


class TicketReplied(Contract):
    """A reply to the customer (R10.2: a help request is answered within 5 minutes)."""

    message: str = Field(description="What the customer was told; personal data is masked")
    first: bool = Field(description="The ticket's first reply")


class FollowUpRecorded(Contract):
    """回访 outcome (R11.1)."""

    satisfied: bool
    score: int = Field(ge=1, le=5)
    comment: str | None


class VerifiedOnSite(Contract):
    """An inspection finding verified on site after handling (R13.17): who, when, the result."""

    verified_by: str = Field(description="工号 of who verified it on site")
    verified_at: AwareDatetime
    passed: bool = Field(description="true: closed; false: reopened with the note as reason")
    note: str | None = Field(description="The process, measures and result, masked")


class TicketClosed(Contract):
    reason: Literal["satisfied_follow_up", "verified_on_site"] = Field(
        description="satisfied_follow_up: a customer scored 4–5 (R11.1); verified_on_site: an "
        "inspection finding passed its check on site (R13.17)"
    )


class TicketReopened(Contract):
    reason: str
    reopen_count: int


class TicketCancelled(Contract):
    """A ticket withdrawn by the customer or a duplicate of another (docs/DOMAIN.md §6, G2).
    Schema 2 made `reason` `duplicate` or `withdrawn` and added `note`; a schema-1 event's free
    text reason reads as its `note`, with reason `duplicate` when it names `duplicate_of`, else
    `withdrawn`."""

    SCHEMA_VERSION: ClassVar[int] = 2

    reason: CancelReason
    note: str | None = Field(default=None, description="What the desk was told; masked")
    duplicate_of: UUID | None

    @model_validator(mode="before")
    @classmethod
    def _schema_1(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("reason") not in (*CancelReason, None):
            reason = CancelReason.duplicate if data.get("duplicate_of") else CancelReason.withdrawn
            return {**data, "reason": reason, "note": data.get("note") or data["reason"]}
        return data


class MonthAnalysisAttached(Contract):
    """The site manager's monthly complaint analysis (R12.2); a later revision replaces it."""

    month: str = Field(description="YYYY-MM, the site's local calendar month")
    cause: str = Field(description="原因分析, masked")
    lessons: str = Field(description="经验教训总结, masked")
    actions: str = Field(description="整改措施, masked")
    revision: int = Field(ge=1, description="1 for the first analysis of the month, then +1")


class TicketReportedEvent(Envelope):
    event_type: Literal["ticket.reported"]
    data: TicketReported


class TicketClassifiedEvent(Envelope):
    event_type: Literal["ticket.classified"]
    data: TicketClassified


class ContactLinkedEvent(Envelope):
    event_type: Literal["ticket.contact_linked"]
    data: ContactLinked


class ContactRevealedEvent(Envelope):
    event_type: Literal["ticket.contact_revealed"]
    data: ContactRevealed


class TicketResolvedEvent(Envelope):
    event_type: Literal["ticket.resolved"]
    data: TicketResolved


class TicketRepliedEvent(Envelope):
    event_type: Literal["ticket.replied"]
    data: TicketReplied


class FollowUpRecordedEvent(Envelope):
    event_type: Literal["ticket.followed_up"]
    data: FollowUpRecorded


class VerifiedOnSiteEvent(Envelope):
    event_type: Literal["ticket.verified"]
    data: VerifiedOnSite


class TicketClosedEvent(Envelope):
    event_type: Literal["ticket.closed"]
    data: TicketClosed


class TicketReopenedEvent(Envelope):
    event_type: Literal["ticket.reopened"]
    data: TicketReopened


class SolutionAcceptedEvent(Envelope):
    event_type: Literal["ticket.solution_accepted"]
    data: SolutionAccepted


class TicketCancelledEvent(Envelope):
    event_type: Literal["ticket.cancelled"]
    data: TicketCancelled


TICKET_EVENTS: tuple[type[Envelope], ...] = (
    TicketReportedEvent,
    TicketClassifiedEvent,
    ContactLinkedEvent,
    ContactRevealedEvent,
    TicketResolvedEvent,
    FollowUpRecordedEvent,
    TicketClosedEvent,
    TicketReopenedEvent,
    TicketCancelledEvent,
    TicketRepliedEvent,
    VerifiedOnSiteEvent,
    SolutionAcceptedEvent,
    TicketHandedOverEvent,  # first-contact ownership (R10.1): shift_events.py, contract §31
    TicketSpecialCareEvent,  # a special-care resident's (resident_events.py, R11.10)
)


class MonthAnalysisAttachedEvent(Envelope):
    event_type: Literal["report.analysis_attached"]
    data: MonthAnalysisAttached


INTAKE_EVENTS: tuple[type[Envelope], ...] = (
    *TICKET_EVENTS,
    MonthAnalysisAttachedEvent,
    *INCIDENT_EVENTS,
    *ROUND_EVENTS,
    *VIOLATION_EVENTS,
    *PROMISE_EVENTS,
    *MAINTENANCE_EVENTS,
    *SHIFT_EVENTS,
    *VISIT_EVENTS,
    *RESIDENT_EVENTS,
)
EVENT_MODELS = INTAKE_EVENTS + WORKORDER_EVENTS + ESCALATION_EVENTS
EVENT_TYPES: dict[str, type[Envelope]] = {m.type_name(): m for m in EVENT_MODELS}

AnyEvent = Annotated[Union[EVENT_MODELS], Field(discriminator="event_type")]  # noqa: UP007
_ADAPTER: TypeAdapter[Envelope] = TypeAdapter(AnyEvent)


def parse_event(raw: bytes | str) -> Envelope:
    """Validate one message of the stream into its typed envelope."""
    return _ADAPTER.validate_json(raw)
