"""`propdesk ticket …`: look at a ticket (now or as of a past time), list a site's, and move one
along: classify, link, reply, resolve, follow up (or verify an inspection finding on site),
reopen, cancel; and the recorded look at the reporters' contact details."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer

from propdesk.cli import render
from propdesk.cli.common import (
    AsJson,
    NatsUrl,
    Site,
    Staff,
    aware_time,
    call_desk,
    out,
    reference,
    send_command,
    site_zone,
    ticket_ref,
    usage,
)
from propdesk.cli.help import ISO_TIME
from shared.kernel.local_time import shown
from shared.messaging import subjects

ticket_app = typer.Typer(no_args_is_help=True, help="Look at and move tickets along.")
TicketId = Annotated[str, typer.Argument(help="Ticket number (HBW-202611-0001) or id")]


def _ticket(
    verb: str, ticket: str, site: str, staff: str, url: str | None, as_json: bool, **fields: Any
) -> dict:
    """A command about one ticket, named by its number or id (the service resolves a number)."""
    body = {"ticket_id": ticket_ref(ticket), "staff_id": staff, **fields}
    return send_command(url, site, verb, body, as_json)


@ticket_app.command("show")
def ticket_show(
    ticket: Annotated[str, typer.Argument(help="Ticket number (HBW-202611-0001) or id")],
    site: Site,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            parser=aware_time,
            metavar=ISO_TIME,
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
    zone = site_zone(site)
    if as_of is not None:
        out.print(f"[bold]as of {shown(reply.get('as_of', key['as_of']), zone)}[/bold] "
                  "(what the desk had recorded by then)")  # fmt: skip
    render.print_ticket(out, reply["ticket"], zone)
    if as_of is not None and reply["ticket"].get("sla") is None:
        out.print("service levels as of then: not kept by this view (rebuild it to see them)")


@ticket_app.command("list")
def ticket_list(
    site: Site,
    status: Annotated[str | None, typer.Option(help="received classified resolved …")] = None,
    kind: Annotated[str | None, typer.Option(help="complaint repair …")] = None,
    zone: Annotated[
        list[str] | None,
        typer.Option(help="Only tickets in this zone (组团/辖区; repeat for more, R1.3)"),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 50,
    cursor: Annotated[str | None, typer.Option(help="From a previous page")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Tickets of a site, newest first."""
    body = {"status": status, "kind": kind, "zones": zone or None, "limit": limit,
            "cursor": cursor}  # fmt: skip
    body = {k: v for k, v in body.items() if v is not None}
    reply = call_desk(nats_url, subjects.query(site, "ticket.list"), body, as_json)
    if not as_json:
        render.print_ticket_list(out, site, reply, site_zone(site))


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
    about_staff: Annotated[
        str | None,
        typer.Option(
            help="A complaint about this member of staff: their supervisor is told (R4.12)"
        ),
    ] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Classify a ticket (kind, category, validity, severity, the staff member it is about)."""
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
        about_staff=about_staff,
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
        render.print_contacts(out, reply)


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


@ticket_app.command("accept-solution")
def ticket_accept_solution(
    ticket_id: TicketId,
    site: Site,
    staff: Staff,
    solution: Annotated[str, typer.Option(help="The solution the customer accepted")],
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Record that the customer accepted the proposed solution of their complaint; it is carried
    out only then, and a valid complaint is resolved after it (R6.9)."""
    _ticket("accept_solution", ticket_id, site, staff, nats_url, as_json, solution=solution)


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
    score: Annotated[
        int, typer.Option(min=1, max=5, help="What the customer said, 1–5: 4–5 is satisfied")
    ],
    satisfied: Annotated[
        bool | None,
        typer.Option(
            "--satisfied/--unsatisfied",
            help="Optional: must agree with the score (4–5 satisfied, 1–3 not)",
            show_default=False,
        ),
    ] = None,
    comment: Annotated[str | None, typer.Option(help="Why, when 1–3 (required)")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Record the follow-up call (回访): a score of 4–5 is satisfied and closes, 1–3 reopens
    (an inspection finding has no customer: `ticket verify` it on site)."""
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


@ticket_app.command("verify")
def ticket_verify(
    ticket_id: TicketId,
    site: Site,
    staff: Staff,
    passed: Annotated[
        bool,
        typer.Option(
            "--passed/--failed", help="The result of the check on site", show_default=False
        ),
    ],
    note: Annotated[
        str | None, typer.Option(help="Process, measures and result; required when failed")
    ] = None,
    verified_by: Annotated[
        str | None, typer.Option(help="工号 of who verified on site (default: --staff)")
    ] = None,
    verified_at: Annotated[
        datetime | None,
        typer.Option(parser=aware_time, metavar=ISO_TIME, help="When (ISO 8601; default: now)"),
    ] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Verify a handled inspection finding on site (R13.17): passed closes it, failed reopens it.
    An inspection finding has no customer, so this takes the follow-up call's place."""
    _ticket(
        "verify",
        ticket_id,
        site,
        staff,
        nats_url,
        as_json,
        passed=passed,
        note=note,
        verified_by=verified_by,
        verified_at=verified_at.isoformat() if verified_at else None,
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
    duplicate_of: Annotated[
        str | None, typer.Option(help="The ticket this one repeats: its number or id")
    ] = None,
    withdrawn: Annotated[
        bool, typer.Option("--withdrawn", help="The customer withdrew it (撤回)")
    ] = False,
    note: Annotated[str | None, typer.Option(help="What the desk was told")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Cancel a duplicate (--duplicate-of) or a ticket the customer withdrew (--withdrawn); a
    complaint on the escalation ladder needs a department supervisor or above."""
    if (duplicate_of is None) == (not withdrawn):
        usage("say either --duplicate-of <ticket> or --withdrawn")
    _ticket(
        "cancel",
        ticket_id,
        site,
        staff,
        nats_url,
        as_json,
        reason="withdrawn" if withdrawn else "duplicate",
        note=note,
        duplicate_of=ticket_ref(duplicate_of) if duplicate_of else None,
    )
