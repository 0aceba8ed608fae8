"""`propdesk rounds plan|record|list`: inspection rounds (docs/INSPECTION.md). A plan and a round
are JSON files in the contract's shape (docs/contract.md §27); their findings are tickets, worked
with the `ticket` commands (`ticket verify` on site) and `clock extend` (the manager)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from propdesk.cli.common import (
    AsJson,
    NatsUrl,
    Site,
    Staff,
    call_desk,
    err,
    out,
    send_command,
    usage,
)
from shared.messaging import subjects

rounds_app = typer.Typer(no_args_is_help=True, help="Inspection rounds: plan, record, list.")

File = Annotated[Path, typer.Option("--file", "-f", help="A JSON file in the contract's shape")]


def _body(path: Path) -> dict[str, Any]:
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        usage(f"cannot read {path}: {exc}")
    if not isinstance(body, dict):
        usage(f"{path} holds no JSON object")
    return body


@rounds_app.command("plan")
def rounds_plan(
    site: Site,
    staff: Staff,
    month: Annotated[str, typer.Option(help="YYYY-MM, the site's local month")],
    file: File,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """The month's plan (R13.1): the file holds {"slots": [...]}; planning again revises it."""
    body = _body(file) | {"month": month, "staff_id": staff}
    reply = send_command(nats_url, site, "plan_rounds", body, as_json)
    if not as_json:
        out.print(f"[green]planned[/green] {reply['month']}: {reply['slots']} slots, "
                  f"revision {reply['revision']}")  # fmt: skip


@rounds_app.command("record")
def rounds_record(
    site: Site,
    staff: Staff,
    file: File,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """A round walked (R13.13, R13.14): its findings not fixed on the spot open tickets."""
    reply = send_command(nats_url, site, "record_round", _body(file) | {"staff_id": staff}, as_json)
    if as_json:
        return
    said = "already recorded" if reply["duplicate"] else "recorded"
    out.print(f"[green]{said}[/green] round {reply['round_id']}")
    for f in reply["findings"]:
        where = f["ticket_no"] or "-"
        case = f" case {f['case_id']}" if f.get("case_id") else ""  # R14.10
        out.print(
            f"  {f['index']}: {f['type']} → {f['routed_to']} {where} {f['department'] or ''}{case}"
        )


@rounds_app.command("list")
def rounds_list(
    site: Site,
    day: Annotated[str, typer.Option(help="A local date, YYYY-MM-DD")],
    week: Annotated[bool, typer.Option("--week", help="Its Monday–Sunday week")] = False,
    xlsx: Annotated[Path | None, typer.Option(help="Also write the sheet as XLSX")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """The day's summary (due 18:30, R12.9) or the week's quality check sheet (before Friday,
    R1.5): rounds, planned slots not walked, and findings with their state."""
    try:
        date.fromisoformat(day)
    except ValueError:
        usage(f"--day {day!r} is not a date such as 2026-12-03")
    body = {"day": day, "week": week}
    reply = call_desk(nats_url, subjects.query(site, "round.list"), body, as_json)
    if xlsx is not None:
        from propdesk.report_files.rounds import render_rounds

        xlsx.write_bytes(render_rounds(reply, week=week))
        err.print(f"wrote {xlsx}", soft_wrap=True)
    if as_json:
        return
    out.print(f"{reply['first_day']} – {reply['last_day']}: due {reply['due_at']}")
    if reply["missed"]:
        out.print(f"[yellow]planned, not walked:[/yellow] {', '.join(reply['missed'])}")
    table = Table(title="Findings")
    for column in ("ticket", "area", "point", "type", "routed to", "status", "due"):
        table.add_column(column)
    for f in reply["findings"]:
        table.add_row(f["ticket_no"] or "-", f["area"], f["point"], f["type"], f["routed_to"],
                      f["status"], f["due_at"] or "")  # fmt: skip
    out.print(table)
