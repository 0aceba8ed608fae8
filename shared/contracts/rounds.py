"""Inspection rounds (巡查/巡检) on desk.cmd.<site>.intake.<verb> and desk.qry.<site>.round.*:
the month's plan (R13.1), a round recorded with its points and findings (R13.13, R13.14), and
the day's summary and the week's quality check sheet (R12.9, R1.5). docs/INSPECTION.md."""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import Annotated, ClassVar, Literal, Self

from pydantic import AwareDatetime, Field, StringConstraints, WithJsonSchema, model_validator

from shared.contracts.base import Contract, Key, Place, Timestamp
from shared.contracts.commands import Command, Month
from shared.contracts.violation_commands import ViolationCategory
from shared.kernel.inspection import FindingType, Frequency, RoundType
from shared.kernel.violations import ViolationClass
from shared.kernel.vocabulary import Department

SlotName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[\w.-]+$")
]
Point = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
# A request is read up to 128 KiB (shared/messaging/request_body.py), every character possibly
# escaped as 12 bytes: the lists and texts below are bounded so the largest body still fits.
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Measures = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def _named(values: type[StrEnum]) -> WithJsonSchema:
    """An enum's schema with the length of its longest value, so the request's size bound
    (tests/unit/test_request_body.py) counts what a value can be, not any string."""
    names = [v.value for v in values]
    return WithJsonSchema({"type": "string", "enum": names, "maxLength": max(map(len, names))})


CaseClass = Annotated[ViolationClass, _named(ViolationClass)]
CaseCategory = Annotated[ViolationCategory, _named(ViolationCategory)]


class RoutedFinding(Contract):
    """Where one finding of a round went."""

    index: int = Field(ge=0, description="Its place in the round's findings")
    type: FindingType
    routed_to: Literal["fixed_on_spot", "repair", "department_supervisor", "violation_case"]
    ticket_id: str | None = None
    ticket_no: str | None = None
    department: Department | None = Field(
        default=None, description="The department that answers for it (R13.2, R13.15b)"
    )
    case_id: str | None = Field(
        default=None, description="A violation finding: the violation case it opened (R14.10)"
    )


class PlanReply(Contract):
    ok: Literal[True] = True
    site: str
    month: str
    revision: int
    slots: int


class RoundReply(Contract):
    ok: Literal[True] = True
    round_id: str
    duplicate: bool
    findings: list[RoutedFinding]


class Slot(Contract):
    """One recurring round of the plan: daily, weekly on a weekday, monthly on a day (R13.10)."""

    name: SlotName = Field(description="The slot's key in the month's plan, e.g. daily-check")
    frequency: Frequency
    weekday: int | None = Field(default=None, ge=0, le=6, description="Weekly: 0 Monday … 6")
    day: int | None = Field(default=None, ge=1, le=28, description="Monthly: day of the month")
    starts: time = Field(description="Local time the round starts, e.g. 09:30 (R13.10)")
    ends: time
    area: Place = Field(description="The area the round covers (R13.1)")
    points: list[Point] = Field(min_length=1, max_length=12, description="What it checks")
    department: Department | None = Field(default=None, description="Whose round (R13.2)")

    @model_validator(mode="after")
    def _recurs(self) -> Self:
        if self.ends <= self.starts:
            raise ValueError("a slot ends after it starts")
        if (self.weekday is not None) != (self.frequency is Frequency.weekly):
            raise ValueError("weekday is given for a weekly slot, and only for one")
        if (self.day is not None) != (self.frequency is Frequency.monthly):
            raise ValueError("day is given for a monthly slot, and only for one")
        return self


class PlanRounds(Command):
    """The month's inspection plan (R13.1): its slots, daily, weekly and monthly; planning the
    same month again revises it."""

    verb: ClassVar[str] = "plan_rounds"
    reply: ClassVar[type[Contract]] = PlanReply

    month: Month = Field(description="YYYY-MM, the site's local calendar month")
    slots: list[Slot] = Field(min_length=1, max_length=14)

    @model_validator(mode="after")
    def _names_unique(self) -> Self:
        names = [slot.name for slot in self.slots]
        if len(set(names)) != len(names):
            raise ValueError("each slot of the plan has its own name")
        return self


class PointChecked(Contract):
    point: Point
    ok: bool = Field(description="true: as it should be; false: a finding records what is wrong")
    note: Note | None = None


