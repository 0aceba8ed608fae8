"""Emergency events (突发事件, R16.5; docs/INCIDENTS.md) through the console: the open form and the
steps of an incident become the contract's commands — checked against the contract's own models
first, so a bad form is refused here and sends nothing — and its pages read `incident.list` and
`incident.show`. Times typed in a browser are read in the site's zone."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from services.console.application.forms import (
    _local_time,
    _text,
    new_client_ref,
    send_form,
    step_command,
)
from services.console.application.ports import DeskContract
from services.console.domain.refusal import Refused
from shared.contracts.incident_commands import (
    CloseIncident,
    OpenIncident,
    RecordIncidentMeasure,
    ReportIncidentUp,
)

# verb of the page (/incidents/<no>/<verb>) -> (the contract's command, its label)
STEPS: dict[str, tuple[type, str]] = {
    "measure": (RecordIncidentMeasure, "处理措施"),
    "report_up": (ReportIncidentUp, "上报"),
    "close": (CloseIncident, "结案（事后跟进）"),
}


def open_body(form: dict[str, str], zone: ZoneInfo, now: str) -> dict[str, Any]:
    return {
        "client_ref": _text(form, "client_ref") or new_client_ref(),
        "kind": _text(form, "kind"),
        "place": _text(form, "place"),
        "occurred_at": _local_time(_text(form, "occurred_at"), zone, "occurred_at") or now,
        "measure": _text(form, "measure"),
        "ticket_id": _text(form, "ticket"),
    }


def step_body(verb: str, form: dict[str, str], zone: ZoneInfo) -> dict[str, Any]:
    if verb == "measure":
        taken_at = _local_time(_text(form, "taken_at"), zone, "taken_at")
        return {"measure": _text(form, "measure"), "taken_at": taken_at}
    if verb == "report_up":
        reported_at = _local_time(_text(form, "reported_at"), zone, "reported_at")
        return {"to": _text(form, "to"), "note": _text(form, "note"), "reported_at": reported_at}
    return {"follow_up": _text(form, "follow_up")}


async def open_incident(
    desk: DeskContract, site: str, staff_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    return await send_form(desk, site, staff_id, OpenIncident, body)


async def incident_step(
    desk: DeskContract, site: str, staff_id: str, ref: str, verb: str, body: dict[str, Any]
) -> dict[str, Any]:
    command = step_command(STEPS, verb)
    return await send_form(desk, site, staff_id, command, {"incident_id": ref, **body})


async def incidents(desk: DeskContract, site: str, status: str | None) -> list[dict[str, Any]]:
    query = {"limit": 200, **({"status": status} if status else {})}
    return (await desk.query(site, "incident.list", query))["incidents"]


async def incident(desk: DeskContract, site: str, ref: str) -> dict[str, Any]:
    return (await desk.query(site, "incident.show", {"incident_id": ref[:64]}))["incident"]


def progress(found: dict[str, Any] | None) -> tuple[int, int, str]:
    """How far an incident has got: its measures, reports upward and status."""
    if found is None:
        return (-1, -1, "")
    return (len(found["measures"]), len(found["reports_up"]), found["status"])


async def seen(desk: DeskContract, site: str, ref: str, before: tuple[int, int, str],
               wait: float = 3.0) -> None:  # fmt: skip
    """Wait (a little) until reporting shows what a command did to the incident, so the page
    shown next reads its own write."""
    deadline = asyncio.get_running_loop().time() + wait
    while asyncio.get_running_loop().time() < deadline:
        with contextlib.suppress(Refused):
            if progress(await incident(desk, site, ref)) != before:
                return
        await asyncio.sleep(0.1)


def record(found: dict[str, Any]) -> list[dict[str, Any]]:
    """An incident's measures and reports upward as one record in the order they happened
    (R16.5: the time and the measures), a report upward after a measure of the same moment."""
    rows = [{"at": m["taken_at"], "measure": m["measure"], "by": m["by"], "order": 0}
            for m in found["measures"]]  # fmt: skip
    rows += [{"at": r["reported_at"], "to": r["to"], "note": r.get("note"), "by": r["by"],
              "order": 1} for r in found["reports_up"]]  # fmt: skip
    return sorted(rows, key=lambda row: (datetime.fromisoformat(row["at"]), row["order"]))


async def of_ticket(desk: DeskContract, site: str, ticket: dict[str, Any],
                    month: str) -> list[dict[str, Any]]:  # fmt: skip
    """The incidents a ticket opened or is named by (R16.5): those of its local `month` and
    those still open (none if the desk cannot be asked just now)."""
    found: dict[str, dict[str, Any]] = {}
    for query in ({"month": month, "limit": 200}, {"status": "open", "limit": 200}):
        with contextlib.suppress(Refused):
            for incident_ in (await desk.query(site, "incident.list", query))["incidents"]:
                if incident_.get("ticket_no") == ticket.get("ticket_no"):
                    found[incident_["incident_no"]] = incident_
    return sorted(found.values(), key=lambda i: i["incident_no"])
