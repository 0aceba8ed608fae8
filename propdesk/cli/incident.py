"""`propdesk incident open|measure|report-up|close|list|show`: emergency events (突发事件, R16.5;
docs/INCIDENTS.md). A help request of category A, E or F opens one by itself (`propdesk contact
report --help-category F --incident-kind lift_entrapment …`); these commands open one directly,
record what is done and close it with the follow-up. Every time is shown in the site's zone."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer

from propdesk.cli.common import (
    AsJson,
    NatsUrl,
    Site,
    Staff,
    aware_time,
    call_desk,
    new_client_ref,
    out,
    send_command,
    site_zone,
)
from propdesk.cli.help import ISO_TIME
from propdesk.cli.tables import desk_table
from shared.kernel.clock import SystemClock
from shared.kernel.local_time import TableTimes, shown
from shared.messaging import subjects

incident_app = typer.Typer(no_args_is_help=True, help="Emergency events (突发事件, R16.5).")

Incident = Annotated[str, typer.Argument(help="Incident number (HBW-INC-202612-001) or id")]
When = Annotated[
    datetime | None,
    typer.Option(parser=aware_time, metavar=ISO_TIME, help="ISO 8601 with offset (default: now)"),
]
DONE = {
    "incident_open": "Incident opened",
    "incident_measure": "Measure recorded",
    "incident_report_up": "Report upward recorded",
    "incident_close": "Incident closed",
}


def _send(url: str | None, site: str, verb: str, body: dict[str, Any], as_json: bool) -> None:
    reply = send_command(url, site, verb, body, as_json)
    if as_json:
        return
    out.print(
        f"[green]{DONE[verb]}[/green]: incident [bold]{reply['incident_no']}[/bold]"
        f"  status {reply['status']}  id {reply['incident_id']}"
    )
    if verb == "incident_open":
        out.print(f"told at once: {', '.join(reply['alerted'])} (R10.7, R16.5)")


@incident_app.command("open")
def incident_open(
    site: Site,
    staff: Staff,
    kind: Annotated[
        str, typer.Option(help="fire power_cut flood lift_entrapment medical crime other")
    ],
    place: Annotated[str, typer.Option(help="The unit or area (never a name)")],
    measure: Annotated[str, typer.Option(help="What was done (处理措施)")],
    occurred_at: When = None,
    ticket: Annotated[str | None, typer.Option(help="The ticket that reported it")] = None,
    client_ref: Annotated[str | None, typer.Option(help="Idempotency key (default: new)")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Open an emergency event; security and the duty manager are told at once."""
    body = {
        "client_ref": client_ref or new_client_ref(),
        "kind": kind,
        "place": place,
        "occurred_at": (occurred_at or SystemClock().now()).isoformat(),
        "measure": measure,
        "ticket_id": ticket,
        "staff_id": staff,
    }
    _send(nats_url, site, "incident_open", body, as_json)


@incident_app.command("measure")
def incident_measure(
    incident: Incident,
    site: Site,
    staff: Staff,
    measure: Annotated[str, typer.Option(help="What was done (处理措施)")],
    taken_at: When = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Record a measure taken, with when."""
    body = {"incident_id": incident, "measure": measure, "staff_id": staff,
            "taken_at": taken_at.isoformat() if taken_at else None}  # fmt: skip
    _send(nats_url, site, "incident_measure", body, as_json)


@incident_app.command("report-up")
def incident_report_up(
    incident: Incident,
    site: Site,
    staff: Staff,
    to: Annotated[str, typer.Option(help="project_manager, gm_office, quality …")],
    note: Annotated[str | None, typer.Option(help="How it was reported")] = None,
    reported_at: When = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Record the report upward: to whom (a role) and when."""
    body = {"incident_id": incident, "to": to, "note": note, "staff_id": staff,
            "reported_at": reported_at.isoformat() if reported_at else None}  # fmt: skip
    _send(nats_url, site, "incident_report_up", body, as_json)


@incident_app.command("close")
def incident_close(
    incident: Incident,
    site: Site,
    staff: Staff,
    follow_up: Annotated[str, typer.Option(help="What was found and done afterwards")],
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Close it with the follow-up (needs a measure and a report upward first)."""
    body = {"incident_id": incident, "follow_up": follow_up, "staff_id": staff}
    _send(nats_url, site, "incident_close", body, as_json)


@incident_app.command("list")
def incident_list(
    site: Site,
    month: Annotated[str | None, typer.Option(help="YYYY-MM, the site's month")] = None,
    status: Annotated[str | None, typer.Option(help="open or closed")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (1–200)")] = 50,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """A site's emergency events, newest first."""
    body = {k: v for k, v in {"month": month, "status": status, "limit": limit}.items() if v}
    reply = call_desk(nats_url, subjects.query(site, "incident.list"), body, as_json)
    if as_json:
        return
    times = TableTimes(site_zone(site), [i["occurred_at"] for i in reply["incidents"]])
    columns = ("no.", "kind", "place", "occurred", "status", "measures", "reported to")
    # the number whole: `incident show` takes it (it was cut to "HBW-INC-20…" at 80 columns)
    table = desk_table(f"Emergency events at {site}", columns, whole={"no."}, times=times)
    for i in reply["incidents"]:
        reported = ", ".join(r["to"] for r in i["reports_up"])
        table.add_row(i["incident_no"], i["kind"], i["place"] or "",
                      times(i["occurred_at"]), i["status"], str(len(i["measures"])),
                      reported)  # fmt: skip
    out.print(table)


@incident_app.command("show")
def incident_show(
    incident: Incident,
    site: Site,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """One emergency event: what, where, when, its measures, reports upward and follow-up."""
    reply = call_desk(
        nats_url, subjects.query(site, "incident.show"), {"incident_id": incident}, as_json
    )
    if as_json:
        return
    i, zone = reply["incident"], site_zone(site)
    out.print(f"[bold]{i['incident_no']}[/bold]  {i['kind']}  at {i['place'] or '?'}  "
              f"status {i['status']}")  # fmt: skip
    ticket = f"; ticket {i['ticket_no']}" if i["ticket_no"] else ""
    out.print(f"happened {shown(i['occurred_at'], zone)}; opened {shown(i['opened_at'], zone)} "
              f"by {i['opened_by']}{ticket}")  # fmt: skip
    for m in i["measures"]:
        out.print(f"  measure  {shown(m['taken_at'], zone)}  {m['measure']}  ({m['by']})")
    for r in i["reports_up"]:
        note = f"  {r['note']}" if r.get("note") else ""
        out.print(f"  reported {shown(r['reported_at'], zone)}  to {r['to']}{note}  ({r['by']})")
    if i["follow_up"]:
        out.print(f"  follow-up {shown(i['closed_at'], zone)}  {i['follow_up']}")
