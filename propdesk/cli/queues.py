"""The desk's queues from the command line (issue 14): `propdesk ticket search` (a caller's
tickets, answered by intake's blind index) and `propdesk workorder list` (orders by status and
technician, answered by reporting). `propdesk notice list --open` is in escalation.py."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from propdesk.cli.common import AsJson, NatsUrl, Site, Staff, call_desk, out, site_zone
from propdesk.cli.tables import ONE_WORD, desk_table, print_list
from shared.kernel.local_time import TableTimes
from shared.messaging import subjects


def ticket_search(
    site: Site,
    staff: Staff,
    phone: Annotated[str | None, typer.Option(help="The caller's phone, however written")] = None,
    name: Annotated[str | None, typer.Option(help="The reporter's name")] = None,
    room: Annotated[str | None, typer.Option(help="Room or location, as recorded")] = None,
    ticket_no: Annotated[str | None, typer.Option("--number", help="HBW-202611-0042")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 20,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Find a site's tickets by the caller's phone or name, a room or a ticket number (each
    given must match); newest contact first. By phone or name: desk roles only."""
    fields = {"phone": phone, "name": name, "room": room, "ticket_no": ticket_no}
    body = {"staff_id": staff, "limit": limit} | {k: v for k, v in fields.items() if v}
    reply = call_desk(nats_url, subjects.query(site, "ticket.search"), body, as_json)
    if as_json:
        return
    columns = ("ticket no", "status", "kind", "unit", "received at", "id")
    times = TableTimes(site_zone(site), [t["received_at"] for t in reply["tickets"]])
    table = desk_table(f"Tickets found at {site}", columns, {"ticket no", "id"}, times, ONE_WORD)
    for t in reply["tickets"]:
        table.add_row(t["ticket_no"], t["status"], t["kind"], t["unit"] or "",
                      times(t["received_at"]), t["ticket_id"])  # fmt: skip
    print_list(out, table, "id")
    if not reply["tickets"]:
        out.print("no tickets match")
    elif reply["more"]:
        out.print(f"more than {limit} match: add a criterion or raise --limit")


def workorder_list(
    site: Site,
    status: Annotated[
        str | None,
        typer.Option(help="issued (waiting to be collected), assigned, arrived (on site) …"),
    ] = None,
    technician: Annotated[str | None, typer.Option(help="Only this technician's (工号)")] = None,
    department: Annotated[str | None, typer.Option(help="engineering, cleaning …")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 50,
    cursor: Annotated[str | None, typer.Option(help="From a previous page")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """A site's work orders, oldest issued first, with the clocks that run on each."""
    fields = {"status": status, "technician": technician, "department": department,
              "cursor": cursor}  # fmt: skip
    body: dict[str, Any] = {"limit": limit} | {k: v for k, v in fields.items() if v is not None}
    reply = call_desk(nats_url, subjects.query(site, "workorder.list"), body, as_json)
    if as_json:
        return
    columns = ("order no", "status", "department", "urgency", "technician", "issued at",
               "next deadline")  # fmt: skip
    title = f"Work orders of {site}" + (f" ({status})" if status else "")
    rows = []
    for o in reply["work_orders"]:
        running = [c for c in o["clocks"].values() if c["state"] in ("running", "paused")]
        due = min((c["deadline"] for c in running if c["deadline"]), default=None)
        # overdue: a running clock of the order breached, not its next deadline (still ahead)
        late = " [red]overdue[/red]" if any(c["breached"] for c in running) else ""
        rows.append((o, late, due))
    times = TableTimes(site_zone(site), [t for o, _, due in rows for t in (o["issued_at"], due)])
    table = desk_table(title, columns, {"order no"}, times)
    for o, late, due in rows:
        table.add_row(o["order_no"], o["status"] + late, o["department"], o["urgency"],
                      o.get("technician") or "", times(o["issued_at"]), times(due))  # fmt: skip
    out.print(table)
    if not reply["work_orders"]:
        out.print("no work orders match")
    if reply.get("next_cursor"):
        out.print(f"more: --cursor {reply['next_cursor']}")
