"""The desk's escalation verbs: pause and resume a ticket's clocks, read and acknowledge the
notifications of a role, and move the simulated clock of a drill."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Annotated, Any

import nats
import typer
from rich.table import Table

from propdesk.desk import (
    DEFAULT_URL,
    AsJson,
    NatsUrl,
    Site,
    Staff,
    call_desk,
    err,
    out,
    resolve_id,
    send_command,
)
from shared import subjects

clock_app = typer.Typer(no_args_is_help=True, help="Pause and resume a ticket's service clocks.")
notice_app = typer.Typer(no_args_is_help=True, help="Notifications to roles, and acknowledging.")
sim_app = typer.Typer(no_args_is_help=True, help="The simulated clock of a drill.")

TicketRef = Annotated[str, typer.Argument(help="Ticket number (HBW-202611-0001) or id")]
ClockKey = Annotated[
    str | None, typer.Option("--clock", help="A clock key (default: every clock of the ticket)")
]


def _clocks(verb: str, ticket: str, site: str, staff: str, url: str | None, as_json: bool,
            **fields: Any) -> None:  # fmt: skip
    body = {"ticket_id": resolve_id(url, site, ticket, "ticket"), "staff_id": staff, **fields}
    reply = send_command(url, site, verb, body, as_json, service="escalation")
    if not as_json:
        out.print(f"[green]{verb}d[/green]: {', '.join(reply['clocks'])}")


@clock_app.command("pause")
def clock_pause(
    ticket: TicketRef,
    site: Site,
    staff: Staff,
    reason: Annotated[str, typer.Option(help="customer_consent, access or parts")],
    clock: ClockKey = None,
    note: Annotated[str | None, typer.Option()] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Stop counting while waiting for the customer's consent or access, or for parts."""
    _clocks("pause", ticket, site, staff, nats_url, as_json, clock=clock, reason=reason, note=note)


@clock_app.command("resume")
def clock_resume(
    ticket: TicketRef,
    site: Site,
    staff: Staff,
    clock: ClockKey = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Count again; the deadline moves by the time spent paused."""
    _clocks("resume", ticket, site, staff, nats_url, as_json, clock=clock)


@notice_app.command("ack")
def notice_ack(
    notification_id: Annotated[str, typer.Argument(help="The notification's id")],
    site: Site,
    staff: Staff,
    note: Annotated[str | None, typer.Option()] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Acknowledge a notification; who and when is recorded."""
    body = {"notification_id": notification_id, "staff_id": staff, "note": note}
    reply = send_command(nats_url, site, "ack", body, as_json, service="escalation")
    if not as_json:
        out.print(f"[green]acknowledged[/green] {reply['notification_id']} ({reply['role']})")


@notice_app.command("list")
def notice_list(
    site: Site,
    role: Annotated[str, typer.Option(help="cs_assistant, department_supervisor, …")],
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """The notifications kept for a role at a site (last 90 days), oldest first."""
    try:
        notices = asyncio.run(_read_notices(nats_url or DEFAULT_URL, site, role))
    except (OSError, TimeoutError, nats.errors.Error) as exc:
        err.print(f"[red]unavailable:[/red] {exc}")
        raise typer.Exit(3) from None
    if as_json:
        out.print_json(data=notices)
        return
    table = Table(title=f"Notifications for {role} at {site}")
    for column in ("raised at", "ticket", "reason", "clock / level", "due at", "id"):
        table.add_column(column, no_wrap=column != "id")
    for n in notices:
        table.add_row(n["raised_at"], n["ticket_no"], n["reason"], n["clock"] or n["level"] or "",
                      n["due_at"], n["notification_id"])  # fmt: skip
    out.print(table)


async def _read_notices(url: str, site: str, role: str) -> list[dict[str, Any]]:
    nc = await nats.connect(url, connect_timeout=5, max_reconnect_attempts=0)
    try:
        js = nc.jetstream()
        subject = subjects.notice(site, role)
        info = await js.stream_info(subjects.NOTICES, subjects_filter=subject)
        count = (info.state.subjects or {}).get(subject, 0)
        if not count:
            return []
        sub = await js.subscribe(subject, ordered_consumer=True, stream=subjects.NOTICES)
        try:
            return [json.loads((await sub.next_msg(timeout=5)).data) for _ in range(count)]
        finally:
            await sub.unsubscribe()
    finally:
        await nc.close()


@sim_app.command("set")
def sim_set(
    now: Annotated[
        datetime,
        typer.Argument(
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"],
            help="The new time, ISO 8601 with offset (2026-10-08T08:30+08:00)",
        ),
    ],
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Move the simulated clock (`propdesk up --clock simulated`); prints what fell due."""
    reply = call_desk(nats_url, subjects.SIM_CLOCK_SET, {"now": now.isoformat()}, as_json)
    if as_json:
        return
    out.print(f"clock now {reply['now']}")
    for d in reply["decisions"]:
        out.print(f"  {d['event']}: {d['ticket_no']} {d['subject']}")
