"""An emergency event's facts (突发事件, R16.5; docs/INCIDENTS.md): one row per incident, counted in
the local month it happened in, its times in the site's zone: what happened where, the measures
taken, the reports upward, and the follow-up that closed it. The month's report lists them and
`incident.list` / `incident.show` read them (queries/incidents.py)."""

from __future__ import annotations

import json
from typing import Any

from services.reporting.projections.site_calendar import Calendar
from shared.contracts import incident_events as ev_
from shared.eventstore.views import Step

Row = dict[str, Any]


def incident_steps(cal: Calendar) -> dict[type, Step]:
    def at(ev: Any, when: Any) -> str:
        return cal.local(ev.site, when).isoformat()

    def opened(row: Row | None, ev: ev_.IncidentOpenedEvent) -> Row | None:
        if row is not None:
            return None
        d = ev.data
        incident = {
            "incident_id": str(ev.aggregate_id),
            "incident_no": d.incident_no,
            "kind": d.kind.value,
            "place": d.place,
            "occurred_at": at(ev, d.occurred_at),
            "opened_at": at(ev, ev.recorded_at),
            "opened_by": ev.actor,
            "ticket_no": d.ticket_no,
            "help_category": d.help_category.value if d.help_category else None,
            "status": "open",
            "measures": [],
            "reports_up": [],
            "follow_up": None,
            "closed_at": None,
        }
        return _row(ev.site, cal.month_of(ev.site, d.occurred_at), incident)

    def changed(apply: Any) -> Step:
        def step(row: Row | None, ev: Any) -> Row | None:
            if row is None:
                return None  # opened before the view began: rebuild it to see it
            incident = json.loads(row["incident"])
            apply(incident, ev)
            return _row(row["site"], row["month"], incident)

        return step

    def measure(incident: dict[str, Any], ev: ev_.IncidentMeasureRecordedEvent) -> None:
        taken = {"measure": ev.data.measure, "taken_at": at(ev, ev.data.taken_at), "by": ev.actor}
        incident["measures"].append(taken)

    def reported(incident: dict[str, Any], ev: ev_.IncidentReportedUpEvent) -> None:
        d = ev.data
        incident["reports_up"].append(
            {"to": d.to.value, "reported_at": at(ev, d.reported_at), "note": d.note, "by": ev.actor}
        )

    def closed(incident: dict[str, Any], ev: ev_.IncidentClosedEvent) -> None:
        incident |= {
            "status": "closed",
            "follow_up": ev.data.follow_up,
            "closed_at": at(ev, ev.data.closed_at),
            "closed_by": ev.actor,
        }

    return {
        ev_.IncidentOpenedEvent: opened,
        ev_.IncidentMeasureRecordedEvent: changed(measure),
        ev_.IncidentReportedUpEvent: changed(reported),
        ev_.IncidentClosedEvent: changed(closed),
    }


def _row(site: str, month: str, incident: dict[str, Any]) -> Row:
    return {
        "incident_id": incident["incident_id"],
        "site": site,
        "month": month,
        "incident_no": incident["incident_no"],
        "occurred_at": incident["occurred_at"],
        "status": incident["status"],
        "incident": json.dumps(incident, ensure_ascii=False, sort_keys=True),
    }
