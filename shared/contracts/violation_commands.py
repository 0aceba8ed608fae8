"""Violation-case commands on desk.cmd.<site>.intake.violation_<verb> (R14.1–R14.10,
docs/VIOLATIONS.md). A case is named by its id or by the `client_ref` it was opened with."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar, Literal, Self
from uuid import UUID

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from shared.contracts.base import Contract, Key, LongText, Place, ShortText, Timestamp
from shared.contracts.commands import Command, Reporter, TicketRef
from shared.kernel.personal import looks_personal
from shared.kernel.violations import Measure, ViolationClass


class ViolationCategory(StrEnum):
    """常见违例现象 (R14.1)."""

    decoration = "decoration"  # 装修
    fire = "fire"  # 消防
    hygiene = "hygiene"  # 环境卫生, 高空抛物, noise
    public_security = "public_security"  # 治安: parking, hazardous materials, fighting
    other = "other"  # anything else harming others or the community's safety


def _in_years(value: date) -> date:
    if not 1970 <= value.year <= 2999:
        raise ValueError("must lie in the years 1970–2999")
    return value


DueDate = Annotated[date, AfterValidator(_in_years)]
Amount = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,9}(\.[0-9]{1,2})?$")]
CaseRef = Annotated[
    UUID | Key, Field(description="The case's id (UUID) or the client_ref it was opened with")
]


class ViolationReply(Contract):
    ok: Literal[True] = True
    case_id: str
    client_ref: str
    violation_class: ViolationClass
    status: str = Field(description="open | closed | expired")
    responsible: str = Field(description="The role that answers for it (R14.4, R14.9)")
    measures: list[Measure] = Field(description="The measures recorded, in order")
    penalty: str | None = Field(description="proposed | signed (in force, R14.6) | none")


class ViolationCommand(Command):
    reply: ClassVar[type[Contract]] = ViolationReply

    case: CaseRef


class OpenViolation(Command):
    """Register a violation (客户违例事件记录表, R14.4): general (no loss, no threat to safety) or
    major (R14.2). Staff who saw it, or an inspection finding (`ticket_id`, `finding`: R14.10).
    The offender's name and phone, if given, stay in intake's store; never published."""

    verb: ClassVar[str] = "violation_open"
    reply: ClassVar[type[Contract]] = ViolationReply

    client_ref: Key = Field(description="Unique per site: a repeat is the same case")
    violation_class: ViolationClass
    category: ViolationCategory
    place: Place = Field(description="Unit or public area (published)")
    description: LongText = Field(description="What was seen; personal data is masked")
    observed_at: Timestamp | None = Field(default=None, description="Default: now")
    offender: Reporter | None = Field(default=None, description="Kept in intake only")
    ticket_id: TicketRef | None = Field(
        default=None, description="The ticket or inspection finding it came from"
    )
    finding: Key | None = Field(
        default=None, description="The inspection round's finding id, for h-rounds' findings"
    )

    @model_validator(mode="after")
    def _ref_names_nobody(self) -> Self:
        if self.offender is not None and looks_personal(
            self.client_ref, [self.offender.model_dump()]
        ):
            raise ValueError("client_ref must not contain the offender's name or phone")
        return self


class ReclassifyViolation(ViolationCommand):
    """General becomes major when a loss or a threat to safety is found, or the reverse (R14.2):
    the case then belongs to the project manager (or the CS-assistant supervisor, R14.4). A case
    that asked for compensation stays major. Only those two roles (R14.9)."""

    verb: ClassVar[str] = "violation_classify"

    violation_class: ViolationClass
    reason: ShortText


class RecordMeasure(ViolationCommand):
    """A handling measure with its due date (R14.3): persuasion → rectify (限期整改) →
    compensation → legal_action, each after every earlier one; compensation and legal action
    only for a major case, legal action only after a failed mediation. The case's responsible
    role is told when the due date passes with no later measure and the case open."""

    verb: ClassVar[str] = "violation_measure"

    measure: Measure
    due_on: DueDate = Field(description="YYYY-MM-DD, the site's calendar")
    note: LongText | None = None


class RecordMediation(ViolationCommand):
    """The customer committee's mediation (客户委员会调解), after compensation was asked for."""

    verb: ClassVar[str] = "violation_mediate"

    failed: bool = Field(description="true: mediation failed, legal action may follow")
    note: LongText | None = None


class ProposePenalty(ViolationCommand):
    """A penalty (e.g. compensation, 通报批评): only the project manager or the CS-assistant
    supervisor (R14.7); in force only once the manager signs it (R14.6)."""

    verb: ClassVar[str] = "violation_penalty"

    penalty: ShortText = Field(description="The decision (处理意见); masked when published")
    amount: Amount | None = Field(default=None, description="Yuan, e.g. 1200.50")


class SignPenalty(ViolationCommand):
    """The management-office manager signs the proposed penalty: it takes effect (R14.6)."""

    verb: ClassVar[str] = "violation_sign"


class CloseViolation(ViolationCommand):
    """Close the case; a penalty never signed lapses. Its record is kept one year (general) or
    five (major) from today, the site's calendar (R14.8)."""

    verb: ClassVar[str] = "violation_close"

    outcome: ShortText


VIOLATION_COMMANDS: tuple[type[Command], ...] = (
    OpenViolation,
    ReclassifyViolation,
    RecordMeasure,
    RecordMediation,
    ProposePenalty,
    SignPenalty,
    CloseViolation,
)


class GetViolation(Contract):
    """A violation case as 《客户违例事件记录表》 shows it: by id or client_ref, exactly one."""

    case_id: UUID | None = None
    client_ref: Key | None = None

    @model_validator(mode="after")
    def _one_key(self) -> Self:
        if (self.case_id is None) == (self.client_ref is None):
            raise ValueError("give either case_id or client_ref")
        return self


class ListViolations(Contract):
    """A site's violation cases, the latest observed first; a case past its retention is gone."""

    status: Annotated[str, StringConstraints(pattern=r"^(open|closed)$")] | None = None
    limit: int = Field(default=50, ge=1, le=200)
