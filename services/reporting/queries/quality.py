"""The company quality pack (R12.3, docs/REPORTS.md): every site's measures of the month side by
side, the company's pooled, six months of trend (a month before a site's first contact has no
data, not zero; the special-care figures, R11.10, have their own rule), and what got worse."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from services.reporting.queries.facts import PeriodFacts
from services.reporting.queries.month import (
    NO_PARTS,
    TREND_MEASURES,
    TREND_MONTHS,
    measures_of,
    pooled,
)
from services.reporting.queries.quality_issue16 import pooled as pooled_cases
from services.reporting.queries.quality_issue16 import rounds_and_cases
from services.reporting.views import care_facts, care_months
from services.reporting.views.promise_facts import OUTCOMES, on_time_rate
from shared.kernel.months import months_back
from shared.kernel.sites import SiteConfig


def quality_pack(
    facts: PeriodFacts,
    sites: dict[str, SiteConfig],
    listed: list[str],
    month: str,
    as_of: datetime,
) -> dict:
    """From the finished rows of the site-months (views/analytics_months.py): one query for the
    six months of every site, one for the hours of the month (the company's median), one for
    the special-care months (views/care_months.py)."""
    months = months_back(month, TREND_MONTHS)
    parts = facts.site_months(months)
    care = care_months.series(facts.care_months(months), months)
    firsts = facts.first_months()
    # every site with facts in these months: contacts, or orders issued or completed (a fee
    # recorded this month for a contact of long ago), or special-care residents (R11.10)
    present = {site for (site, _), p in parts.items() if p["present"]}
    cared = {site for site, figures in care.items() if any(care_facts.shown(f) for f in figures)}
    names = sorted(present | cared | set(listed))
    incidents = facts.incident_counts(month)  # 突发事件 (R16.5)
    promises = facts.promise_counts(month)  # promises kept on time (R6.15)
    rows, trend = [], {}
    for site in names:
        config = sites.get(site)
        series = {m: parts.get((site, m), NO_PARTS) for m in months}
        cared = care.get(site) or care_months.none(months)  # the roll, visits, overdue (R11.10)
        rows.append(
            {"site": site, "site_name": config.name if config else site}
            | measures_of(series[month])
            | {"paid_revenue": series[month]["paid_revenue"], "incidents": incidents.get(site, 0)}
            | {"promises_on_time": on_time_rate(promises.get(site, NO_PROMISES))}
            | rounds_and_cases(facts, site, month)  # findings' closure, cases (issue 16)
            | cared[-1]
        )
        first = firsts.get(site)
        per_month = [
            measures_of(series[m]) if first is not None and m >= first else {} for m in months
        ]  # a month before the site's first contact: no data, not zero
        trend[site] = {k: [p.get(k) for p in per_month] for k in TREND_MEASURES} | {
            k: [c[k] for c in cared] for k in care_facts.FIGURES
        }
    pooled_parts = {
        months[-2]: pooled([parts.get((site, months[-2]), NO_PARTS) for site in names]),
        month: pooled([parts.get((site, month), NO_PARTS) for site in names], facts.hours(month)),
    }
    revenue = sum((Decimal(r["paid_revenue"]) for r in rows), Decimal("0.00"))
    first = min(firsts.values(), default=None)
    known_before = first is not None and first <= months[-2]
    zones = {config.timezone for config in map(sites.get, names) if config is not None}
    return {
        "month": month,
        # the zone its times are read in, when every site of the pack has the same one
        **({"timezone": zones.pop()} if len(zones) == 1 else {}),
        "as_of": as_of.isoformat(),
        "months": months,
        "sites": rows,
        "company": measures_of(pooled_parts[month])
        | {"paid_revenue": str(revenue), "incidents": sum(r["incidents"] for r in rows)}
        | {"promises_on_time": on_time_rate(_pooled(promises, names))}
        | pooled_cases(rows)
        | care_facts.pooled(rows),
        "trend": trend,
        "worse": {
            "sites": _worse_sites(trend),
            "categories": _worse_categories(
                pooled_parts[months[-2]]["categories"], pooled_parts[month]["categories"]
            )
            if known_before
            else [],
        },
    }


# the measures on which a site gets worse, and whether by rising: complaints, the clocks kept,
# satisfaction, and the special-care residents left waiting past their visit (R11.10)
WORSE = (
    ("complaints", True),
    ("clock_compliance", False),
    ("satisfaction_rate", False),
    ("care_visits_overdue", True),
)


def _worse_sites(trend: dict[str, dict[str, list[Any]]]) -> list[dict[str, Any]]:
    worse = []
    for site, series in trend.items():
        for measure, rising in WORSE:
            previous, this = series[measure][-2], series[measure][-1]
            if previous is None or this is None:
                continue
            if (this > previous) if rising else (this < previous):
                worse.append({"site": site, "measure": measure, "previous": previous, "this": this})
    return worse


def _worse_categories(previous: dict[str, int], now: dict[str, int]) -> list[dict[str, Any]]:
    rows = [
        {"category": c, "previous": previous.get(c, 0), "this": n, "change": n - previous.get(c, 0)}
        for c, n in now.items()
        if n > previous.get(c, 0)
    ]
    return sorted(rows, key=lambda r: (-r["change"], r["category"]))


NO_PROMISES = dict.fromkeys(OUTCOMES, 0)


def _pooled(promises: dict[str, dict[str, int]], names: list[str]) -> dict[str, int]:
    """The company's promises: every listed site's counted together."""
    return {k: sum(promises.get(s, NO_PROMISES)[k] for s in names) for k in OUTCOMES}
