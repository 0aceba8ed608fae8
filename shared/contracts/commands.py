"""Commands accepted on desk.cmd.<site>.intake.<verb> (request/reply, JSON bodies)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Self
from uuid import UUID

from pydantic import (
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from shared.contracts.base import (
    Appointment,
    Contract,
    Key,
    LongText,
    Month,
    Place,
    ShortText,
    StaffId,
    TicketRef,
    Timestamp,
)
from shared.contracts.command import Command
from shared.contracts.incident_commands import INCIDENT_COMMANDS
from shared.contracts.replies import AnalysisReply, ContactReply, ReportReply, TicketReply
from shared.kernel.incidents import IncidentKind, opens_incident
from shared.kernel.personal import names_a_reporter
from shared.kernel.satisfaction import contradiction, is_satisfied
from shared.kernel.vocabulary import (
    CancelReason,
    Channel,
    CommunicativeType,
    HelpCategory,
    Kind,
    Severity,
    Validity,
)
from shared.kernel.zones import ZonesAsked


class TicketCommand(Command):
    """A command about one ticket, named by its id or by its number (HBW-202611-0042)."""

    reply: ClassVar[type[Contract]] = TicketReply

    ticket_id: TicketRef


class Reporter(Contract):
    """Who made contact. The name and phone stay in the intake store; the room is published as
    the ticket's unit, so it must hold neither (nor anything else personal)."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9][0-9 -]{2,22}[0-9]$")
    room: Place | None = Field(
        default=None, description="Room or location, published as the ticket's unit (R16.4)"
    )

    @field_validator("room")
    @classmethod
    def _room_names_nobody(cls, room: str | None, info: ValidationInfo) -> str | None:
        # `Place` has checked the room alone: what is left are the reporter's name and phone
        if room is not None and names_a_reporter(room, [info.data]):
            raise ValueError("holds the reporter's name or phone: it is published as the unit")
        return room


class AppointmentWindow(Appointment):
    start: Timestamp
    end: Timestamp

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("appointment end must be after its start")
        return self


class ReportContact(Command):
    """Log a contact (R3.1–R3.11). `client_ref` is unique per site: a repeat is a duplicate."""

    verb: ClassVar[str] = "report"
    reply: ClassVar[type[Contract]] = ReportReply

    client_ref: Key
    channel: Channel
    kind: Kind
    category: str | None = Field(default=None, max_length=32)
    help_category: HelpCategory | None = None
    incident_kind: IncidentKind | None = Field(
        default=None,
        description="For a help request of category A, E or F, which opens an incident (R16.5): "
        "what happened; default medical (A), crime (E), other (F)",
    )
    reporter: Reporter | None = None
    content: LongText
    received_at: Timestamp | None = None
    appointment: AppointmentWindow | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        # `Key` has checked client_ref alone: what is left are the reporter's name and phone
        if self.reporter is not None and names_a_reporter(
            self.client_ref, [{"name": self.reporter.name, "phone": self.reporter.phone}]
        ):
            # client_ref is published: not the caller's name or number (R15.4)
            raise ValueError("client_ref must not contain the reporter's name or phone")
        if self.kind is Kind.help and self.help_category is None:
            raise ValueError("help_category (A–G) is required when kind is help")
        if self.kind is not Kind.help and self.help_category is not None:
            raise ValueError("help_category is only for help requests")
        if self.incident_kind is not None and not opens_incident(self.help_category):
            raise ValueError("incident_kind is only for help requests of category A, E or F")
        if self.reporter is None and self.channel is not Channel.inspection:
            raise ValueError("reporter is required except for inspection findings")
        if (
            self.channel in (Channel.phone, Channel.hotline)
            and self.reporter is not None
            and self.reporter.phone is None
        ):
            raise ValueError("reporter.phone is required for phone contacts")
        return self


class ClassifyTicket(TicketCommand):
    """Analyse and classify (分析界定, R6.2). Omitted fields keep their current value."""

    verb: ClassVar[str] = "classify"

    kind: Kind | None = None
    category: str | None = Field(default=None, max_length=32)
    help_category: HelpCategory | None = None
    validity: Validity | None = None
    communicative_type: CommunicativeType | None = None
    severity: Severity | None = None
    about_staff: StaffId | None = Field(
        default=None,
        description="A complaint about a named member of staff (服务投诉): their staff id; "
        "their department's supervisor is told at the supervisor step (R4.12)",
    )

    @model_validator(mode="after")
    def _something(self) -> Self:
        fields = ("kind", "category", "help_category", "validity", "communicative_type", "severity",
                  "about_staff")  # fmt: skip
        if all(getattr(self, f) is None for f in fields):
            raise ValueError(f"give at least one of {', '.join(fields)}")
        return self


class LinkContact(TicketCommand):
    """A repeat contact about an open ticket (R16.1)."""

    verb: ClassVar[str] = "link"

    channel: Channel
    content: LongText
    reporter: Reporter | None = None
    received_at: Timestamp | None = None


class RevealContact(TicketCommand):
    """Show the reporters' names and phones to a member of staff who needs them (R15.2)."""

    verb: ClassVar[str] = "reveal_contact"
    reply: ClassVar[type[Contract]] = ContactReply

    purpose: ShortText = Field(description="Why, e.g. 回访 follow-up call; recorded")


class AcceptSolution(TicketCommand):
    """The customer accepted the solution proposed for their complaint (R6.9): it is carried out
    only then, and a valid complaint is resolved only after it."""

    verb: ClassVar[str] = "accept_solution"
    solution: LongText = Field(description="The solution put to the customer; published masked")


