"""The desk's shifts and its shift log (交接班记录, R15.9–R15.12) and who may hand a ticket over
(首问负责制, R10.1; docs/SHIFTS.md). Policy as data, in the kernel, so that intake (which keeps
the log and the tickets' owners), escalation (which reminds of an unsigned handover) and the docs
name one table.

The procedures name the handover and the night duty but not the hours: a site lists the local
times its shifts start (`shifts.starts`, default 08:00 and 20:00: a day shift at the desk and
the night operations duty, R15.11) and how long an incoming shift may take to sign the closed log
(`shifts.sign_within_minutes`, default 30) before the desk's supervisor is reminded.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.kernel.vocabulary import Role


class EntryKind(StrEnum):
    """What a shift-log entry is (R15.10)."""

    notice = "notice"  # 重要通知
    unresolved = "unresolved"  # 有待解决的问题
    abnormal = "abnormal"  # 异常情况 (the post log, 岗位记事本)


class ShiftStatus(StrEnum):
    open = "open"  # entries are being written
    closed = "closed"  # handed over, waiting for the incoming shift's signature
    signed = "signed"  # read and signed by the incoming shift (R15.9)


# Who may hand over a ticket that is not theirs (R10.1, R1.7): a supervisor or a manager.
HAND_OVER_ANY = frozenset(
    {
        Role.cs_supervisor,
        Role.department_supervisor,
        Role.project_manager,
        Role.gm_office,
    }
)

# Who is reminded when a closed log is still unsigned after the grace: the desk's supervisor.
REMINDED = Role.cs_supervisor


class ShiftConfig(BaseModel):
    """A site's shift pattern (the site directory's `shifts`), in the site's zone."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    starts: tuple[time, ...] = Field(
        default=(time(8, 0), time(20, 0)),
        min_length=1,
        max_length=6,
        description="Local times the desk's shifts start (HH:MM), e.g. 08:00, 20:00",
    )
    sign_within_minutes: int = Field(
        default=30,
        gt=0,
        le=24 * 60,
        description="Minutes after a shift log is closed before an unsigned handover is reminded "
        "to the CS supervisor (R15.9)",
    )

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        if len(set(self.starts)) != len(self.starts):
            raise ValueError("shift starts are distinct")
        if any(t.tzinfo is not None or t.second or t.microsecond for t in self.starts):
            raise ValueError("shift starts are local HH:MM")
        return self

    @property
    def sign_within(self) -> timedelta:
        return timedelta(minutes=self.sign_within_minutes)

    def _starts_around(self, day: date, zone: ZoneInfo) -> list[datetime]:
        ordered = sorted(self.starts)
        return [
            datetime.combine(day + timedelta(days=d), t, tzinfo=zone)
            for d in (-1, 0, 1)
            for t in ordered
        ]

    def shift_of(self, at: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The shift `at` falls in: its local start and end (the next shift's start)."""
        local = at.astimezone(zone)
        starts = self._starts_around(local.date(), zone)
        for start, end in pairwise(starts):
            if start <= local < end:
                return start, end
        raise AssertionError("a day has its shifts")  # pragma: no cover

    def is_start(self, start: datetime, zone: ZoneInfo) -> bool:
        local = start.astimezone(zone)
        return local.timetz().replace(tzinfo=None) in self.starts and local == local.replace(
            second=0, microsecond=0
        )


def shift_label(start: datetime, zone: ZoneInfo) -> str:
    """A shift's name as people say it: its local start, 2026-12-03T08:00."""
    return start.astimezone(zone).strftime("%Y-%m-%dT%H:%M")
