"""`propdesk residents import|lookup|care`: the resident and unit file (docs/RESIDENTS.md). `import`
reads a site's owner file (XLSX or CSV, propdesk/resident_rows.py), refuses it whole if a row is
bad, then registers each unit not yet registered and each resident (one already registered is
left as it is: correct it from the console or with `resident_correct`). `care` prints the care
roll: the special-care residents, the soonest due for a visit first (R11.10)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from uuid import uuid4

import typer

from propdesk.cli.client import DeskUnavailable, request
from propdesk.cli.common import (
    DEFAULT_URL,
    AsJson,
    NatsUrl,
    Site,
    Staff,
    call_desk,
    err,
    out,
    site_zone,
)
from propdesk.cli.tables import desk_table, print_table
from propdesk.resident_rows import plan, read_rows
from shared.kernel.local_time import TableTimes
from shared.messaging import subjects

residents_app = typer.Typer(no_args_is_help=True, help="The resident and unit file.")


@residents_app.command("import")
def residents_import(
    site: Site,
    staff: Staff,
    file: Annotated[Path, typer.Argument(help="The owner file: .xlsx (first sheet) or .csv")],
    dry_run: Annotated[bool, typer.Option(help="Check the file; send nothing")] = False,
    nats_url: NatsUrl = None,
) -> None:
    """Register the units and residents of an owner file (R16.2, R16.3)."""
    try:
        rows = read_rows(file)
    except (OSError, ValueError) as exc:
        err.print(f"[red]cannot read {file}:[/red] {exc}")
        raise typer.Exit(2) from None
    found = plan(rows, staff)
    if found.errors:
        for line in found.errors:
            err.print(f"[red]{line}[/red]")
        err.print(f"{len(found.errors)} bad rows: nothing sent")
        raise typer.Exit(1)
    out.print(f"{len(found.units)} units, {len(found.residents)} residents")
    if dry_run:
        return
    counts = {"registered": 0, "already": 0, "refused": 0}
    for kind, verb, items in (("unit", "unit_register", found.units),
                              ("resident", "resident_register", found.residents)):  # fmt: skip
        for body in items:
            reply = _send(nats_url, site, verb, body | {"staff_id": staff})
            code = (reply.get("error") or {}).get("code")
            ref = body.get("resident_ref") or body.get("unit_ref")
            if reply.get("ok"):
                counts["registered"] += 1
            elif code == "conflict":
                counts["already"] += 1
            else:
                counts["refused"] += 1
                err.print(f"[red]{kind} {ref}:[/red] {(reply.get('error') or {}).get('message')}")
    out.print(f"registered {counts['registered']}, already there {counts['already']}, "
              f"refused {counts['refused']}")  # fmt: skip
    if counts["refused"]:
        raise typer.Exit(1)


def _send(url: str | None, site: str, verb: str, body: dict) -> dict:
    try:
        return request(url or DEFAULT_URL, subjects.command(site, "intake", verb),
                       body | {"command_id": str(uuid4())})  # fmt: skip
    except DeskUnavailable as exc:
        err.print(f"[red]unavailable:[/red] {exc}")
        raise typer.Exit(3) from None


@residents_app.command("lookup")
def residents_lookup(
    site: Site,
    staff: Staff,
    phone: Annotated[str | None, typer.Option(help="The caller's phone")] = None,
    unit: Annotated[str | None, typer.Option(help="A unit_ref")] = None,
    ref: Annotated[str | None, typer.Option(help="A resident_ref (owner-file number)")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Who has this phone, lives in this unit, or has this file number (recorded by intake,
    R15.2)."""
    body = {"staff_id": staff, "phone": phone, "unit_ref": unit, "resident_ref": ref}
    body = {k: v for k, v in body.items() if v is not None}
    reply = call_desk(nats_url, subjects.query(site, "resident.lookup"), body, as_json)
    if as_json:
        return
    for r in reply["residents"]:
        care = f" [red]special care: {r['special_care']}[/red]" if r["special_care"] else ""
        units = ", ".join(u["unit_ref"] for u in r["units"]) or "-"
        tickets = ", ".join(t["ticket_no"] for t in r["open_tickets"]) or "none"
        out.print(f"{r['resident_ref']} {r['name']} ({r['kind']}) {units}{care}; open: {tickets}")
    if not reply["residents"]:
        out.print("nobody on file")


@residents_app.command("care")
def residents_care(
    site: Site,
    staff: Staff,
    within: Annotated[
        int | None,
        typer.Option(min=0, max=366, help="Only those due within N days, and the late (0: late)"),
    ] = None,
    cursor: Annotated[str | None, typer.Option(help="The next page, as the last one said")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """The care roll: special-care residents, soonest due for a visit first (R11.10; recorded
    by intake, R15.2)."""
    body = {"staff_id": staff, "due_within_days": within, "limit": 200, "cursor": cursor}
    body = {k: v for k, v in body.items() if v is not None}
    reply = call_desk(nats_url, subjects.query(site, "resident.care_roll"), body, as_json)
    if as_json:
        return
    rows = reply["residents"]
    when = [t for r in rows for t in (r["next_visit_due"], r["last_visited_at"])]
    times = TableTimes(site_zone(site), when)
    title = (f"Care roll at {site}: {reply['total']}, {reply['overdue']} late "
             f"(a visit every {reply['care_visit_days']} days)")  # fmt: skip
    columns = ("due", "ref", "name", "units", "care", "last visit")
    table = desk_table(title, columns, whole={"ref"}, times=times)
    for r in rows:
        table.add_row(
            times(r["next_visit_due"]) + (" LATE" if r["overdue"] else ""),
            r["resident_ref"],
            r["name"],
            ", ".join(f"{u['unit_ref']} {u['zone'] or ''}".strip() for u in r["units"]) or "-",
            r["special_care"] + (f": {r['care_note']}" if r["care_note"] else ""),
            f"{times(r['last_visited_at'])} {r['last_visited_by']}" if r["last_visited_at"] else "",
        )
    print_table(out, table)
    if reply["next_cursor"]:
        out.print(f"more: --cursor {reply['next_cursor']}", soft_wrap=True)
