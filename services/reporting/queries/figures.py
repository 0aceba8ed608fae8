"""The monthly summary (《客户投诉(建议、咨询)月汇总表》), the weekly summary and the company
quality pack, computed from the analytics facts of a period (docs/REPORTS.md; R12.1–R12.4,
docs/DOMAIN.md §7).

Pure reading: every figure is a query over the facts, so a report is as current as the projection.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from services.reporting.projections.analytics_facts import OPEN
from services.reporting.queries.month import (
    Month,
    bounds,
    counts,
    half_up,
    month_bounds,
    nearest_rank,
    rate,
)
from services.reporting.views.analytics import AnalyticsView
from shared.kernel.departments import route
from shared.kernel.months import months_back, previous_month
from shared.kernel.satisfaction import is_satisfied
from shared.kernel.sites import SiteConfig
from shared.kernel.vocabulary import Channel, ClockName, Kind, Level, Severity, Validity

LADDER = [level.value for level in Level]
TREND_MONTHS = 6
TOP = 5
# the kinds of the 《客户投诉(建议、咨询)月汇总表》 ledger: one row per case (R12.4)
LEDGER_KINDS = (Kind.complaint, Kind.suggestion, Kind.inquiry)
TREND_MEASURES = ("contacts", "complaints", "satisfaction_rate", "clock_compliance")


# The orders of a site that do not belong to a duplicate contact (an order's ticket may be
# unknown to the view, e.g. a view rebuilt from a stream that lost its oldest messages).
_NOT_DUPLICATE = (
    "LEFT JOIN ticket_facts t USING (ticket_id) WHERE o.site = ? AND COALESCE(t.duplicate, 0) = 0"
)


class Reports:
    def __init__(self, view: AnalyticsView) -> None:
        self.view = view

    # -- facts ------------------------------------------------------------------------------

    def month(self, site: str, month: str) -> Month:
        return Month(
            tickets=self.view.rows(
                "SELECT * FROM ticket_facts WHERE site = ? AND month = ? AND duplicate = 0 "
                "ORDER BY received_at, ticket_no",
                (site, month),
            ),
            # a duplicate counts nowhere; a ladder step counts while the ticket is a complaint
            clocks=self.view.rows(
                "SELECT c.* FROM clock_facts c LEFT JOIN ticket_facts t USING (ticket_id) "
                "WHERE c.site = ? AND c.month = ? AND COALESCE(t.duplicate, 0) = 0",
                (site, month),
            ),
            escalations=self.view.rows(
                "SELECT e.* FROM escalation_facts e JOIN ticket_facts t USING (ticket_id) "
                "WHERE e.site = ? AND e.month = ? AND t.duplicate = 0 AND t.kind = 'complaint'",
                (site, month),
            ),
            repeats=self._repeats(site, "month", month),
        )

    def _repeats(self, site: str, period: str, value: str) -> list[dict[str, Any]]:
        """The repeat contacts received in the month or week (R3.1, R16.1), with the kind of
        the ticket they repeat; none of a duplicate ticket."""
        return self.view.rows(
            "SELECT r.*, t.kind FROM contact_facts r JOIN ticket_facts t USING (ticket_id) "
            f"WHERE r.site = ? AND r.{period} = ? AND t.duplicate = 0 ORDER BY r.received_at",
            (site, value),
        )

    def _orders(self, site: str, month: str) -> tuple[dict[str, int], dict[str, Any]]:
        issued = self.view.rows(
            "SELECT o.department, COUNT(*) AS n FROM order_facts o "
            f"{_NOT_DUPLICATE} AND o.issued_month = ? GROUP BY o.department "
            "ORDER BY o.department",
            (site, month),
        )
        fees = [
            Decimal(r["fee"])
            for r in self.view.rows(
                f"SELECT o.fee FROM order_facts o {_NOT_DUPLICATE} AND o.completed_month = ?",
                (site, month),
            )
        ]
        paid = [fee for fee in fees if fee > 0]
        revenue = sum(paid, Decimal("0")).quantize(Decimal("0.01"))
        return {r["department"]: r["n"] for r in issued}, {
            "orders": len(paid),
            "revenue": str(revenue),
        }

    def first_month(self, site: str | None = None) -> str | None:
        """The month of the site's first contact (of any site's, without one): a month before
        it has no data, which is not the same as a month with no contacts (docs/REPORTS.md)."""
        where, params = ("AND site = ?", (site,)) if site is not None else ("", ())
        rows = self.view.rows(
            f"SELECT MIN(month) AS first FROM ticket_facts WHERE duplicate = 0 {where}", params
        )
        return rows[0]["first"] if rows else None

    def _departments(self, site: str, tickets: list[dict[str, Any]]) -> dict[str, list[str]]:
        """The departments each ticket's work orders were issued to."""
        found: dict[str, list[str]] = {}
        ids = [t["ticket_id"] for t in tickets]
        for at in range(0, len(ids), 500):  # well under SQLite's limit of parameters
            chunk = ids[at : at + 500]
            for r in self.view.rows(
                "SELECT DISTINCT ticket_id, department FROM order_facts WHERE site = ? "
                f"AND ticket_id IN ({', '.join('?' * len(chunk))}) ORDER BY ticket_id, department",
                (site, *chunk),
            ):
                found.setdefault(r["ticket_id"], []).append(r["department"])
        return found

    def cases(
        self, site: str, config: SiteConfig, tickets: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """A ledger row per ticket (docs/REPORTS.md `ledger`): where, what, who is responsible,
        how it was handled and how the follow-up call went; no name, no phone (R15.1)."""
        departments = self._departments(site, tickets)
        return [
            _case(t, departments.get(t["ticket_id"]) or [route(t["category"], config.routing)])
            for t in tickets
        ]

    def _analysis(self, site: str, month: str) -> dict[str, Any] | None:
        rows = self.view.rows(
            "SELECT analysis FROM month_analysis WHERE site = ? AND month = ?", (site, month)
        )
        return json.loads(rows[0]["analysis"]) if rows else None

    def sites(self, months: list[str], listed: list[str]) -> list[str]:
        """Every site with facts in these months: contacts, or orders issued or completed (a
        fee recorded this month for a contact of long ago)."""
        marks = ", ".join("?" * len(months))
        found = self.view.rows(
            f"SELECT site FROM ticket_facts WHERE month IN ({marks}) UNION "
            f"SELECT site FROM contact_facts WHERE month IN ({marks}) UNION "
            f"SELECT site FROM order_facts WHERE issued_month IN ({marks}) "
            f"OR completed_month IN ({marks})",
            months * 4,
        )
        return sorted({r["site"] for r in found} | set(listed))

    # -- the monthly summary ----------------------------------------------------------------

    def monthly(self, site: str, config: SiteConfig, month: str, as_of: datetime) -> dict:
        this, before = self.month(site, month), self.month(site, previous_month(month))
        first = self.first_month(site)
        known_before = first is not None and first <= previous_month(month)
        start, end = month_bounds(config, month)
        categories = _category_counts(this.tickets)
        previous = _category_counts(before.tickets)
        departments, paid = self._orders(site, month)
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
            "trend": [self._trend_point(site, m, first) for m in months_back(month, TREND_MONTHS)],
            "ledger": self.cases(
                site, config, [t for t in this.tickets if t["kind"] in LEDGER_KINDS]
            ),
            "analysis": self._analysis(site, month),
        }

    def _trend_point(self, site: str, month: str, first: str | None) -> dict[str, Any]:
        """A month before the site's first contact has no data: every measure null."""
        if first is None or month < first:
            return {"month": month} | dict.fromkeys(TREND_MEASURES)
        measures = self.month(site, month).measures()
        return {"month": month} | {k: measures[k] for k in TREND_MEASURES}

    # -- the weekly summary (R12.1) ---------------------------------------------------------

    def weekly(self, site: str, config: SiteConfig, week: str, as_of: datetime) -> dict:
        year, number = int(week[:4]), int(week[6:])
        monday = date.fromisocalendar(year, number, 1)
        start, end = bounds(config.zone, monday, monday + timedelta(days=7))
        tickets = self.view.rows(
            "SELECT * FROM ticket_facts WHERE site = ? AND week = ? AND duplicate = 0 "
            "ORDER BY received_at, ticket_no",
            (site, week),
        )
        done = {"resolved", "closed"}
        complaints = [t for t in tickets if t["kind"] == Kind.complaint]
        repeats = self._repeats(site, "week", week)
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
                for t, case in zip(complaints, self.cases(site, config, complaints), strict=True)
            ],
            "suggestions": [_brief(t) for t in tickets if t["kind"] == Kind.suggestion],
        }

    # -- the company quality pack (R12.3) ---------------------------------------------------

    def quality(
        self, sites: dict[str, SiteConfig], listed: list[str], month: str, as_of: datetime
    ) -> dict:
        months = months_back(month, TREND_MONTHS)
        rows, trend, pooled = [], {}, {m: Month([], [], []) for m in months[-2:]}
        for site in self.sites(months, listed):
            config = sites.get(site)
            series = {m: self.month(site, m) for m in months}
            for m in months[-2:]:
                pooled[m].tickets += series[m].tickets
                pooled[m].clocks += series[m].clocks
                pooled[m].escalations += series[m].escalations
                pooled[m].repeats += series[m].repeats
            _, paid = self._orders(site, month)
            rows.append(
                {"site": site, "site_name": config.name if config else site}
                | series[month].measures()
                | {"paid_revenue": paid["revenue"]}
            )
            first = self.first_month(site)
            per_month = [
                series[m].measures() if first is not None and m >= first else {} for m in months
            ]  # a month before the site's first contact: no data, not zero
            trend[site] = {k: [p.get(k) for p in per_month] for k in TREND_MEASURES}
        revenue = sum((Decimal(r["paid_revenue"]) for r in rows), Decimal("0.00"))
        first = self.first_month()
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


