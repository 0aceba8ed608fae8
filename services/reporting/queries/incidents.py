"""The emergency events of a site (突发事件, R16.5), from the analytics view's incident facts:
`incident.list` (of a local month, or by status, newest first) and `incident.show` (one, by id or
number), every time in the site's zone."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from services.reporting.views.analytics import AnalyticsView
from shared.contracts.incident_commands import GetIncident, ListIncidents
from shared.kernel.sites import SiteDirectory
from shared.messaging.errors import not_found


def list_incidents(
    view: AnalyticsView, sites: SiteDirectory, site: str, query: ListIncidents, now: datetime
) -> dict[str, Any]:
    sql, params = "SELECT incident FROM incident_facts WHERE site = ?", [site]
    if query.month is not None:
        sql += " AND month = ?"
        params.append(query.month)
    if query.status is not None:
        sql += " AND status = ?"
        params.append(query.status)
    sql += " ORDER BY occurred_at DESC, incident_no DESC LIMIT ?"
    rows = view.rows(sql, (*params, query.limit))
    return {"ok": True, "incidents": [json.loads(r["incident"]) for r in rows]}


def show_incident(
    view: AnalyticsView, sites: SiteDirectory, site: str, query: GetIncident, now: datetime
) -> dict[str, Any]:
    ref = query.incident_id
    rows = view.rows(
        "SELECT incident FROM incident_facts WHERE site = ? AND "
        "(incident_id = ? OR incident_no = ?)",
        (site, ref, ref.upper()),
    )
    if not rows:
        raise not_found(f"incident {ref}")
    return {"ok": True, "incident": json.loads(rows[0]["incident"])}
