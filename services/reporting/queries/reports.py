"""Query handlers over the analytics facts: the monthly and weekly summaries of a site, and the
company quality pack (docs/REPORTS.md). Validate, compute, answer in the contract's shape."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from services.reporting.queries.figures import Reports
from services.reporting.views.analytics import AnalyticsView
from shared.contracts.report_queries import MonthlyReport, QualityPack, WeeklyReport
from shared.kernel.sites import SiteDirectory
from shared.messaging.errors import invalid


def monthly(
    view: AnalyticsView, sites: SiteDirectory, site: str, query: MonthlyReport, now: datetime
) -> dict[str, Any]:
    config = sites.get(site)
    assert config is not None  # the handler refused unserved sites
    return {"ok": True, "report": Reports(view).monthly(site, config, query.month, now)}


def weekly(
    view: AnalyticsView, sites: SiteDirectory, site: str, query: WeeklyReport, now: datetime
) -> dict[str, Any]:
    config = sites.get(site)
    assert config is not None
    year, week = int(query.week[:4]), int(query.week[6:])
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise invalid(f"{year} has no ISO week {week}", "week") from None
    return {"ok": True, "report": Reports(view).weekly(site, config, query.week, now)}


def quality(
    view: AnalyticsView, sites: SiteDirectory, site: str, query: QualityPack, now: datetime
) -> dict[str, Any]:
    listed = sorted(sites.sites) if sites.strict else []
    return {"ok": True, "report": Reports(view).quality(sites, listed, query.month, now)}