class Finding(Contract):
    """A problem found (R13.14): where, what and its type; fixed on the spot or routed (R13.13,
    R13.15). One not fixed opens an inspection ticket."""

    point: Point
    type: FindingType
    category: str | None = Field(
        default=None, max_length=32, description="The site's category; required for a facility"
    )
    description: Text = Field(description="The problem found; personal data is masked")
    location: Place | None = Field(default=None, description="Room or place, published")
    fixed_on_spot: bool = Field(default=False, description="现场整改: no ticket is opened")
    measures: Measures | None = Field(default=None, description="What was done on the spot")
    about_staff: Key | None = Field(default=None, description="A staff finding: 工号 of whom")
    violation_class: CaseClass | None = Field(
        default=None, description="A violation finding: its case's class (R14.2); general"
    )
    violation_category: CaseCategory | None = Field(
        default=None, description="A violation finding: its case's category (R14.1); other"
    )

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.type is FindingType.facility and self.category is None:
            raise ValueError("a facility finding names its category (the repair's routing)")
        if self.fixed_on_spot and self.measures is None:
            raise ValueError("a finding fixed on the spot says what was done (measures)")
        if self.about_staff is not None and self.type is not FindingType.staff:
            raise ValueError("about_staff is only for a staff finding")
        case = self.violation_class is not None or self.violation_category is not None
        if case and self.type is not FindingType.violation:
            raise ValueError("violation_class and violation_category are for a violation finding")
        return self


class RecordRound(Command):
    """A round as it was walked (R13.13, R13.14): when, who, the points checked and what was
    found. Each finding not fixed on the spot opens an inspection ticket routed by its type
    (R13.15); `round_ref` is unique per site: the same round again changes nothing."""

    verb: ClassVar[str] = "record_round"
    reply: ClassVar[type[Contract]] = RoundReply

    round_ref: Key
    round_type: RoundType = RoundType.scheduled
    slot: SlotName | None = Field(default=None, description="The plan's slot it walks, if any")
    area: Place
    started_at: Timestamp
    ended_at: Timestamp
    inspectors: list[Key] = Field(
        default_factory=list, max_length=10, description="Others who walked it (工号)"
    )
    points: list[PointChecked] = Field(min_length=1, max_length=30)
    findings: list[Finding] = Field(default_factory=list, max_length=8)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.ended_at < self.started_at:
            raise ValueError("a round ends after it starts")
        if self.round_type is RoundType.scheduled and self.slot is None:
            raise ValueError("a scheduled round names the plan's slot it walks")
        failed = {p.point for p in self.points if not p.ok}
        unexplained = failed - {f.point for f in self.findings}
        if unexplained:
            raise ValueError(f"a point not ok has a finding: {', '.join(sorted(unexplained))}")
        return self


ROUND_COMMANDS: tuple[type[Command], ...] = (PlanRounds, RecordRound)


# -- queries: desk.qry.<site>.round.<name> ---------------------------------------------------------


class ListRounds(Contract):
    """round.list: the rounds of a local day or week, and the month's plan (R13.3: supervisors
    check each department's records)."""

    day: date = Field(description="A local date; with `week`, any day of that week")
    week: bool = Field(default=False, description="The whole Monday–Sunday week of `day`")


class FindingLine(Contract):
    """One finding as the summaries list it, with its ticket's state today."""

    round_id: str
    area: str
    point: str
    type: FindingType
    category: str | None
    description: str
    found_at: AwareDatetime
    routed_to: str
    department: Department | None
    ticket_no: str | None
    status: str = Field(description="fixed_on_spot, or the ticket's status")
    due_at: AwareDatetime | None = Field(description="Resolved within a week (R13.16)")
    verified: bool | None = Field(description="Passed its check on site (R13.17)")
    case_id: str | None = Field(default=None, description="A violation finding's case (R14.10)")


class RoundLine(Contract):
    round_id: str
    round_ref: str
    round_type: RoundType
    slot: str | None
    area: str
    started_at: AwareDatetime
    ended_at: AwareDatetime
    inspector: str
    points: int
    points_ok: int
    findings: int


class RoundsReply(Contract):
    ok: Literal[True] = True
    site: str
    first_day: date
    last_day: date
    due_at: AwareDatetime = Field(
        description="The day's summary by 18:30 (R12.9); the week's quality check sheet "
        "(《物业品质监督检查表》) before Friday (R1.5); in the site's zone"
    )
    planned: list[Slot] = Field(description="The slots the month's plan has for these days")
    missed: list[str] = Field(description="Planned slots (date/name) no round walked")
    rounds: list[RoundLine]
    findings: list[FindingLine]
