"""The analytics facts of a period, read from the analytics view (services/reporting/views/
analytics.py): every SQL the reports ask, and nothing computed (queries/figures.py,
queries/ledger.py and queries/quality.py compute the figures; R12.1–R12.4).

A duplicate contact counts nowhere (docs/REPORTS.md).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from services.reporting.queries.month import Month
from services.reporting.views import promise_facts

# The orders of a site that do not belong to a duplicate contact (an order's ticket may be
# unknown to the view, e.g. a view rebuilt from a stream that lost its oldest messages).
_NOT_DUPLICATE = (
    "LEFT JOIN ticket_facts t USING (ticket_id) WHERE o.site = ? AND COALESCE(t.duplicate, 0) = 0"
)


# the columns of a month's tickets, clocks and escalations that `Month.parts` reads
_MEASURED = (
    "ticket_id, kind, category, validity, channel, received_at, resolved_at, reopened, "
    "follow_ups, satisfied, upgraded",
    "c.outcome, c.breached",
    "e.ticket_id",
)


class Reader(Protocol):
    """The analytics view (views/analytics.py), or a cursor of one of its transactions
    (views/analytics_months.py)."""

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...

    def settle(self, site: str | None = None) -> None:
        """Recompute the site-months left stale (of `site` only, if given), before they are
        read."""


class PeriodFacts:
    def __init__(self, view: Reader) -> None:
        self.view = view

    def month(self, site: str, month: str, measured: bool = False) -> Month:
        """The month's facts; `measured`: only the columns `Month.parts` reads (the analytics
        view recomputes a site-month's parts after each batch that changes it)."""
        tickets, clocks, escalations = _MEASURED if measured else ("*", "c.*", "e.*")
        return Month(
            tickets=self.view.rows(
                f"SELECT {tickets} FROM ticket_facts WHERE site = ? AND month = ? "
                "AND duplicate = 0 ORDER BY received_at, ticket_no",
                (site, month),
            ),
            # a duplicate counts nowhere; a ladder step counts while the ticket is a complaint
            clocks=self.view.rows(
                f"SELECT {clocks} FROM clock_facts c LEFT JOIN ticket_facts t USING (ticket_id) "
                "WHERE c.site = ? AND c.month = ? AND COALESCE(t.duplicate, 0) = 0",
                (site, month),
            ),
            escalations=self.view.rows(
                f"SELECT {escalations} FROM escalation_facts e "
                "JOIN ticket_facts t USING (ticket_id) WHERE e.site = ? AND e.month = ? "
                "AND t.duplicate = 0 AND t.kind = 'complaint'",
                (site, month),
            ),
            repeats=self.repeats(site, "month", month),
        )

    def week(self, site: str, week: str) -> list[dict[str, Any]]:
        """The tickets of one ISO week (`2026-W40`) of the site's calendar."""
        return self.view.rows(
            "SELECT * FROM ticket_facts WHERE site = ? AND week = ? AND duplicate = 0 "
            "ORDER BY received_at, ticket_no",
            (site, week),
        )

    def repeats(self, site: str, period: str, value: str) -> list[dict[str, Any]]:
        """The repeat contacts received in the month or week (R3.1, R16.1), with the kind of
        the ticket they repeat; none of a duplicate ticket."""
        return self.view.rows(
            "SELECT r.*, t.kind FROM contact_facts r JOIN ticket_facts t USING (ticket_id) "
            f"WHERE r.site = ? AND r.{period} = ? AND t.duplicate = 0 ORDER BY r.received_at",
            (site, value),
        )

    def orders(self, site: str, month: str) -> tuple[dict[str, int], dict[str, Any]]:
        """The work orders issued in the month by department, and the paid ones completed in
        it with their revenue."""
        issued = self.view.rows(
            "SELECT o.department, COUNT(*) AS n FROM order_facts o "
            f"{_NOT_DUPLICATE} AND o.issued_month = ? GROUP BY o.department "
            "ORDER BY o.department",
            (site, month),
        )
        return {r["department"]: r["n"] for r in issued}, self.paid(site, month)

    def paid(self, site: str, month: str) -> dict[str, Any]:
        """The paid work orders completed in the month, and their revenue."""
        fees = [
            Decimal(r["fee"])
            for r in self.view.rows(
                f"SELECT o.fee FROM order_facts o {_NOT_DUPLICATE} AND o.completed_month = ?",
                (site, month),
            )
        ]
        paid = [fee for fee in fees if fee > 0]
        revenue = sum(paid, Decimal("0")).quantize(Decimal("0.01"))
        return {"orders": len(paid), "revenue": str(revenue)}

    def first_month(self, site: str | None = None) -> str | None:
        """The month of the site's first contact (of any site's, without one): a month before
        it has no data, which is not the same as a month with no contacts (docs/REPORTS.md)."""
        firsts = self.first_months(site)
        if site is not None:
            return firsts.get(site)
        return min(firsts.values(), default=None)

    def first_months(self, site: str | None = None) -> dict[str, str]:
        """Each site's month of first contact (a new ticket, not a duplicate), in one query of
        the site-months (views/analytics_months.py); of `site` only, if given: a site's monthly
        report recomputes only its own stale site-months, not the company's."""
        self.view.settle(site)
        only, params = ("AND site = ? ", (site,)) if site is not None else ("", ())
        rows = self.view.rows(
            f"SELECT site, MIN(month) AS first FROM site_months WHERE tickets > 0 {only}"
            "GROUP BY site",
            params,
        )
        return {r["site"]: r["first"] for r in rows}

    def site_months(self, months: list[str]) -> dict[tuple[str, str], dict[str, Any]]:
        """What the measures of every site in these months are made of (`Month.parts`), read
        finished from the view (`paid_revenue` too, the hours apart: `hours`), with `present`:
        the site has facts of any kind in the month."""
        marks = ", ".join("?" * len(months))
        self.view.settle()
        return {
            (r["site"], r["month"]): json.loads(r["parts"]) | {"present": bool(r["present"])}
            for r in self.view.rows(
                f"SELECT site, month, present, parts FROM site_months WHERE month IN ({marks})",
                months,
            )
        }

    def care_months(self, months: list[str]) -> list[dict[str, Any]]:
        """The special-care counts of every site in these months (views/care_months.py), and
        each site's last before them: the roll it carries into the first."""
        return self.view.rows(
            "SELECT site, month, residents, visits, overdue FROM care_months "
            "WHERE month BETWEEN ?1 AND ?2 UNION ALL "
            "SELECT site, MAX(month) AS month, residents, visits, overdue FROM care_months "
            "WHERE month < ?1 GROUP BY site",
            (months[0], months[-1]),
        )

    def hours(self, month: str) -> list[list[float]]:
        """The hours to resolve of every site's tickets of the month (site by site)."""
        self.view.settle()
        return [
            json.loads(r["hours"])
            for r in self.view.rows(
                "SELECT hours FROM site_months WHERE month = ? ORDER BY site", (month,)
            )
        ]

    def departments(self, site: str, tickets: list[dict[str, Any]]) -> dict[str, list[str]]:
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

    def analysis(self, site: str, month: str) -> dict[str, Any] | None:
        rows = self.view.rows(
            "SELECT analysis FROM month_analysis WHERE site = ? AND month = ?", (site, month)
        )
        return json.loads(rows[0]["analysis"]) if rows else None

    def incidents(self, site: str, month: str) -> list[dict[str, Any]]:
        """The emergency events that happened in `month` (R16.5), in the order they happened."""
        rows = self.view.rows(
            "SELECT incident FROM incident_facts WHERE site = ? AND month = ? "
            "ORDER BY occurred_at, incident_no",
            (site, month),
        )
        return [json.loads(r["incident"]) for r in rows]

    def incident_counts(self, month: str) -> dict[str, int]:
        """How many emergency events each site had in `month` (R16.5)."""
        rows = self.view.rows(
            "SELECT site, COUNT(*) AS n FROM incident_facts WHERE month = ? GROUP BY site", (month,)
        )
        return {r["site"]: r["n"] for r in rows}

    def promise_counts(self, month: str) -> dict[str, dict[str, int]]:
        """How each site's promises made in `month` ended (R6.15; views/promise_facts.py)."""
        counts: dict[str, dict[str, int]] = {}
        for r in self.view.rows(promise_facts.COUNTS_SQL, (month,)):
            site = counts.setdefault(r["site"], dict.fromkeys(promise_facts.OUTCOMES, 0))
            site["made"] += 1
            site[r["outcome"] or "open"] += 1
        return counts
