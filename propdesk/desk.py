"""The desk's verbs: `propdesk contact report` and `propdesk ticket …` (request/reply over NATS)."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

import typer
from rich.console import Console

from propdesk import views
from propdesk.client import DeskUnavailable, request
from shared import subjects

contact_app = typer.Typer(no_args_is_help=True, help="Log contacts from residents and tenants.")
ticket_app = typer.Typer(no_args_is_help=True, help="Look at and move tickets along.")

out = Console()
err = Console(stderr=True)

NatsUrl = Annotated[
    str | None, typer.Option("--nats-url", envvar="PROPDESK_NATS_URL", help="NATS server URL")
]
Site = Annotated[str, typer.Option("--site", "-s", envvar="PROPDESK_SITE", help="Site id")]
Staff = Annotated[
    str, typer.Option("--staff", envvar="PROPDESK_STAFF", help="Your staff id (工号)")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print the raw JSON reply")]
DEFAULT_URL = "nats://127.0.0.1:4222"


def new_client_ref() -> str:
    """A fresh client reference. Base32 (a–z, 2–7) has no 0, 1 or long digit runs, so it can
    never look like a phone number, which intake refuses in a client_ref (R15.4); a UUID's hex
    sometimes does (about one in a hundred)."""
    return "desk-" + base64.b32encode(uuid4().bytes).decode().rstrip("=").lower()


def call_desk(url: str | None, subject: str, body: dict[str, Any], as_json: bool) -> dict[str, Any]:
    """Send a request; print errors and exit non-zero when it is refused or cannot be sent."""
    try:
        reply = request(url or DEFAULT_URL, subject, body)
    except DeskUnavailable as exc:
        err.print(f"[red]unavailable:[/red] {exc}")
        raise typer.Exit(3) from None
    if as_json:
        out.print_json(data=reply)
    if not reply.get("ok"):
        if not as_json:
            views.print_error(err, reply.get("error", {}))
        raise typer.Exit(1)
    return reply


def send_command(
    url: str | None,
    site: str,
    verb: str,
    body: dict[str, Any],
    as_json: bool,
    service: str = "intake",
) -> dict:
    """Send a command with a fresh command_id (reused by the client's retries)."""
    body = {k: v for k, v in body.items() if v is not None}
    body.setdefault("command_id", str(uuid4()))
    reply = call_desk(url, subjects.command(site, service, verb), body, as_json)
    if not as_json and service == "intake" and verb in views.VERB_DONE:
        views.print_command_reply(out, verb, reply)
    return reply


def aware_time(value: str) -> datetime:
    """An option's ISO 8601 time, which must carry its offset (…+08:00, or Z for UTC)."""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not an ISO 8601 time such as 2026-11-23T10:00+08:00"
        ) from None
    if when.tzinfo is None:
        raise typer.BadParameter(f"{value!r} has no offset: say e.g. {value}+08:00 or {value}Z")
    return when


def reference(ref: str, id_field: str, no_field: str) -> dict[str, str]:
    """A ticket or work order named by its id (a UUID) or by its number."""
    try:
        return {id_field: str(UUID(ref))}
    except ValueError:
        return {no_field: ref.strip().upper()}


def resolve_id(url: str | None, site: str, ref: str, kind: str) -> str:
    """The id of a ticket or work order; a number is looked up in the reporting view."""
    key = reference(ref, f"{kind}_id", f"{kind}_no" if kind == "ticket" else "order_no")
    if f"{kind}_id" in key:
        return key[f"{kind}_id"]
    query = "ticket.get" if kind == "ticket" else "workorder.get"
    found = call_desk(url, subjects.query(site, query), key, as_json=False)
    return found[kind][f"{kind}_id"]


def _ticket(
    verb: str, ticket: str, site: str, staff: str, url: str | None, as_json: bool, **fields: Any
) -> dict:
    """A command about one ticket, named by its number or id."""
    body = {"ticket_id": resolve_id(url, site, ticket, "ticket"), "staff_id": staff, **fields}
    return send_command(url, site, verb, body, as_json)


