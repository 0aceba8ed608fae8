"""Per-site configuration with documented defaults (policies as data, not code)."""

from __future__ import annotations

import json
import os
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.kernel.identifiers import StaffId, is_valid_site
from shared.kernel.personal import looks_personal
from shared.kernel.repairs import urgency_of
from shared.kernel.sla import Counting, SlaConfig, promised_clock
from shared.kernel.staff import StaffMember
from shared.kernel.vocabulary import (
    DEFAULT_CATEGORIES,
    ClockName,
    Department,
    Kind,
    Level,
    Urgency,
)
from shared.kernel.worktime import CalendarTime, OfficeHours, WorkingDays, WorkTime
from shared.logging import get_logger

log = get_logger("sites")


class Promised(NamedTuple):
    """A deadline told to the customer; `guessed_years`: years it counts office time across
    whose working days are not known (shared/kernel/worktime.py)."""

    clock: str
    due_at: datetime
    guessed_years: tuple[int, ...] = ()


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
        hours, own = self.sla.office_hours, self.sla.calendar
        days = WorkingDays(own.days_off, own.working_days, own.years)
        return OfficeHours(self.zone, hours.opens, hours.closes, days)

    def guessed_years(self, today: date) -> tuple[int, ...]:
        """This year and the next, where the site counts office hours and their working days
        are not known (no State Council notice in the calendar, not entered by the site)."""
        work = self.worktime
        if not isinstance(work, OfficeHours):
            return ()
        return tuple(y for y in (today.year, today.year + 1) if not work.days.knows(y))

    def worktime_for(self, counting: Counting) -> WorkTime:
        """How one run of a clock counts: every second, or as the site counts."""
        return CalendarTime() if counting == "calendar" else self.worktime

    def deadline(self, start: datetime, target: timedelta,
                 counting: Counting = "site") -> datetime:  # fmt: skip
        work = self.worktime_for(counting)
        return work.add(start, work.budget(target))

    def promise(
        self,
        kind: Kind,
        category: str | None,
        content: str,
        received_at: datetime,
        appointment_start: datetime | None = None,
    ) -> Promised | None:
        """The first deadline the desk tells the customer at intake (R3.9): when a repair will be
        fixed (from the appointment, for a general repair that has one), when a help request is
        answered, when an unresolved complaint goes to the department supervisor. The same
        policy the escalation service runs, so the promise and the clock agree."""
        urgency = urgency_of(category, content)
        promised = promised_clock(kind, urgency)
        if promised is None:
            return None
        if isinstance(promised, Level):
            return Promised(promised.value, self.sla.ladder_due(received_at, promised))
        start = received_at
        if promised is ClockName.general_fixed and appointment_start is not None:
            start = max(start, appointment_start)
        rule = self.sla.clock(promised)
        work = self.worktime_for(rule.counting(urgent=urgency is Urgency.urgent))
        due = work.add(start, work.budget(rule.target))
        return Promised(promised.value, due, work.guessed_years(start, due))


class SiteDirectory(BaseModel):
    """Which sites exist and how each is configured: only the listed sites are served (`strict`;
    a test may build a lenient directory that serves any well-formed id with `default`).
    `default` is the configuration a new site starts from (`propdesk sites add`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    strict: bool = True
    default: SiteConfig = Field(default_factory=SiteConfig)
    sites: dict[str, SiteConfig] = Field(default_factory=dict)

    @field_validator("sites")
    @classmethod
    def _valid_ids(cls, value: dict[str, SiteConfig]) -> dict[str, SiteConfig]:
        bad = [s for s in value if not is_valid_site(s)]
        if bad:
            raise ValueError(f"invalid site ids: {', '.join(bad)}")
        # a site id is in every subject and envelope of the site (R15.4)
        personal = [s for s in value if looks_personal(s)]
        if personal:
            raise ValueError(f"site ids that look like personal data: {', '.join(personal)}")
        return value

    @model_validator(mode="after")
    def _staff_belongs_to_a_site(self) -> SiteDirectory:
        if self.default.staff:
            raise ValueError("default.staff: a staff list belongs to a listed site")
        return self

    def guessed_years(self, today: date) -> dict[str, tuple[int, ...]]:
        """The sites counting office hours whose calendar does not know this year or the next."""
        found = {site: config.guessed_years(today) for site, config in self.sites.items()}
        return {site: years for site, years in found.items() if years}

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
        directory = cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
        if not directory.strict:
            raise ValueError(
                f'{path}: "strict": false is not supported: the site directory lists every '
                "site it serves (add one with `propdesk sites add`)"
            )
        return directory

    def with_site(self, site: str, config: SiteConfig) -> SiteDirectory:
        if not is_valid_site(site):
            raise ValueError(f"invalid site id {site!r}: 2–32 of a-z, 0-9 and -, not company")
        return self.model_copy(update={"sites": {**self.sites, site: config}})

    def save(self, path: Path) -> None:
        """Write the directory as JSON, atomically (a service may be reading it)."""
        text = self.model_dump_json(indent=2, exclude_defaults=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        os.replace(tmp, path)


class WatchedDirectory:
    """The site directory of a file, read again when the file changes, so a site added while the
    services run (`propdesk sites add`) is served without a restart. A file that no longer reads
    keeps the last good directory and says why in the log."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp = self._stat()
        self._current = SiteDirectory.load(path)
        self._lock = threading.Lock()

    def _stat(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def current(self) -> SiteDirectory:
        stamp = self._stat()
        if stamp == self._stamp:
            return self._current
        with self._lock:
            if stamp != self._stamp:
                try:
                    self._current = SiteDirectory.load(self.path)
                except (OSError, ValueError) as exc:
                    log.error("sites.unreadable", path=str(self.path), error=str(exc))
                else:
                    log.info("sites.reloaded", path=str(self.path), sites=len(self._current.sites))
                self._stamp = stamp
            return self._current

    def get(self, site: str) -> SiteConfig | None:
        return self.current().get(site)

    def __getattr__(self, name: str) -> object:
        return getattr(self.current(), name)