class ResolveTicket(TicketCommand):
    """Record the resolution; the follow-up call is then due. Never while a work order is open
    (R8.12); a complaint is classified first (R6.2), and a valid one's solution accepted by the
    customer (R6.9)."""

    verb: ClassVar[str] = "resolve"
    resolution: LongText


class ReplyToCustomer(TicketCommand):
    """A reply to the customer while the ticket is open; the first one stops R10.2's clock."""

    verb: ClassVar[str] = "reply"

    message: ShortText = Field(description="What the customer was told; personal data is masked")


class RecordFollowUp(TicketCommand):
    """回访: the customer's score; 4–5 is satisfied and closes the ticket, 1–3 reopens it
    (R11.1–R11.8, shared/kernel/satisfaction.py). An inspection finding has no customer to call:
    it is verified on site instead (`verify`, R13.17)."""

    verb: ClassVar[str] = "follow_up"

    satisfied: bool | None = Field(
        default=None,
        description="Optional: what the score says (true for 4–5); a contradiction is refused",
    )
    score: int = Field(ge=1, le=5, description="What the customer said: 1–5, 4–5 satisfied")
    comment: LongText | None = None

    @model_validator(mode="after")
    def _one_answer(self) -> Self:
        problem = contradiction(self.satisfied, self.score)
        if problem is not None:
            raise ValueError(problem)
        if not is_satisfied(self.score) and self.comment is None:
            raise ValueError("comment is required when the customer is not satisfied")
        return self


class VerifyOnSite(TicketCommand):
    """An inspection finding, once handled, is verified on site by the responsible person, who
    records who verified it, when, and the result (R13.17): passed closes it, failed reopens it
    with what remains. It has no customer to call back, so this takes the follow-up's place."""

    verb: ClassVar[str] = "verify"

    passed: bool = Field(description="The result: the problem is gone (true) or not (false)")
    verified_by: StaffId | None = Field(
        default=None, description="工号 of who verified on site; default: the giving staff_id"
    )
    verified_at: Timestamp | None = Field(
        default=None, description="When it was verified on site; default: now"
    )
    note: LongText | None = Field(
        default=None, description="The process, measures and result; required when failed"
    )

    @model_validator(mode="after")
    def _reason_when_failed(self) -> Self:
        if not self.passed and self.note is None:
            raise ValueError("note is required when the verification failed: what remains")
        return self


class ReopenTicket(TicketCommand):
    """Reopen a resolved or closed ticket, with the reason."""

    verb: ClassVar[str] = "reopen"
    reason: ShortText


class CancelTicket(TicketCommand):
    """Cancel a ticket withdrawn by the customer, or a duplicate of another ticket
    (`duplicate_of`, by its number or id); it ends without a follow-up call. A complaint on the
    escalation ladder needs a department supervisor or above (R6.4–R6.6)."""

    verb: ClassVar[str] = "cancel"

    reason: CancelReason = Field(description="duplicate or withdrawn")
    note: ShortText | None = Field(default=None, description="What the desk was told; masked")
    duplicate_of: TicketRef | None = Field(
        default=None, description="The ticket this one repeats, by its id or number (G2)"
    )

    @model_validator(mode="after")
    def _duplicate_names_its_ticket(self) -> Self:
        if self.reason is CancelReason.duplicate and self.duplicate_of is None:
            raise ValueError("a duplicate names the ticket it repeats in duplicate_of")
        if self.reason is not CancelReason.duplicate and self.duplicate_of is not None:
            raise ValueError("duplicate_of is only for reason duplicate")
        return self


# Years 1970–2999: every month a report looks at (the six before, the one after) is a date.


class AttachMonthAnalysis(Command):
    """The site manager's monthly complaint analysis (R12.2); attaching again revises it."""

    verb: ClassVar[str] = "attach_analysis"
    reply: ClassVar[type[Contract]] = AnalysisReply

    month: Month = Field(description="YYYY-MM, the site's local calendar month")
    cause: LongText = Field(description="原因分析 cause analysis")
    lessons: LongText = Field(description="经验教训总结 lessons learned")
    actions: LongText = Field(description="整改措施 corrective actions")


class GetTicket(Contract):
    """By id, or by the number the desk told the customer (HBW-202611-0042): exactly one."""

    ticket_id: UUID | None = None
    ticket_no: str | None = Field(default=None, max_length=64)
    as_of: Timestamp | None = Field(
        default=None,
        description="The ticket as the desk knew it at this time (ISO 8601 with offset): "
        "its events recorded (recorded_at) up to and including it; default: now",
    )

    @model_validator(mode="after")
    def _one_key(self) -> Self:
        if (self.ticket_id is None) == (self.ticket_no is None):
            raise ValueError("give either ticket_id or ticket_no")
        return self


class ListTickets(Contract):
    status: str | None = None
    kind: Kind | None = None
    zones: ZonesAsked = Field(
        default_factory=list,
        description="Only the tickets whose unit's zone (组团 / 辖区, at report) is one of these, "
        "compared without case — a zone CS assistant's cases (R1.3, R6.3); empty: every ticket",
    )  # fmt: skip
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=200)


# every intake command, in the contract's order (docs/contract.md §6); the incidents' last
INTAKE_COMMANDS: tuple[type[Command], ...] = (
    ReportContact,
    ClassifyTicket,
    LinkContact,
    RevealContact,
    ReplyToCustomer,
    AcceptSolution,
    ResolveTicket,
    RecordFollowUp,
    VerifyOnSite,
    ReopenTicket,
    CancelTicket,
    AttachMonthAnalysis,
    *INCIDENT_COMMANDS,
)
