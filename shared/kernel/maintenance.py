"""Maintenance and outage notices (维修通告, R7.9, R7.10, R16.6; docs/OUTAGES.md): what a notice
is about, when it must be announced, when an emergency's explanation and an outage's restoration
fall due, and which contacts it answers. Policy as data, in the kernel, so that intake (which
records notices and links contacts), escalation (which keeps their clocks) and the docs name one
table."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field


class NoticeKind(StrEnum):
    """What a notice announces (R7.9, R7.10, S1:120)."""

    planned_work = "planned_work"  # 公共部位计划维修: announced the day before (R7.9)
    emergency_work = "emergency_work"  # 紧急抢修: explained afterwards (R7.10)
    water_outage = "water_outage"  # 停水
    power_outage = "power_outage"  # 停电
    gas_outage = "gas_outage"  # 停气
    lift_outage = "lift_outage"  # 电梯停运
    other_outage = "other_outage"


class NoticeStatus(StrEnum):
    announced = "announced"  # in force: the work is coming or under way, the outage on
    restored = "restored"  # an outage's supply is back
    done = "done"  # the work is finished
    cancelled = "cancelled"


ACTIVE = (NoticeStatus.announced,)

OUTAGES = frozenset(
    {
        NoticeKind.water_outage,
        NoticeKind.power_outage,
        NoticeKind.gas_outage,
        NoticeKind.lift_outage,
        NoticeKind.other_outage,
    }
)

# The categories of contact a notice answers unless the desk names others (the matching rule,
# docs/OUTAGES.md): a report of one of these, at a place in the notice's scope, while the notice
# is in force, is linked to it.
KIND_CATEGORIES: dict[NoticeKind, tuple[str, ...]] = {
    NoticeKind.planned_work: ("maintenance", "public_facility", "noise"),
    NoticeKind.emergency_work: ("maintenance", "public_facility", "plumbing", "electrical"),
    NoticeKind.water_outage: ("plumbing",),
    NoticeKind.power_outage: ("electrical",),
    NoticeKind.gas_outage: ("maintenance",),
    NoticeKind.lift_outage: ("elevator",),
    NoticeKind.other_outage: ("maintenance", "public_facility"),
}


def is_outage(kind: str) -> bool:
    return NoticeKind(kind) in OUTAGES


def is_planned(kind: str, planned: bool) -> bool:
    """Planned common-part work always; an outage when the desk says it is planned (a cut for
    work); emergency work never."""
    if kind == NoticeKind.planned_work:
        return True
    return planned and kind != NoticeKind.emergency_work


def announced_in_time(announced_at: datetime, starts_at: datetime, zone: ZoneInfo) -> bool:
    """R7.9, R7.10: planned work is announced to the households the day before, in the site's
    calendar: on a local day before the one the work starts."""
    return announced_at.astimezone(zone).date() < starts_at.astimezone(zone).date()


def building_of(unit: str) -> str:
    """The building of a unit as the desk writes it: 3-201 → 3 (R16.4)."""
    return unit.split("-", 1)[0].strip().casefold()


class MaintenanceConfig(BaseModel):
    """A site's notice policy (the site directory's `maintenance`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    late_planned: Literal["record", "refuse"] = Field(
        default="record",
        description="A planned notice announced later than the day before (R7.9): recorded as "
        "late (and counted in the month's report), or refused",
    )
    explain_within_hours: float = Field(
        default=24,
        gt=0,
        le=24 * 31,
        description="Hours after an emergency notice is announced by which its explanation to "
        "the households must be recorded (R7.10); then the CS supervisor is reminded",
    )
    restoration_grace_minutes: float = Field(
        default=0,
        ge=0,
        le=24 * 60,
        description="Minutes past an outage's expected restoration, with no revision and not "
        "restored, before the duty manager is alerted (R16.6, S1:120)",
    )

    @property
    def explain_within(self) -> timedelta:
        return timedelta(hours=self.explain_within_hours)

    @property
    def restoration_grace(self) -> timedelta:
        return timedelta(minutes=self.restoration_grace_minutes)
