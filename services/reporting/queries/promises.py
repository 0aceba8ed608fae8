"""A site's promises (R6.15, R10.6, R2.6, R11.5), from the analytics view's promise facts:
`promise.list`, the open ones soonest due first (the desk's list), or those made in a month,
every time in the site's zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.reporting.views.analytics import AnalyticsView
from services.reporting.views.promise_facts import TABLE
from shared.contracts.promise_commands import ListPromises
from shared.kernel.sites import SiteDirectory

TIMES = ("made_at", "due_at", "ended_at")


def list_promises(
    view: AnalyticsView, sites: SiteDirectory, site: str, query: ListPromises, now: datetime
) -> dict[str, Any]:
    sql, params = f"SELECT * FROM {TABLE} WHERE site = ?", [site]
    for column, value in (("status", query.status), ("month", query.month),
                          ("owner", query.owner)):  # fmt: skip
        if value is not None:
            sql += f" AND {column} = ?"
            params.append(value)
    sql += " ORDER BY due_at, client_ref LIMIT ?"
    rows = view.rows(sql, (*params, query.limit))
    promises = [_shown(view, site, r, now) for r in rows]
    return {"ok": True, "promises": promises}


def _shown(view: AnalyticsView, site: str, row: dict[str, Any], now: datetime) -> dict[str, Any]:
    shown = {k: v for k, v in row.items() if k not in ("site", "month")}
    for key in TIMES:
        if shown[key] is not None:
            shown[key] = view.local(site, datetime.fromisoformat(shown[key])).isoformat()
    shown["overdue"] = row["status"] == "open" and datetime.fromisoformat(row["due_at"]) < now
    return shown
