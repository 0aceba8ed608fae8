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
from shared.kernel.incidents import IncidentConfig
from shared.kernel.inspection import InspectionConfig
from shared.kernel.maintenance import MaintenanceConfig
from shared.kernel.notify import NotifyConfig
from shared.kernel.personal import looks_personal
from shared.kernel.promises import PromiseConfig
from shared.kernel.repairs import urgency_of
from shared.kernel.residents import ResidentConfig
from shared.kernel.satisfaction import has_customer
from shared.kernel.shifts import ShiftConfig
from shared.kernel.sla import Counting, SlaConfig, repair_clocks
from shared.kernel.staff import StaffMember
from shared.kernel.visits import VisitsConfig
from shared.kernel.vocabulary import (
    DEFAULT_CATEGORIES,
    ClockName,
    Department,
    Kind,
    Level,
    Scope,
    Urgency,
)
from shared.kernel.worktime import CalendarTime, OfficeHours, WorkingDays, WorkTime
from shared.logging import get_logger

log = get_logger("sites")

# what the desk promises besides the clocks' names (SiteConfig.promises)
APPOINTMENT = "appointment"  # the agreed visit (R7.5)
COMPLAINT_REPLY = "complaint_reply"  # a reply to the complainant (R6.4, R6.8, R6.15)


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
    notify: NotifyConfig = Field(
        default_factory=NotifyConfig,
        description="Where each role's notifications are e-mailed or posted (NOTIFICATIONS.md)",
    )
    incidents: IncidentConfig = Field(
        default_factory=IncidentConfig, description="Emergency events (INCIDENTS.md, R16.5)"
    )
    shifts: ShiftConfig = Field(
        default_factory=ShiftConfig, description="The desk's shifts and their log (SHIFTS.md)"
    )
    inspection: InspectionConfig = Field(
        default_factory=InspectionConfig,
        description="Inspection rounds: who extends a finding's week, when summaries are due",
    )
    promise_tasks: PromiseConfig = Field(
        default_factory=PromiseConfig, description="Promises kept (PROMISES.md, R6.15, R2.6)"
    )
    maintenance: MaintenanceConfig = Field(
        default_factory=MaintenanceConfig,
        description="Maintenance and outage notices (OUTAGES.md, R7.9, R7.10, R16.6)",
    )
    visits: VisitsConfig = Field(
        default_factory=VisitsConfig,
        description="Visits' weekly target and occupied households per zone (VISITS.md, R11.6)",
    )
    residents: ResidentConfig = Field(
        default_factory=ResidentConfig,
        description="The resident file: phones required, special-care visits (RESIDENTS.md)",
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

    def promises(
        self,
        kind: Kind,
        channel: str,
        category: str | None,
        content: str,
        received_at: datetime,
        appointment_start: datetime | None = None,
    ) -> list[Promised]:
        """What the desk tells the customer at intake (R3.9), in order, each time in the site's
        zone: what the procedures promise the customer, not the desk's internal steps.

        - an urgent repair: a technician on site in 2 hours and the repair done in 24 (R7.3);
        - a general repair: the agreed visit, when there is one (R7.5), and the repair done in
          72 hours, from the visit when it is later (R7.3);
        - a help request: an answer in 5 minutes (R10.2);
        - a complaint: a reply on how it is handled within the 2 days after which an unresolved
          complaint goes up the ladder (R6.4), progress being fed back throughout (R6.8) and a
          promised reply kept (R6.15) — the customer is told the reply, not the internal step;
        - nothing for an inquiry or a suggestion (answered at once, no time limit: G5), and
          nothing for an inspection finding, which has no customer (R13.17).

        Each counts as its clock counts (urgent repairs, help requests and the ladder in
        calendar time at every site; `guessed_years` when office time crosses a year whose
        working days are not known). The same policy the escalation service runs, so each
        promise and its clock agree."""
        if not has_customer(channel):
            return []
        urgency = urgency_of(category, content)
        promised: list[Promised] = []
        if kind is Kind.repair:
            clocks = repair_clocks(urgency, Scope.household)
            start = received_at
            if ClockName.general_fixed in clocks and appointment_start is not None:
                promised.append(Promised(APPOINTMENT, appointment_start))
                start = max(start, appointment_start)
            for name in clocks:
                begin = start if name is ClockName.general_fixed else received_at
                promised.append(self._promised(name, begin, urgent=urgency is Urgency.urgent))
        elif kind is Kind.help:
            promised.append(self._promised(ClockName.help_reply, received_at, urgent=False))
        elif kind is Kind.complaint:
            due = self.sla.ladder_due(received_at, Level.department_supervisor)
            promised.append(Promised(COMPLAINT_REPLY, due))
        return [p._replace(due_at=p.due_at.astimezone(self.zone)) for p in promised]

    def _promised(self, name: ClockName, start: datetime, *, urgent: bool) -> Promised:
        rule = self.sla.clock(name)
        work = self.worktime_for(rule.counting(urgent=urgent))
        due = work.add(start, work.budget(rule.target))
        return Promised(name.value, due, work.guessed_years(start, due))


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
