"""The monthly summary (《客户投诉(建议、咨询)月汇总表》) and the weekly summary of a site,
computed from the analytics facts of a period (docs/REPORTS.md; R12.1, R12.2, R12.4,
docs/DOMAIN.md §7). `Reports` also answers the company quality pack (R12.3, queries/quality.py);
the facts are read by queries/facts.py, the ledger's rows built by queries/ledger.py.

Pure reading: every figure is a query over the facts, so a report is as current as the projection.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from services.reporting.projections.ticket_facts import OPEN
from services.reporting.queries.facts import PeriodFacts
from services.reporting.queries.inspection import inspection_figures
from services.reporting.queries.ledger import LEDGER_KINDS, cases
from services.reporting.queries.month import (
    TREND_MEASURES,
    TREND_MONTHS,
    Month,
    bounds,
    category_counts,
    counts,
    half_up,
    month_bounds,
    nearest_rank,
    rate,
)
from services.reporting.queries.quality import quality_pack
from services.reporting.views import (
    care_months,
    notice_facts,
    promise_facts,
    shift_facts,
    violation_facts,
    visit_facts,
)
from services.reporting.views.analytics import AnalyticsView
from shared.kernel.months import months_back, previous_month
from shared.kernel.sites import SiteConfig
from shared.kernel.vocabulary import Channel, ClockName, Kind, Level, Severity, Validity

LADDER = [level.value for level in Level]
TOP = 5


class Reports:
    def __init__(self, view: AnalyticsView) -> None:
        self.view = view
        self.facts = PeriodFacts(view)

    def _notices(self, site: str, month: str) -> dict[str, Any]:
        return notice_facts.month_figures(self.view.rows(notice_facts.SQL, (site, month)))

    def _violations(self, site: str, month: str) -> dict[str, Any]:
        return violation_facts.month_figures(self.view.rows(violation_facts.SQL, (site, month)))

    def _shifts(self, site: str, month: str) -> dict[str, Any]:
        rows = self.view.rows(shift_facts.SQL, (site, month, site, month))
        return shift_facts.month_figures(rows, month)

    # -- the monthly summary ----------------------------------------------------------------

    def monthly(self, site: str, config: SiteConfig, month: str, as_of: datetime) -> dict:
        facts = self.facts
        this, before = facts.month(site, month), facts.month(site, previous_month(month))
        first = facts.first_month(site)
        known_before = first is not None and first <= previous_month(month)
        start, end = month_bounds(config, month)
        categories = category_counts(this.tickets)
        previous = category_counts(before.tickets)
        departments, paid = facts.orders(site, month)
        hours = this.hours()
        measures = this.measures()
        resolved = this.resolved
        return {
            "site": site,
            "site_name": config.name,
            "month": month,
            "timezone": config.timezone,
            "from": start,
            "to": end,
            "as_of": as_of.isoformat(),
            "contacts": this.contacts,
            "tickets": len(this.tickets),
            "repeat_contacts": len(this.repeats),
            "cancelled": sum(1 for t in this.tickets if t["status"] == "cancelled"),
            "by_kind": counts(list(Kind), this.tickets, "kind"),
            "by_category": {
                c: categories.get(c, 0) for c in sorted(set(categories) | set(previous))
            },
            "by_channel": counts(list(Channel), [*this.tickets, *this.repeats], "channel"),
            "by_validity": counts([*Validity, "unclassified"], this.complaints, "validity"),
            "by_severity": counts(
                [*Severity, "unclassified"],
                [t for t in this.complaints if t["validity"] != Validity.communicative],
                "severity",
            ),
            "escalations": counts(LADDER, this.escalations, "level"),
            "escalated_complaints": measures["escalated_complaints"],
            "upgraded_to_major": measures["upgraded_to_major"],
            "clocks": _clocks(this),
            "resolution_hours": {
                "resolved": len(resolved),
                "median": measures["resolution_median_hours"],
                "p90": half_up(nearest_rank(hours, 0.9), 1) if hours else None,
            },
            "follow_up": {
                "resolved": this.follow_up_parts()[1],
                "followed_up": this.follow_up_parts()[0],
                "rate": measures["follow_up_rate"],
            },
            "satisfaction": {
                "follow_ups": this.satisfaction()[1],
                "satisfied": this.satisfaction()[0],
                "rate": measures["satisfaction_rate"],
            },
            "reopen": {
                "resolved": len(resolved),
                "reopened": sum(t["reopened"] for t in resolved),
                "rate": measures["reopen_rate"],
            },
            "repeat_units": _repeat_units(this.complaints),
            "paid": paid,
            "violations": self._violations(site, month),  # by measure (R14.3)
            "promises": promise_facts.month_figures(  # kept on time, late, broken (R6.15)
                self.view.rows(promise_facts.SQL, (site, month))
            ),
            "handovers": self._shifts(site, month),  # shift logs and ticket hand-overs (R15.9)
            "visits": visit_facts.month_figures(  # R11.6: the weeks begun by as_of
                self.view.rows, site, config, month, as_of.astimezone(config.zone).date()
            ),
            "orders_by_department": departments,
            "top_categories": [
                {
                    "category": name,
                    "count": count,
                    "previous": previous.get(name, 0) if known_before else None,
                    "change": count - previous.get(name, 0) if known_before else None,
                }
                for name, count in sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
            ],
            "change": {
                name: {
                    "this": a,
                    "previous": b if known_before else None,
                    "change": a - b if known_before else None,
                }
                for name, a, b in (
                    ("contacts", this.contacts, before.contacts),
                    ("complaints", len(this.complaints), len(before.complaints)),
                    ("repairs", _kind(this, Kind.repair), _kind(before, Kind.repair)),
                )
            },
            "trend": self._trend(site, month, first),
            "ledger": cases(
                facts, site, config, [t for t in this.tickets if t["kind"] in LEDGER_KINDS]
            ),
            "analysis": facts.analysis(site, month),
            "incidents": facts.incidents(site, month),  # 突发事件 (R16.5)
            "inspection": inspection_figures(this),  # rounds' findings (docs/INSPECTION.md)
            "maintenance": self._notices(site, month),  # 维修通告 (R7.9, R16.6, OUTAGES.md)
        }

    def _trend(self, site: str, month: str, first: str | None) -> list[dict[str, Any]]:
        """Six months; the special-care figures (R11.10) by their own rule: a month without
        any is null however the site's contacts go (views/care_months.py)."""
        months = months_back(month, TREND_MONTHS)
        care = care_months.series(self.facts.care_months(months), months)
        cared = care.get(site) or care_months.none(months)
        return [self._trend_point(site, m, first) | c for m, c in zip(months, cared, strict=True)]

    def _trend_point(self, site: str, month: str, first: str | None) -> dict[str, Any]:
        """A month before the site's first contact has no data: every measure null."""
        if first is None or month < first:
            return {"month": month} | dict.fromkeys(TREND_MEASURES)
        measures = self.facts.month(site, month).measures()
        return {"month": month} | {k: measures[k] for k in TREND_MEASURES}

    # -- the weekly summary (R12.1) ---------------------------------------------------------

    def weekly(self, site: str, config: SiteConfig, week: str, as_of: datetime) -> dict:
        year, number = int(week[:4]), int(week[6:])
        monday = date.fromisocalendar(year, number, 1)
        start, end = bounds(config.zone, monday, monday + timedelta(days=7))
        tickets = self.facts.week(site, week)
        done = {"resolved", "closed"}
        complaints = [t for t in tickets if t["kind"] == Kind.complaint]
        repeats = self.facts.repeats(site, "week", week)
        return {
            "site": site,
            "site_name": config.name,
            "week": week,
            "timezone": config.timezone,
            "from": start,
            "to": end,
            "as_of": as_of.isoformat(),
            "contacts": len(tickets) + len(repeats),
            "tickets": len(tickets),
            "repeat_contacts": len(repeats),
            "by_kind": counts(list(Kind), tickets, "kind"),
            "resolved": sum(1 for t in tickets if t["status"] in done),
            "cancelled": sum(1 for t in tickets if t["status"] == "cancelled"),
            "open": sum(1 for t in tickets if t["status"] not in {*done, "cancelled"}),
            "complaints": [
                _brief(t, "validity", "severity", "escalation_level") | _handling(case)
                for t, case in zip(
                    complaints, cases(self.facts, site, config, complaints), strict=True
                )
            ],
            "suggestions": [_brief(t) for t in tickets if t["kind"] == Kind.suggestion],
        }

    # -- the company quality pack (R12.3, queries/quality.py) -------------------------------

    def quality(
        self, sites: dict[str, SiteConfig], listed: list[str], month: str, as_of: datetime
    ) -> dict:
        pack = quality_pack(self.facts, sites, listed, month, as_of)
        for row in pack["sites"]:  # visits on target and the survey's own satisfaction (R11.9)
            config = sites.get(row["site"])
            if config is not None:
                today = as_of.astimezone(config.zone).date()
                figures = visit_facts.month_figures(
                    self.view.rows, row["site"], config, month, today
                )
                row |= visit_facts.quality_figures(figures)
        return pack


