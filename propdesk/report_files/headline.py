"""One line that sums up a report, as `propdesk report` and `propdesk demo` print it under the
files they wrote: contacts, complaints, satisfaction (monthly); what stays open (weekly); the
sites and what got worse (quality)."""

from __future__ import annotations

from typing import Any


def headline(kind: str, report: dict[str, Any]) -> str:
    if kind == "monthly":
        satisfaction = report.get("satisfaction") or {}
        return (
            f"{report.get('site')} {report.get('month')}: {n(report.get('contacts'), 'contact')}, "
            f"{n((report.get('by_kind') or {}).get('complaint', 0), 'complaint')}, "
            f"satisfaction {percent(satisfaction.get('rate'))} "
            f"({satisfaction.get('satisfied', 0)} of "
            f"{n(satisfaction.get('follow_ups', 0), 'follow-up')})"
        )
    if kind == "weekly":
        return (
            f"{report.get('site')} {report.get('week')}: {n(report.get('contacts'), 'contact')}, "
            f"{n(len(report.get('complaints') or []), 'complaint')}, "
            f"{n(len(report.get('suggestions') or []), 'suggestion')}; "
            f"{report.get('resolved')} resolved, {report.get('open')} open"
        )
    company = report.get("company") or {}
    worse = report.get("worse") or {}
    return (
        f"company {report.get('month')}: {n(len(report.get('sites') or []), 'site')}, "
        f"{n(company.get('contacts'), 'contact')}, {n(company.get('complaints'), 'complaint')}, "
        f"satisfaction {percent(company.get('satisfaction_rate'))}; worse: "
        f"{len(worse.get('sites') or [])} site measures, "
        f"{len(worse.get('categories') or [])} categories"
    )


def n(count: Any, noun: str) -> str:
    """'1 contact', '2 contacts' (English plural by -s: the nouns here all take it)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def percent(rate: Any) -> str:
    return "n/a" if rate is None else f"{rate * 100:.1f}%"
