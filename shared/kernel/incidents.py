"""Emergency events (突发事件, R16.5, R4.10): what opens one, who is told at once, and how long the
desk has to record the follow-up (docs/INCIDENTS.md). Policy as data, in the kernel, so that
intake (which records incidents), escalation (which tells people) and the docs name one table.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.kernel.vocabulary import Department, HelpCategory, Role


class IncidentKind(StrEnum):
    """What happened (R16.5, R4.10, R4.6 categories A, E, F)."""

    fire = "fire"  # 火灾
    power_cut = "power_cut"  # 停电
    flood = "flood"  # 水浸
    lift_entrapment = "lift_entrapment"  # 电梯困人
    medical = "medical"  # 急救病人
    crime = "crime"  # 盗窃、打架斗殴、抢劫…
    other = "other"


class IncidentStatus(StrEnum):
    open = "open"
    closed = "closed"


# A help request of these categories is an incident, not a help ticket (R4.6, R16.5): the kind
# it opens unless the desk says which (a category F request may be a fire, a flood or a lift).
OPENED_BY_HELP: dict[HelpCategory, IncidentKind] = {
    HelpCategory.A: IncidentKind.medical,
    HelpCategory.E: IncidentKind.crime,
    HelpCategory.F: IncidentKind.other,
}

# Who is told at once, on any hour (R10.7, R15.14, R15.15): the security department's supervisor
# (安全部门) and the duty manager (the management office's project manager, 值班经理).
ALERTED: tuple[tuple[Role, Department | None], ...] = (
    (Role.department_supervisor, Department.security),
    (Role.project_manager, None),
)

# How long after it opened an incident may stay without its follow-up before the duty manager is
# reminded (the procedures say "follow up afterwards", not when: our choice, R16.5).
FOLLOW_UP_WITHIN = timedelta(hours=24)


class IncidentConfig(BaseModel):
    """A site's incident policy (the site directory's `incidents`): how long the follow-up may
    wait before the duty manager is reminded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    follow_up_hours: float = Field(
        default=FOLLOW_UP_WITHIN.total_seconds() / 3600,
        gt=0,
        le=24 * 31,
        description="Hours after an incident opens before the duty manager is reminded of its "
        "follow-up (R16.5)",
    )

    @property
    def follow_up_within(self) -> timedelta:
        return timedelta(hours=self.follow_up_hours)


def opens_incident(help_category: str | None) -> bool:
    return help_category is not None and HelpCategory(help_category) in OPENED_BY_HELP