def _kind(month: Month, kind: Kind) -> int:
    return sum(1 for t in month.tickets if t["kind"] == kind)


def _category_counts(tickets: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for t in tickets:
        if t["category"] is not None:
            counts[t["category"]] = counts.get(t["category"], 0) + 1
    return counts


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


def _case(ticket: dict[str, Any], departments: list[str]) -> dict[str, Any]:
    return {
        "ticket_no": ticket["ticket_no"],
        "received_at": ticket["received_at"],
        "unit": ticket["unit"],
        "kind": ticket["kind"],
        "category": ticket["category"],
        "content": ticket["content"],
        "validity": ticket["validity"],
        "severity": ticket["severity"],
        "status": ticket["status"],
        "escalation_level": ticket["level"],
        "upgraded": bool(ticket["upgraded"]),
        "reopened": bool(ticket["reopened"]),
    } | _handling_of(ticket, departments)


def _handling_of(ticket: dict[str, Any], departments: list[str]) -> dict[str, Any]:
    score = ticket["follow_up_score"]
    return {
        "departments": departments,
        "resolution": ticket["resolution"],
        "completed_at": ticket["completed_at"],
        "follow_up": None
        if score is None
        else {
            "score": score,
            "satisfied": is_satisfied(score),
            "comment": ticket["follow_up_comment"],
        },
    }


def _handling(case: dict[str, Any]) -> dict[str, Any]:
    """What the weekly list adds to a complaint: its unit and the ledger's handling columns."""
    keys = ("unit", "departments", "resolution", "completed_at", "follow_up")
    return {k: case[k] for k in keys}


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
    previous, now = _category_counts(before.complaints), _category_counts(this.complaints)
    rows = [
        {"category": c, "previous": previous.get(c, 0), "this": n, "change": n - previous.get(c, 0)}
        for c, n in now.items()
        if n > previous.get(c, 0)
    ]
    return sorted(rows, key=lambda r: (-r["change"], r["category"]))
