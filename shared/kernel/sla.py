"""Service-level policy as data (docs/DOMAIN.md §5, §3): every clock, its target, its warning point
and the role told when it breaches; the complaint ladder. Sites override any value in their entry of
the site directory (`sla`); the defaults below name the rule they come from.

Intake uses it to tell the customer the first deadline (R3.9); escalation runs the clocks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.kernel.vocabulary import ClockName, Kind, Level, Role, Scope, Urgency, Validity

# How a clock counts its time (docs/SERVICE-LEVELS.md "How each clock counts"):
#   calendar        every second, whatever the site counts for ordinary work (R2.3, R15.14: the
#                   hotline and emergencies do not wait for office hours)
#   site            as the site counts (`SlaConfig.counting`: calendar time or office hours)
#   urgent_calendar every second for urgent work (R7.1), as the site counts for the rest
Counts = Literal["calendar", "site", "urgent_calendar"]
# What one run of a clock counts in, once its work is known: every second, or as the site counts
Counting = Literal["calendar", "site"]


class ClockRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    target: timedelta
    warn_at: float = Field(default=0.8, gt=0, lt=1, description="Share of the target")
    notify: Role
    rule: str
    compensation_risk: bool = Field(
        default=False, description="A breach makes the company liable for compensation (R7.4)"
    )
    counts: Counts = Field(
        default="site",
        description="calendar: every second; site: as the site counts (calendar or office "
        "hours); urgent_calendar: every second for urgent work, else as the site counts",
    )

    def counting(self, *, urgent: bool) -> Counting:
        """What a run of this clock counts in, for urgent work or not."""
        if self.counts == "calendar" or (self.counts == "urgent_calendar" and urgent):
            return "calendar"
        return "site"


def _clock(minutes: float, notify: Role, rule: str, *, risk: bool = False,
           counts: Counts = "site") -> ClockRule:  # fmt: skip
    return ClockRule(
        target=timedelta(minutes=minutes),
        notify=notify,
        rule=rule,
        compensation_risk=risk,
        counts=counts,
    )


HOUR = 60
# Which event starts and stops each clock, and from when it counts, is escalation's policy
# (services/escalation/application/policy.py TRIGGERS; the table of docs/SERVICE-LEVELS.md is
# written from it).
# Help requests and urgent repairs count every second (R10.2, R7.3; R2.3, R15.14: the hotline
# and emergencies are served outside office hours); an urgent order's steps do too.
CALENDAR: Counts = "calendar"
URGENT: Counts = "urgent_calendar"
DEFAULT_CLOCKS: dict[ClockName, ClockRule] = {
    ClockName.help_reply: _clock(5, Role.cs_assistant, "R10.2", counts=CALENDAR),
    ClockName.order_issued_household: _clock(5, Role.cs_assistant, "R7.6", counts=URGENT),
    ClockName.order_issued_public: _clock(3, Role.cs_assistant, "R7.12", counts=URGENT),
    ClockName.order_collected_household: _clock(
        2, Role.department_supervisor, "R7.6", counts=URGENT
    ),
    ClockName.order_collected_public: _clock(5, Role.department_supervisor, "R7.12", counts=URGENT),
    ClockName.on_site_household: _clock(15, Role.department_supervisor, "R7.7", counts=URGENT),
    ClockName.on_site_public: _clock(10, Role.department_supervisor, "R7.13", counts=URGENT),
    ClockName.urgent_on_site: _clock(
        2 * HOUR, Role.project_manager, "R7.3", risk=True, counts=CALENDAR
    ),
    ClockName.urgent_fixed: _clock(
        24 * HOUR, Role.project_manager, "R7.3", risk=True, counts=CALENDAR
    ),
    ClockName.general_fixed: _clock(
        72 * HOUR, Role.department_supervisor, "R7.3 (S3 says 2 days: C2)", risk=True
    ),
    ClockName.non_standard_assessed: _clock(15, Role.department_supervisor, "R7.14"),
    ClockName.follow_up: _clock(24 * HOUR, Role.cs_assistant, "R11.3, decision G1"),
    # a week is seven days (R13.16); the project head re-checks last week's findings (R13.4)
    ClockName.finding_resolved: _clock(
        7 * 24 * HOUR, Role.project_manager, "R13.16", counts=CALENDAR
    ),
}

DEFAULT_LADDER: dict[Level, timedelta] = {
    Level.department_supervisor: timedelta(days=2),  # R6.4
    Level.project_manager: timedelta(weeks=1),  # R6.5
    Level.gm_office: timedelta(weeks=2),  # R6.6
}
DEFAULT_UPGRADE = timedelta(days=30)  # R6.7, R5.1c: "one month"
# The ladder and the upgrade are calendar durations from receipt (R6.4–R6.7, R5.1c), also at a
# site that counts office hours for its clocks: "one week" is seven days, not seven office days.
LADDER_COUNTS: Counts = "calendar"


class ClockOverride(BaseModel):
    """A site's change to one clock; what it leaves out keeps the default."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    target: timedelta | None = Field(default=None, gt=timedelta(0))
    warn_at: float | None = Field(default=None, gt=0, lt=1)
    notify: Role | None = None


class OfficeHoursConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    opens: time = time(8, 0)
    closes: time = time(17, 0)

    @model_validator(mode="after")
    def _ordered(self) -> OfficeHoursConfig:
        if self.opens >= self.closes:
            raise ValueError("office hours must open before they close")
        return self


class CalendarConfig(BaseModel):
    """A site's own days off and working days, over mainland China's holidays and adjusted
    working days (shared/kernel/worktime.py); only where the site counts office hours."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    days_off: tuple[date, ...] = Field(default=(), description="Extra days off (a local holiday)")
    working_days: tuple[date, ...] = Field(
        default=(), description="Days worked that the mainland calendar has off"
    )
    years: tuple[int, ...] = Field(
        default=(),
        description="Years the site has entered in full (the State Council's notice, before the "
        "holidays package has it): their deadlines are no longer flagged as guessed",
    )

    @model_validator(mode="after")
    def _not_both(self) -> CalendarConfig:
        both = sorted(set(self.days_off) & set(self.working_days))
        if both:
            raise ValueError(f"days both off and worked: {', '.join(map(str, both))}")
        return self


class SlaConfig(BaseModel):
    """A site's service-level settings (site directory entry, key `sla`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    counting: Literal["calendar", "office_hours"] = "calendar"
    office_hours: OfficeHoursConfig = Field(default_factory=OfficeHoursConfig)
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    clocks: dict[ClockName, ClockOverride] = Field(default_factory=dict)
    ladder: dict[Level, timedelta] = Field(default_factory=dict)
    upgrade_after: timedelta = Field(default=DEFAULT_UPGRADE, gt=timedelta(0))

    @model_validator(mode="after")
    def _ladder_climbs(self) -> SlaConfig:
        steps = [self.ladder_after(level) for level in Level]
        if steps != sorted(steps) or steps[-1] >= self.upgrade_after:
            raise ValueError("ladder steps must come in order and before the upgrade to major")
        return self

    def clock(self, name: ClockName) -> ClockRule:
        rule = DEFAULT_CLOCKS[name]
        change = self.clocks.get(name)
        if change is None:
            return rule
        return rule.model_copy(update=change.model_dump(exclude_none=True))

    def ladder_after(self, level: Level) -> timedelta:
        return self.ladder.get(level, DEFAULT_LADDER[level])

    def ladder_due(self, received_at: datetime, level: Level) -> datetime:
        """When the ladder reaches `level`: calendar time from receipt (LADDER_COUNTS)."""
        return (received_at + self.ladder_after(level)).astimezone(UTC)

    def upgrade_due(self, received_at: datetime) -> datetime:
        """When an unresolved complaint becomes major: calendar time from receipt (R5.1c)."""
        return (received_at + self.upgrade_after).astimezone(UTC)


def repair_clocks(urgency: Urgency, scope: Scope) -> tuple[ClockName, ...]:
    """The ticket-level clocks a repair runs from receipt, besides issuing its order."""
    if urgency is Urgency.urgent:
        return (ClockName.urgent_on_site, ClockName.urgent_fixed)
    return (ClockName.general_fixed,)


def climbs_ladder(kind: str, validity: str | None) -> bool:
    """A complaint climbs the ladder from receipt, classified or not, unless it is communicative
    (R6.3–R6.7, R5.6); escalation runs the ladder, intake guards who may cancel one on it."""
    return kind == Kind.complaint and validity != Validity.communicative
