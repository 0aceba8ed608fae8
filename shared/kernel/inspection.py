"""Inspection rounds and their findings (巡查/巡检, docs/INSPECTION.md): policy as data.

A site plans its rounds month by month (R13.1) in slots that recur daily, weekly or monthly
(R13.4–R13.11); a round is recorded with the points it checked and what it found (R13.13,
R13.14). A finding not fixed on the spot becomes an inspection ticket at the front desk (R13.15a,
C9), routed by its type (R13.15b): `FINDING_ROUTES`. It is resolved within a week (R13.16: the
clock `finding_resolved` of shared/kernel/sla.py), later only with the manager's approval (C12),
and verified on site instead of a customer call (R13.17).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from shared.kernel.vocabulary import ClockName, Kind, Role


class Frequency(StrEnum):
    """How often a planned slot recurs (R13.4–R13.11; C8: the site chooses its slots)."""

    daily = "daily"  # 日检 9:30–10:00 (R13.10), zone patrols (R13.5, R13.6)
    weekly = "weekly"  # 周检 14:00–15:00, the Monday building inspection (R13.4, R13.10)
    monthly = "monthly"  # the monthly fire-safety check (R13.11)


class RoundType(StrEnum):
    """定期/专项/投诉/随机巡查 (R13.12)."""

    scheduled = "scheduled"
    special = "special"
    complaint = "complaint"
    random = "random"


class FindingType(StrEnum):
    """What a finding is about, which says where it goes (R13.15b)."""

    facility = "facility"  # 公共设施破损、丢失: the repair procedure
    staff = "staff"  # 员工不履职: that department's supervisor
    violation = "violation"  # 住户/租户违例: the violation procedure (R14)


@dataclass(frozen=True, slots=True)
class FindingRoute:
    """Where a finding of one type goes: the kind of ticket it opens and who answers for it."""

    kind: Kind
    routed_to: str  # what docs/INSPECTION.md and the round's event call the route
    rule: str


# The routing of findings (R13.15b). A facility finding is a repair: dispatch issues its work
# order as for any repair reported. A staff finding is not a customer's complaint (it must not
# count in the complaint figures nor climb the ladder): its ticket is a `suggestion` from the
# round, and the department's supervisor is named on the round's event. A violation opens a
# ticket of kind `violation`, which the violation case (issue 16 item 3) takes over.
FINDING_ROUTES: dict[FindingType, FindingRoute] = {
    FindingType.facility: FindingRoute(Kind.repair, "repair", "R13.15b, S2:72"),
    FindingType.staff: FindingRoute(Kind.suggestion, "department_supervisor", "R13.15b, S2:294"),
    FindingType.violation: FindingRoute(Kind.violation, "violation_case", "R13.15b, S2:296"),
}

# The clock a finding runs from receipt to resolution (R13.16), and the only clock the manager
# may extend (C12): every other service level is the customer's and is never moved.
FINDING_CLOCK = ClockName.finding_resolved
EXTENDABLE_CLOCKS = frozenset({FINDING_CLOCK})
# Who may extend it: the site's `inspection.extension_approvers` (C12), checked as every role is
# (shared/kernel/staff.py `Permission`).

# Records of rounds are kept two years (R13.20); docs/INSPECTION.md says what that means here.
RETENTION = timedelta(days=2 * 365)

# The evening shift e-mails the day's findings before 18:30 (R12.9); the week's quality check
# sheet (《物业品质监督检查表》) goes to the division before Friday (R1.5): by Friday 00:00.
DAILY_SUMMARY_DUE = time(18, 30)
QUALITY_SHEET_DUE_WEEKDAY = 4  # Friday (Monday = 0): due at its first moment


class InspectionConfig(BaseModel):
    """A site's choices where the procedures disagree or are silent (site directory, key
    `inspection`; docs/INSPECTION.md). The week itself is the clock's: `sla.clocks`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    extension_approvers: tuple[Role, ...] = Field(
        default=(Role.project_manager,),
        min_length=1,
        description="Who approves a later deadline for a finding (C12: S2:72 says manager and "
        "supervisor, S2:295 the office director, who is the project manager)",
    )
    daily_summary_due: time = Field(
        default=DAILY_SUMMARY_DUE, description="The day's summary by this local time (R12.9)"
    )
    quality_sheet_due_weekday: int = Field(
        default=QUALITY_SHEET_DUE_WEEKDAY,
        ge=0,
        le=6,
        description="The week's quality check sheet before this weekday, 0 Monday (R1.5: Friday)",
    )


def week_of(day: date) -> date:
    """The Monday of the week `day` lies in (the quality sheet's week)."""
    return day - timedelta(days=day.weekday())


def daily_summary_due(day: date, zone: ZoneInfo, at: time = DAILY_SUMMARY_DUE) -> datetime:
    """When the day's summary of findings is due: 18:30 that day, in the site's zone (R12.9)."""
    return datetime.combine(day, at, tzinfo=zone)


def quality_sheet_due(day: date, zone: ZoneInfo,
                      weekday: int = QUALITY_SHEET_DUE_WEEKDAY) -> datetime:  # fmt: skip
    """When the quality check sheet of `day`'s week is due: before Friday, in the site's zone
    (R1.5), that is by the first moment of that week's Friday."""
    friday = week_of(day) + timedelta(days=weekday)
    return datetime.combine(friday, time(0, 0), tzinfo=zone)
