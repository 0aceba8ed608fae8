"""The facts of one site-month (`Month`) and the figures every report shares (rates, medians,
percentiles), rounded as a report rounds (docs/REPORTS.md). Used by queries/figures.py and
queries/quality.py."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from shared.kernel.satisfaction import has_customer
from shared.kernel.sites import SiteConfig
from shared.kernel.vocabulary import Kind

TREND_MONTHS = 6
TREND_MEASURES = ("contacts", "complaints", "satisfaction_rate", "clock_compliance")


def half_up(value: Decimal | float, places: int) -> float:
    """Rounded as a report rounds (四舍五入): 20.25 h is 20.3, 1/32 is 0.0313."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def rate(part: int, whole: int) -> float | None:
    return half_up(Decimal(part) / Decimal(whole), 4) if whole else None


def nearest_rank(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of them at or below."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def counts(vocabulary: list[str], rows: list[dict[str, Any]], key: str) -> dict[str, int]:
    """How many rows have each value of `key`: every value of `vocabulary`, zero or more."""
    found = dict.fromkeys((str(v) for v in vocabulary), 0)
    for row in rows:
        value = row[key] if row[key] is not None else "unclassified"
        found[value] = found.get(value, 0) + 1
    return found


def category_counts(tickets: list[dict[str, Any]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for t in tickets:
        if t["category"] is not None:
            found[t["category"]] = found.get(t["category"], 0) + 1
    return found


def bounds(zone: Any, first: date, last: date) -> tuple[str, str]:
    return (
        datetime.combine(first, time(0), zone).isoformat(),
        datetime.combine(last, time(0), zone).isoformat(),
    )


def month_bounds(site: SiteConfig, month: str) -> tuple[str, str]:
    year, mon = (int(x) for x in month.split("-"))
    nxt = date(year + mon // 12, mon % 12 + 1, 1)
    return bounds(site.zone, date(year, mon, 1), nxt)


@dataclass
class Month:
    """The facts of one site-month and the figures every report shares."""

    tickets: list[dict[str, Any]]  # the month's new tickets (duplicates left out)
    clocks: list[dict[str, Any]]
    escalations: list[dict[str, Any]]
    # the month's repeat contacts about a ticket (R16.1), of any month: each a contact (R3.1)
    repeats: list[dict[str, Any]] = field(default_factory=list)

    @property
    def contacts(self) -> int:
        """Every contact received in the month (R3.1): new tickets and repeat contacts."""
        return len(self.tickets) + len(self.repeats)

    @property
    def complaints(self) -> list[dict[str, Any]]:
        return [t for t in self.tickets if t["kind"] == Kind.complaint]

    @property
    def resolved(self) -> list[dict[str, Any]]:
        return [t for t in self.tickets if t["resolved_at"] is not None]

    def hours(self) -> list[float]:
        return [
            (
                datetime.fromisoformat(t["resolved_at"]) - datetime.fromisoformat(t["received_at"])
            ).total_seconds()
            / 3600
            for t in self.resolved
        ]

    def compliance_parts(self, clocks: list[dict[str, Any]] | None = None) -> tuple[int, int]:
        """(met, judged): a clock is judged once it stopped in time or late, or once it breached
        (also if it then ran on, or was cancelled by a referral, a reclassification or the
        ticket's cancellation: the target was missed all the same)."""
        rows = self.clocks if clocks is None else clocks
        met = sum(1 for c in rows if c["outcome"] == "met")
        late = sum(1 for c in rows if c["outcome"] == "late")
        overdue = sum(1 for c in rows if c["outcome"] not in ("met", "late") and c["breached"])
        return met, met + late + overdue

    def follow_up_parts(self) -> tuple[int, int]:
        """(followed up, to follow up): the resolved tickets that have a customer to call (an
        inspection finding is verified on site instead, R13.17), and those called at least once."""
        due = [t for t in self.resolved if has_customer(t["channel"])]
        return sum(1 for t in due if t["follow_ups"]), len(due)

    def satisfaction(self) -> tuple[int, int]:
        """(satisfied, answers): the customers' answers in the follow-up calls (回访) of the
        month's tickets, every call counted (also a second one after a reopening), and those
        scoring 4–5. The one definition of the satisfaction rate (shared/kernel/satisfaction.py,
        docs/REPORTS.md); an inspection finding has no customer and no answer (R13.17)."""
        return (
            sum(t["satisfied"] for t in self.tickets),
            sum(t["follow_ups"] for t in self.tickets),
        )

    def measures(self) -> dict[str, Any]:
        """The measures the quality pack sets side by side."""
        return measures_of(self.parts())

    def parts(self) -> dict[str, Any]:
        """What the measures are made of, in a form that adds up across sites (`pooled`): the
        analytics view keeps them per site-month (views/analytics_months.py), so the quality
        pack reads finished rows."""
        resolved = self.resolved
        complaints = self.complaints
        met, judged = self.compliance_parts()
        followed, due = self.follow_up_parts()
        satisfied, answers = self.satisfaction()
        hours = self.hours()
        return {
            "tickets": len(self.tickets),
            "repeat_contacts": len(self.repeats),
            "complaints": len(complaints),
            "valid_complaints": sum(1 for t in complaints if t["validity"] == "valid"),
            # a complaint that climbed to the project manager is 1 complaint escalated, 2 steps
            "escalated_complaints": len({e["ticket_id"] for e in self.escalations}),
            "escalations": len(self.escalations),
            "upgraded_to_major": sum(t["upgraded"] for t in complaints),
            "clocks": [met, judged],
            "hours": hours,  # the company's median pools them; a site-month keeps them apart
            "median_hours": half_up(statistics.median(hours), 1) if hours else None,
            "follow_ups": [followed, due],
            "satisfaction": [satisfied, answers],
            "reopened": [sum(t["reopened"] for t in resolved), len(resolved)],
            "categories": category_counts(complaints),
        }


_SUMMED = (
    "tickets",
    "repeat_contacts",
    "complaints",
    "valid_complaints",
    "escalated_complaints",
    "escalations",
    "upgraded_to_major",
)
_PAIRS = ("clocks", "follow_ups", "satisfaction", "reopened")


def pooled(many: list[dict[str, Any]], hours: list[list[float]] | None = None) -> dict[str, Any]:
    """The parts of several site-months as one (the company's month): counts and pairs summed,
    category counts put together (a ticket belongs to one site), and the median of all their
    `hours` (none without them)."""
    total: dict[str, Any] = {k: sum(p[k] for p in many) for k in _SUMMED}
    for k in _PAIRS:
        total[k] = [sum(p[k][0] for p in many), sum(p[k][1] for p in many)]
    every = [h for one in hours or [] for h in one]
    total["hours"] = every
    total["median_hours"] = half_up(statistics.median(every), 1) if every else None
    categories: dict[str, int] = {}
    for p in many:
        for c, n in p["categories"].items():
            categories[c] = categories.get(c, 0) + n
    total["categories"] = categories
    return total


NO_PARTS = Month([], [], []).parts() | {"paid_revenue": "0.00"}  # a site-month without facts


def measures_of(parts: dict[str, Any]) -> dict[str, Any]:
    """The measures of `Month.parts()` (of one site-month, or `pooled`)."""
    return {
        "contacts": parts["tickets"] + parts["repeat_contacts"],
        "repeat_contacts": parts["repeat_contacts"],
        "complaints": parts["complaints"],
        "valid_complaints": parts["valid_complaints"],
        "escalated_complaints": parts["escalated_complaints"],
        "escalations": parts["escalations"],
        "upgraded_to_major": parts["upgraded_to_major"],
        "clock_compliance": rate(*parts["clocks"]),
        "resolution_median_hours": parts["median_hours"],
        "follow_up_rate": rate(*parts["follow_ups"]),
        "satisfaction_rate": rate(*parts["satisfaction"]),
        "reopen_rate": rate(*parts["reopened"]),
    }
