"""`propdesk shift entry|close|sign|show` and `propdesk ticket hand-over`: the desk's shift log
(交接班记录, R15.9–R15.12) and first-contact ownership (首问负责制, R10.1); docs/SHIFTS.md,
contract §31. A close lists the site's open tickets (ticket.list) as its pending items."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from propdesk.cli.common import AsJson, NatsUrl, Site, Staff, call_desk, out, send_command
from propdesk.cli.common import ticket_ref as ref_of
from shared.contracts.shifts import MAX_PENDING
from shared.kernel.shifts import EntryKind
from shared.kernel.vocabulary import OPEN_STATUSES
from shared.messaging import subjects

shift_app = typer.Typer(no_args_is_help=True, help="The desk's shift log: write, close, sign.")

Shift = Annotated[
    str | None,
    typer.Option(
        "--shift", help="The shift's local start, YYYY-MM-DDTHH:MM (default: see contract §31)"
    ),
]


def _said(reply: dict[str, Any]) -> None:
    signed = ", ".join(reply["signed_by"]) or "nobody yet"
    out.print(f"shift {reply['shift']}: [green]{reply['status']}[/green], {reply['entries']} "
              f"entries, {reply['pending']} pending, signed by {signed}")  # fmt: skip


@shift_app.command("entry")
def shift_entry(
    site: Site,
    staff: Staff,
    kind: Annotated[EntryKind, typer.Option(help="notice, unresolved or abnormal (R15.10)")],
    text: Annotated[str, typer.Option(help="What the next shift must know")],
    ticket: Annotated[str | None, typer.Option(help="About this ticket (id or number)")] = None,
    shift: Shift = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Write in the shift log (R15.10)."""
    body = {"staff_id": staff, "kind": kind.value, "text": text, "shift": shift,
            "ticket_id": ref_of(ticket) if ticket else None}  # fmt: skip
    reply = send_command(nats_url, site, "shift_entry", body, as_json)
    if not as_json:
        _said(reply)


def _open_tickets(nats_url: str | None, site: str) -> list[str]:
    found: list[str] = []
    for status in sorted(OPEN_STATUSES):
        query = {"status": str(status), "limit": 200}
        reply = call_desk(nats_url, subjects.query(site, "ticket.list"), query, False)
        found += [t["ticket_no"] for t in reply["tickets"]]
    return found[:MAX_PENDING]


@shift_app.command("close")
def shift_close(
    site: Site,
    staff: Staff,
    note: Annotated[str | None, typer.Option(help="A word for the incoming shift")] = None,
    shift: Shift = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Close the shift's log at shift change (R15.12): the site's open tickets are its pending
    items; the incoming shift signs it."""
    body = {"staff_id": staff, "note": note, "shift": shift,
            "pending": _open_tickets(nats_url, site)}  # fmt: skip
    reply = send_command(nats_url, site, "shift_close", body, as_json)
    if not as_json:
        _said(reply)
        out.print(f"to be signed by {reply['sign_by']}")


@shift_app.command("sign")
def shift_sign(
    site: Site, staff: Staff, shift: Shift = None, nats_url: NatsUrl = None, as_json: AsJson = False
) -> None:
    """Read and sign the closed log as the incoming shift (R15.9, R15.11)."""
    reply = send_command(nats_url, site, "shift_sign", {"staff_id": staff, "shift": shift}, as_json)
    if not as_json:
        _said(reply)


@shift_app.command("show")
def shift_show(
    site: Site,
    shift: Shift = None,
    previous: Annotated[bool, typer.Option("--previous", help="The shift before")] = False,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """A shift's log: its entries, pending tickets and signatures (shift.show)."""
    body = {"previous": previous, **({"shift": shift} if shift else {})}
    reply = call_desk(nats_url, subjects.query(site, "shift.show"), body, as_json)
    if as_json:
        return
    out.print(f"shift {reply['shift']} ({reply['starts_at']} – {reply['ends_at']}): "
              f"{reply['status']}")  # fmt: skip
    table = Table(title="Entries")
    for column in ("at", "kind", "text", "ticket", "by"):
        table.add_column(column)
    for e in reply["entries"]:
        table.add_row(e["at"], e["kind"], e["text"], e["ticket_no"] or "", e["by"])
    out.print(table)
    for p in reply["pending"]:
        out.print(f"pending: {p['ticket_no']} owner {p['owner']} ({p['status']})")
    for s in reply["signatures"]:
        out.print(f"signed: {s['by']} at {s['at']}{' (late)' if s['late'] else ''}")


def ticket_hand_over(
    ticket: Annotated[str, typer.Argument(help="The ticket's id or number")],
    site: Site,
    staff: Staff,
    to: Annotated[str, typer.Option("--to", help="工号 of the new owner")],
    reason: Annotated[str, typer.Option(help="Why it is handed over")],
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Hand a ticket to another member of staff (R10.1): its owner, or a supervisor or manager."""
    body = {"staff_id": staff, "ticket_id": ref_of(ticket), "to_staff": to, "reason": reason}
    reply = send_command(nats_url, site, "hand_over", body, as_json)
    if not as_json:
        out.print(f"{reply['ticket_no']}: now owned by [green]{reply['owner']}[/green]")
