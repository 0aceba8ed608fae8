"""Per-site configuration with documented defaults (policies as data, not code)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.contracts.base import StaffId
from shared.contracts.vocabulary import DEFAULT_CATEGORIES, Kind
from shared.contracts.workorder_events import Department
from shared.repairs import urgency_of
from shared.sla import ClockName, Level, SlaConfig, promised_clock
from shared.staff import StaffMember
from shared.subjects import is_valid_site
from shared.worktime import CalendarTime, OfficeHours, WorkTime


class SiteConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    timezone: str = "Asia/Shanghai"
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    routing: dict[str, Department] = Field(
        default_factory=dict, description="category -> department, over the dispatch defaults"
    )
    warranty_days: int = Field(default=90, ge=0, description="Free rework period (R8.9)")
    sla: SlaConfig = Field(
        default_factory=SlaConfig, description="Service-level clocks and the complaint ladder"
    )
    staff: dict[StaffId, StaffMember] = Field(
        default_factory=dict,
        description="staff id (工号) -> role, name, department; empty: nobody's role is checked",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        ZoneInfo(value)
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def worktime(self) -> WorkTime:
        """How the site's clocks count: every second, or office hours on working days."""
        if self.sla.counting == "calendar":
            return CalendarTime()
        hours = self.sla.office_hours
        return OfficeHours(self.zone, hours.opens, hours.closes)

    def deadline(self, start: datetime, target: timedelta) -> datetime:
        work = self.worktime
        return work.add(start, work.budget(target))

    def promise(
        self,
        kind: Kind,
        category: str | None,
        content: str,
        received_at: datetime,
        appointment_start: datetime | None = None,
    ) -> tuple[str, datetime] | None:
        """The first deadline the desk tells the customer at intake (R3.9): when a repair will be
        fixed (from the appointment, for a general repair that has one), when a help request is
        answered, when an unresolved complaint goes to the department supervisor. The same
        policy the escalation service runs, so the promise and the clock agree."""
        promised = promised_clock(kind, urgency_of(category, content))
        if promised is None:
            return None
        if isinstance(promised, Level):
            return promised.value, self.deadline(received_at, self.sla.ladder_after(promised))
        start = received_at
        if promised is ClockName.general_fixed and appointment_start is not None:
            start = max(start, appointment_start)
        return promised.value, self.deadline(start, self.sla.clock(promised).target)


class SiteDirectory(BaseModel):
    """Which sites exist and how each is configured.

    With `strict` false (the default) any well-formed site id is served with the default
    configuration, so a new site office can start at once; with `strict` true only listed sites are.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    strict: bool = False
    default: SiteConfig = Field(default_factory=SiteConfig)
    sites: dict[str, SiteConfig] = Field(default_factory=dict)

    @field_validator("sites")
    @classmethod
    def _valid_ids(cls, value: dict[str, SiteConfig]) -> dict[str, SiteConfig]:
        bad = [s for s in value if not is_valid_site(s)]
        if bad:
            raise ValueError(f"invalid site ids: {', '.join(bad)}")
        return value

    @model_validator(mode="after")
    def _staff_belongs_to_a_site(self) -> SiteDirectory:
        if self.default.staff:
            raise ValueError("default.staff: a staff list belongs to a listed site")
        return self

    def get(self, site: str) -> SiteConfig | None:
        if not is_valid_site(site):
            return None
        if site in self.sites:
            return self.sites[site]
        return None if self.strict else self.default

    @classmethod
    def load(cls, path: Path | None) -> SiteDirectory:
        if path is None:
            return cls()
        return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
