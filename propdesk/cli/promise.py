"""`propdesk promise make|missed-call|keep|reschedule|break|reveal|list`: promises kept (守信履约,
R6.15, R10.6, R2.6, R11.5; docs/PROMISES.md). Every time is shown in the site's zone."""

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
from shared.kernel.local_time import TableTimes, shown
from shared.messaging import subjects

promise_app = typer.Typer(no_args_is_help=True, help="Promises kept (守信履约, R6.15, R2.6).")

Promise = Annotated[str, typer.Argument(help="The promise's client_ref or id")]
Time = Annotated[datetime, typer.Option(parser=aware_time, metavar=ISO_TIME, help="ISO 8601")]
Owner = Annotated[str | None, typer.Option(help="Who keeps it (default: --staff)")]
Ref = Annotated[str | None, typer.Option(help="Idempotency key (default: new)")]


def _send(url: str | None, site: str, verb: str, body: dict[str, Any], as_json: bool) -> None:
    reply = send_command(url, site, verb, body, as_json)
    if as_json:
        return
    outcome = f"  {reply['outcome']}" if reply.get("outcome") else ""
    out.print(
        f"[green]{verb.removeprefix('promise_')}[/green]: promise [bold]{reply['client_ref']}"
        f"[/bold] ({reply['kind']})  {reply['status']}{outcome}  due "
        f"{shown(reply['due_at'], site_zone(site))}  owner {reply['owner']}"
    )


@promise_app.command("make")
def promise_make(
    site: Site, staff: Staff, due_at: Time,
    what: Annotated[str, typer.Option(help="What was promised")],
    ticket: Annotated[str | None, typer.Option(help="The ticket it is about")] = None,
    answer: Annotated[bool, typer.Option(help="A follow-up call's question (R11.5)")] = False,
    owner: Owner = None, client_ref: Ref = None, nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:  # fmt: skip
    """Promise a customer a reply by a time (R6.15), or a follow-up question's answer (R11.5)."""
    body = {"client_ref": client_ref or new_client_ref(), "kind": "answer" if answer else "reply",
            "due_at": due_at.isoformat(), "what": what, "ticket_id": ticket, "owner": owner,
            "staff_id": staff}  # fmt: skip
    _send(nats_url, site, "promise_make", body, as_json)


@promise_app.command("missed-call")
def promise_missed_call(
    site: Site, staff: Staff, phone: Annotated[str, typer.Option(help="The caller's number")],
    called_at: Annotated[datetime | None, typer.Option(parser=aware_time, metavar=ISO_TIME,
                                                       help="Default: now")] = None,
    owner: Owner = None, client_ref: Ref = None, nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:  # fmt: skip
    """A call the desk could not answer: call it back with an apology in time (R2.6)."""
    when = called_at.isoformat() if called_at else None
    body = {"client_ref": client_ref or new_client_ref(), "phone": phone, "owner": owner,
            "called_at": when, "staff_id": staff}  # fmt: skip
    _send(nats_url, site, "promise_missed_call", body, as_json)


@promise_app.command("keep")
def promise_keep(
    promise: Promise, site: Site, staff: Staff,
    outcome: Annotated[str, typer.Option(help="What the customer was told")],
    nats_url: NatsUrl = None, as_json: AsJson = False,
) -> None:  # fmt: skip
    """The promise was kept: on time if by its due time."""
    body = {"promise": promise, "outcome": outcome, "staff_id": staff}
    _send(nats_url, site, "promise_keep", body, as_json)


@promise_app.command("reschedule")
def promise_reschedule(
    promise: Promise, site: Site, staff: Staff, due_at: Time,
    reason: Annotated[str, typer.Option(help="Why, and that the customer agreed")],
    nats_url: NatsUrl = None, as_json: AsJson = False,
) -> None:  # fmt: skip
    """The customer agreed to a later time."""
    body = {"promise": promise, "due_at": due_at.isoformat(), "reason": reason, "staff_id": staff}
    _send(nats_url, site, "promise_reschedule", body, as_json)


@promise_app.command("break")
def promise_break(
    promise: Promise, site: Site, staff: Staff,
    reason: Annotated[str, typer.Option(help="Why it cannot be kept")],
    nats_url: NatsUrl = None, as_json: AsJson = False,
) -> None:  # fmt: skip
    """The promise cannot be kept: it counts as broken."""
    body = {"promise": promise, "reason": reason, "staff_id": staff}
    _send(nats_url, site, "promise_break", body, as_json)


@promise_app.command("reveal")
def promise_reveal(
    promise: Promise, site: Site, staff: Staff, nats_url: NatsUrl = None, as_json: AsJson = False
) -> None:
    """A missed call's number, to call it back (R2.6; the desk roles only, R15.2)."""
    body = {"promise": promise, "staff_id": staff}
    reply = send_command(nats_url, site, "promise_reveal", body, as_json)
    if not as_json:
        out.print(f"{reply['client_ref']}: {reply['phone']}  (the look is recorded)")


@promise_app.command("list")
def promise_list(
    site: Site,
    status: Annotated[str, typer.Option(help="open, kept, broken or any")] = "open",
    month: Annotated[str | None, typer.Option(help="Made in YYYY-MM")] = None,
    owner: Annotated[str | None, typer.Option(help="Of this member of staff")] = None,
    nats_url: NatsUrl = None, as_json: AsJson = False,
) -> None:  # fmt: skip
    """A site's promises: the open ones soonest due first, by default."""
    body: dict[str, Any] = {"status": None if status == "any" else status, "limit": 200}
    body |= {k: v for k, v in {"month": month, "owner": owner}.items() if v is not None}
    reply = call_desk(nats_url, subjects.query(site, "promise.list"), body, as_json)
    if as_json:
        return
    times = TableTimes(site_zone(site), [p["due_at"] for p in reply["promises"]])
    columns = ("ref", "kind", "due", "owner", "ticket", "status", "what")
    # whole: `promise keep <ref>` takes the ref, `ticket show` the number
    table = desk_table(f"Promises at {site}", columns, whole={"ref", "ticket"}, times=times)
    for p in reply["promises"]:
        due = times(p["due_at"]) + (" overdue" if p["overdue"] else "")
        table.add_row(p["client_ref"], p["kind"], due, p["owner"], p["ticket_no"] or "",
                      p["outcome"] or p["status"], p["what"])  # fmt: skip
    out.print(table)
