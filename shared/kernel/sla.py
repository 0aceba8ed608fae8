"""Service-level policy as data (docs/DOMAIN.md §5, §3): every clock, its target, its warning point
and the role told when it breaches; the complaint ladder. Sites override any value in their entry of
the site directory (`sla`); the defaults below name the rule they come from.

Intake uses it to tell the customer the first deadline (R3.9); escalation runs the clocks.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.kernel.vocabulary import ClockName, Kind, Level, Role, Scope, Urgency, Validity


class ClockRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    target: timedelta
    warn_at: float = Field(default=0.8, gt=0, lt=1, description="Share of the target")
    notify: Role
    rule: str
    compensation_risk: bool = Field(
        default=False, description="A breach makes the company liable for compensation (R7.4)"
    )


def _clock(minutes: float, notify: Role, rule: str, *, risk: bool = False) -> ClockRule:
    return ClockRule(
        target=timedelta(minutes=minutes), notify=notify, rule=rule, compensation_risk=risk
    )


HOUR = 60
# Which event starts and stops each clock, and from when it counts, is escalation's policy
# (services/escalation/policy.py TRIGGERS; the table of docs/SERVICE-LEVELS.md is written from it).
DEFAULT_CLOCKS: dict[ClockName, ClockRule] = {
    ClockName.help_reply: _clock(5, Role.cs_assistant, "R10.2"),
    ClockName.order_issued_household: _clock(5, Role.cs_assistant, "R7.6"),
    ClockName.order_issued_public: _clock(3, Role.cs_assistant, "R7.12"),
    ClockName.order_collected_household: _clock(2, Role.department_supervisor, "R7.6"),
    ClockName.order_collected_public: _clock(5, Role.department_supervisor, "R7.12"),
    ClockName.on_site_household: _clock(15, Role.department_supervisor, "R7.7"),
    ClockName.on_site_public: _clock(10, Role.department_supervisor, "R7.13"),
    ClockName.urgent_on_site: _clock(2 * HOUR, Role.project_manager, "R7.3", risk=True),
    ClockName.urgent_fixed: _clock(24 * HOUR, Role.project_manager, "R7.3", risk=True),
    ClockName.general_fixed: _clock(
        72 * HOUR, Role.department_supervisor, "R7.3 (S3 says 2 days: C2)", risk=True
    ),
    ClockName.non_standard_assessed: _clock(15, Role.department_supervisor, "R7.14"),
    ClockName.follow_up: _clock(24 * HOUR, Role.cs_assistant, "R11.3, decision G1"),
}

DEFAULT_LADDER: dict[Level, timedelta] = {
    Level.department_supervisor: timedelta(days=2),  # R6.4
    Level.project_manager: timedelta(weeks=1),  # R6.5
    Level.gm_office: timedelta(weeks=2),  # R6.6
}
DEFAULT_UPGRADE = timedelta(days=30)  # R6.7, R5.1c: "one month"


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


class SlaConfig(BaseModel):
    """A site's service-level settings (site directory entry, key `sla`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    counting: Literal["calendar", "office_hours"] = "calendar"
    office_hours: OfficeHoursConfig = Field(default_factory=OfficeHoursConfig)
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


def repair_clocks(urgency: Urgency, scope: Scope) -> tuple[ClockName, ...]:
    """The ticket-level clocks a repair runs from receipt, besides issuing its order."""
    if urgency is Urgency.urgent:
        return (ClockName.urgent_on_site, ClockName.urgent_fixed)
    return (ClockName.general_fixed,)


def climbs_ladder(kind: str, validity: str | None) -> bool:
    """A complaint climbs the ladder from receipt, classified or not, unless it is communicative
    (R6.3–R6.7, R5.6); escalation runs the ladder, intake guards who may cancel one on it."""
    return kind == Kind.complaint and validity != Validity.communicative
