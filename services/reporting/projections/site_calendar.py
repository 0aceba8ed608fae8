"""Each site's local calendar, in which the analytics facts count (docs/REPORTS.md): a fact
counts in the month and ISO week of its site's timezone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.kernel.sites import SiteDirectory


@dataclass(frozen=True, slots=True)
class Calendar:
    """Each site's local calendar: a fact counts in the month and week of its site's timezone."""

    sites: SiteDirectory

    def local(self, site: str, when: datetime) -> datetime:
        config = self.sites.get(site)
        return when.astimezone(config.zone) if config is not None else when

    def month_of(self, site: str, when: datetime) -> str:
        return self.local(site, when).strftime("%Y-%m")

    def week_of(self, site: str, when: datetime) -> str:
        year, week, _ = self.local(site, when).isocalendar()
        return f"{year}-W{week:02d}"