@contact_app.command("report")
def contact_report(
    site: Site,
    staff: Staff,
    kind: Annotated[str, typer.Option(help="inquiry complaint repair suggestion help …")],
    content: Annotated[str, typer.Option(help="What the customer says")],
    channel: Annotated[str, typer.Option(help="phone visit letter online inspection …")] = "phone",
    category: Annotated[str | None, typer.Option(help="cleaning, plumbing, noise …")] = None,
    help_category: Annotated[str | None, typer.Option(help="A–G, for help requests")] = None,
    name: Annotated[str | None, typer.Option(help="Reporter's name")] = None,
    phone: Annotated[str | None, typer.Option(help="Reporter's phone")] = None,
    room: Annotated[str | None, typer.Option(help="Room or location")] = None,
    received_at: Annotated[str | None, typer.Option(help="ISO 8601 with offset")] = None,
    appointment_start: Annotated[str | None, typer.Option(help="ISO 8601 with offset")] = None,
    appointment_end: Annotated[str | None, typer.Option(help="ISO 8601 with offset")] = None,
    client_ref: Annotated[str | None, typer.Option(help="Idempotency key (default: new)")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Log a contact; prints the ticket number to tell the customer."""
    reporter = {"name": name, "phone": phone, "room": room}
    appointment = (
        {"start": appointment_start, "end": appointment_end}
        if appointment_start or appointment_end
        else None
    )
    body = {
        "client_ref": client_ref or new_client_ref(),
        "channel": channel,
        "kind": kind,
        "category": category,
        "help_category": help_category,
        "reporter": {k: v for k, v in reporter.items() if v is not None} or None,
        "content": content,
        "received_at": received_at,
        "appointment": appointment,
        "staff_id": staff,
    }
    send_command(nats_url, site, "report", body, as_json)


@ticket_app.command("show")
def ticket_show(
    ticket: Annotated[str, typer.Argument(help="Ticket number (HBW-202611-0001) or id")],
    site: Site,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            parser=aware_time,
            metavar="TIME",
            help="Show it as the desk knew it then (ISO 8601 with offset, "
            "e.g. 2026-11-23T10:00+08:00): what had been recorded up to that time",
        ),
    ] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """A ticket's current state (or as of a past time) and its full history."""
    key: dict[str, Any] = reference(ticket, "ticket_id", "ticket_no")
    if as_of is not None:
        key["as_of"] = as_of.isoformat()
    reply = call_desk(nats_url, subjects.query(site, "ticket.get"), key, as_json)
    if as_json:
        return
    if as_of is not None:
        out.print(f"[bold]as of {reply.get('as_of', key['as_of'])}[/bold] "
                  "(what the desk had recorded by then)")  # fmt: skip
    views.print_ticket(out, reply["ticket"])
    if as_of is not None and reply["ticket"].get("sla") is None:
        out.print("service levels as of then: not kept by this view (rebuild it to see them)")


@ticket_app.command("list")
def ticket_list(
    site: Site,
    status: Annotated[str | None, typer.Option(help="received classified resolved …")] = None,
    kind: Annotated[str | None, typer.Option(help="complaint repair …")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 50,
    cursor: Annotated[str | None, typer.Option(help="From a previous page")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Tickets of a site, newest first."""
    body = {"status": status, "kind": kind, "limit": limit, "cursor": cursor}
    body = {k: v for k, v in body.items() if v is not None}
    reply = call_desk(nats_url, subjects.query(site, "ticket.list"), body, as_json)
    if not as_json:
        views.print_ticket_list(out, site, reply)


TicketId = Annotated[str, typer.Argument(help="Ticket number (HBW-202611-0001) or id")]


@ticket_app.command("classify")
def ticket_classify(
    ticket_id: TicketId,
    site: Site,
    staff: Staff,
    kind: Annotated[str | None, typer.Option()] = None,
    category: Annotated[str | None, typer.Option()] = None,
    help_category: Annotated[str | None, typer.Option()] = None,
    validity: Annotated[str | None, typer.Option(help="valid or communicative")] = None,
    communicative_type: Annotated[
        str | None, typer.Option(help="help_seeking, inquiry or venting")
    ] = None,
    severity: Annotated[str | None, typer.Option(help="major, important or minor")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Classify a ticket (kind, category, validity, severity)."""
    _ticket(
        "classify",
        ticket_id,
        site,
        staff,
        nats_url,
        as_json,
        kind=kind,
        category=category,
        help_category=help_category,
        validity=validity,
        communicative_type=communicative_type,
        severity=severity,
    )


@ticket_app.command("link")
def ticket_link(
    ticket_id: TicketId,
    site: Site,
    staff: Staff,
    content: Annotated[str, typer.Option()],
    channel: Annotated[str, typer.Option()] = "phone",
    name: Annotated[str | None, typer.Option()] = None,
    phone: Annotated[str | None, typer.Option()] = None,
    room: Annotated[str | None, typer.Option()] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Link a repeat contact to an open ticket."""
    reporter = {k: v for k, v in {"name": name, "phone": phone, "room": room}.items() if v}
    _ticket(
        "link",
        ticket_id,
        site,
        staff,
        nats_url,
        as_json,
        channel=channel,
        content=content,
        reporter=reporter or None,
    )


@ticket_app.command("contact")
def ticket_contact(
    ticket_id: TicketId,
    site: Site,
    staff: Staff,
    purpose: Annotated[str, typer.Option(help="Why you need it, e.g. 回访; it is recorded")],
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Show the reporters' names and phones (for the follow-up call); the look is recorded."""
    reply = _ticket("reveal_contact", ticket_id, site, staff, nats_url, as_json, purpose=purpose)
    if not as_json:
        views.print_contacts(out, reply)


@ticket_app.command("reply")
def ticket_reply(
    ticket_id: TicketId,
    site: Site,
    staff: Staff,
    message: Annotated[str, typer.Option(help="What the customer was told")],
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Record a reply to the customer (a help request: within 5 minutes, R10.2)."""
    _ticket("reply", ticket_id, site, staff, nats_url, as_json, message=message)


@ticket_app.command("resolve")
def ticket_resolve(
    ticket_id: TicketId,
    site: Site,
    staff: Staff,
    resolution: Annotated[str, typer.Option(help="What was done")],
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Record the resolution; the follow-up call is then due."""
    _ticket("resolve", ticket_id, site, staff, nats_url, as_json, resolution=resolution)


@ticket_app.command("follow-up")
def ticket_follow_up(
    ticket_id: TicketId,
    site: Site,
    staff: Staff,
    score: Annotated[int, typer.Option(min=1, max=5, help="1–5")],
    satisfied: Annotated[bool, typer.Option("--satisfied/--unsatisfied")],
    comment: Annotated[str | None, typer.Option()] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Record the follow-up call (回访): satisfied closes, unsatisfied reopens."""
    _ticket(
        "follow_up",
        ticket_id,
        site,
        staff,
        nats_url,
        as_json,
        satisfied=satisfied,
        score=score,
        comment=comment,
    )


@ticket_app.command("reopen")
def ticket_reopen(
    ticket_id: TicketId,
    site: Site,
    staff: Staff,
    reason: Annotated[str, typer.Option()],
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Reopen a resolved or closed ticket."""
    _ticket("reopen", ticket_id, site, staff, nats_url, as_json, reason=reason)


@ticket_app.command("cancel")
def ticket_cancel(
    ticket_id: TicketId,
    site: Site,
    staff: Staff,
    reason: Annotated[str, typer.Option()],
    duplicate_of: Annotated[str | None, typer.Option(help="The ticket this one repeats")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Cancel a withdrawn or duplicate ticket."""
    _ticket(
        "cancel",
        ticket_id,
        site,
        staff,
        nats_url,
        as_json,
        reason=reason,
        duplicate_of=duplicate_of,
    )
