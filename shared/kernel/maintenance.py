"""Maintenance and outage notices (维修通告, R7.9, R7.10, R16.6; docs/OUTAGES.md): what a notice
is about, when it must be announced, when an emergency's explanation and an outage's restoration
fall due, which contacts it answers, and which repair calls it answers alone (the caller
reports only its cut: `only_the_outage`). Policy as data, in the kernel, so that intake (which
records notices and links contacts), escalation (which keeps their clocks) and the docs name one
table."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from shared.kernel.repairs import Fault, faults_in, says


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


# What a caller says when all they report is the cut an outage notice announces: the R7.1 item a
# new report of it would be, in the words of shared/kernel/repairs.py. An `other_outage` names
# no supply the desk could recognise, so its calls are never answered by it alone.
# fmt: off
OUTAGE_SAID: dict[NoticeKind, Fault] = {
    NoticeKind.water_outage: Fault("R7.1(3)", "no water", (
        "停水 断水 没水 没有水 无水 不出水 不来水 停了水 水停了 没来水",
    )),
    NoticeKind.power_outage: Fault("R7.1(2)", "no power", (
        "停电 断电 没电 没有电 无电 不通电 停了电 电停了 没来电",
    )),
    NoticeKind.gas_outage: Fault("R7.1(7)", "no gas", (
        "停气 断气 没气(?!味) 没有气(?!味) 停了气 "
        "没燃气 没有燃气 没天然气 没有天然气 没煤气 没有煤气",
    )),
    NoticeKind.lift_outage: Fault("R7.1(5)", "the lift out of service", (
        ("电梯 扶梯 货梯 客梯", 6, "停运 停用 停了 不动 不运行 不能用 用不了 不能坐 坐不了"),
    )),
}
# fmt: on


def only_the_outage(kind: str, content: str) -> bool:
    """The content names the cut the outage `kind` announces (not denied: "不是停水") and, that
    set aside, no other R7.1 fault: "家里停水了" is the outage itself (R16.6), "停水了, 水管也爆了"
    also reports a burst pipe, and "电梯停了, 有人被困" someone trapped — news to the desk."""
    cut = OUTAGE_SAID.get(NoticeKind(kind))
    if cut is None or not says(cut, content):
        return False
    return not faults_in(cut.pattern.sub(" ", content))


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
