"""The company quality pack (R12.3, docs/REPORTS.md): every site's measures of the month side by
side, the company's pooled, six months of trend (a month before a site's first contact has no
data, not zero), and what got worse."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from services.reporting.queries.facts import PeriodFacts
from services.reporting.queries.month import TREND_MEASURES, TREND_MONTHS, Month, category_counts
from shared.kernel.months import months_back
from shared.kernel.sites import SiteConfig


def quality_pack(
    facts: PeriodFacts,
    sites: dict[str, SiteConfig],
    listed: list[str],
    month: str,
    as_of: datetime,
) -> dict:
    months = months_back(month, TREND_MONTHS)
    rows, trend, pooled = [], {}, {m: Month([], [], []) for m in months[-2:]}
    firsts = facts.first_months()
    for site in facts.sites(months, listed):
        config = sites.get(site)
        series = {m: facts.month(site, m) for m in months}
        for m in months[-2:]:
            pooled[m].tickets += series[m].tickets
            pooled[m].clocks += series[m].clocks
            pooled[m].escalations += series[m].escalations
            pooled[m].repeats += series[m].repeats
        _, paid = facts.orders(site, month)
        rows.append(
            {"site": site, "site_name": config.name if config else site}
            | series[month].measures()
            | {"paid_revenue": paid["revenue"]}
        )
        first = firsts.get(site)
        per_month = [
            series[m].measures() if first is not None and m >= first else {} for m in months
        ]  # a month before the site's first contact: no data, not zero
        trend[site] = {k: [p.get(k) for p in per_month] for k in TREND_MEASURES}
    revenue = sum((Decimal(r["paid_revenue"]) for r in rows), Decimal("0.00"))
    first = min(firsts.values(), default=None)
    known_before = first is not None and first <= months[-2]
    return {
        "month": month,
        "as_of": as_of.isoformat(),
        "months": months,
        "sites": rows,
        "company": pooled[month].measures() | {"paid_revenue": str(revenue)},
        "trend": trend,
        "worse": {
            "sites": _worse_sites(trend),
            "categories": _worse_categories(pooled[months[-2]], pooled[month])
            if known_before
            else [],
        },
    }


def _worse_sites(trend: dict[str, dict[str, list[Any]]]) -> list[dict[str, Any]]:
    worse = []
    for site, series in trend.items():
        for measure, rising in (
            ("complaints", True),
            ("clock_compliance", False),
            ("satisfaction_rate", False),
        ):
            previous, this = series[measure][-2], series[measure][-1]
            if previous is None or this is None:
                continue
            if (this > previous) if rising else (this < previous):
                worse.append({"site": site, "measure": measure, "previous": previous, "this": this})
    return worse


def _worse_categories(before: Month, this: Month) -> list[dict[str, Any]]:
    previous, now = category_counts(before.complaints), category_counts(this.complaints)
    rows = [
        {"category": c, "previous": previous.get(c, 0), "this": n, "change": n - previous.get(c, 0)}
        for c, n in now.items()
        if n > previous.get(c, 0)
    ]
    return sorted(rows, key=lambda r: (-r["change"], r["category"]))
