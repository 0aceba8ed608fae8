"""One line that sums up a report, as `propdesk report` and `propdesk demo` print it under the
files they wrote: contacts, complaints, satisfaction (monthly); what stays open (weekly); the
sites and what got worse (quality)."""

from __future__ import annotations

from typing import Any


def headline(kind: str, report: dict[str, Any]) -> str:
    if kind == "monthly":
        satisfaction = report.get("satisfaction") or {}
        return (
            f"{report.get('site')} {report.get('month')}: {report.get('contacts')} contacts, "
            f"{(report.get('by_kind') or {}).get('complaint', 0)} complaints, "
            f"satisfaction {percent(satisfaction.get('rate'))} "
            f"({satisfaction.get('satisfied', 0)} of {satisfaction.get('follow_ups', 0)} "
            "follow-ups)"
        )
    if kind == "weekly":
        return (
            f"{report.get('site')} {report.get('week')}: {report.get('contacts')} contacts, "
            f"{len(report.get('complaints') or [])} complaints, "
            f"{len(report.get('suggestions') or [])} suggestions; "
            f"{report.get('resolved')} resolved, {report.get('open')} open"
        )
    company = report.get("company") or {}
    worse = report.get("worse") or {}
    return (
        f"company {report.get('month')}: {len(report.get('sites') or [])} sites, "
        f"{company.get('contacts')} contacts, {company.get('complaints')} complaints, "
        f"satisfaction {percent(company.get('satisfaction_rate'))}; worse: "
        f"{len(worse.get('sites') or [])} site measures, "
        f"{len(worse.get('categories') or [])} categories"
    )


def percent(rate: Any) -> str:
    return "n/a" if rate is None else f"{rate * 100:.1f}%"