def _kind(month: Month, kind: Kind) -> int:
    return sum(1 for t in month.tickets if t["kind"] == kind)


def _clocks(month: Month) -> dict[str, dict[str, Any]]:
    out = {}
    for name in ClockName:
        rows = [c for c in month.clocks if c["clock"] == name]
        if not rows:
            continue
        met, judged = month.compliance_parts(rows)
        out[name.value] = {
            "started": len(rows),
            "met": met,
            "late": sum(1 for c in rows if c["outcome"] == "late"),
            "open": sum(1 for c in rows if c["outcome"] == OPEN),
            "breached": sum(c["breached"] for c in rows),
            "compliance": rate(met, judged),
        }
    return out


def _repeat_units(complaints: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_unit: dict[str, int] = {}
    for t in complaints:
        if t["unit"]:
            by_unit[t["unit"]] = by_unit.get(t["unit"], 0) + 1
    repeats = [(unit, n) for unit, n in by_unit.items() if n >= 2]
    return [{"unit": u, "complaints": n} for u, n in sorted(repeats, key=lambda r: (-r[1], r[0]))]


def _brief(ticket: dict[str, Any], *extra: str) -> dict[str, Any]:
    names = {"escalation_level": "level"}
    fields = {
        "ticket_no": ticket["ticket_no"],
        "received_at": ticket["received_at"],
        "category": ticket["category"],
        "status": ticket["status"],
        "content": ticket["content"],
    }
    return fields | {name: ticket[names.get(name, name)] for name in extra}


def _handling(case: dict[str, Any]) -> dict[str, Any]:
    """What the weekly list adds to a complaint: its unit and the ledger's handling columns."""
    keys = ("unit", "departments", "resolution", "completed_at", "follow_up")
    return {k: case[k] for k in keys}
