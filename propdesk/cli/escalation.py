"""The desk's escalation verbs: pause and resume a ticket's clocks, read and acknowledge the
notifications of a role, and move the simulated clock of a drill."""

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
    out,
    send_command,
    site_zone,
    ticket_ref,
)
from propdesk.cli.help import ISO_TIME
from propdesk.cli.tables import desk_table, print_table
from shared.kernel.local_time import TableTimes, shown
from shared.kernel.text import shortened
from shared.kernel.words import NOTICE_ENDS, english
from shared.messaging import subjects

clock_app = typer.Typer(no_args_is_help=True, help="Pause and resume a ticket's service clocks.")
notice_app = typer.Typer(no_args_is_help=True, help="Notifications to roles, and acknowledging.")
sim_app = typer.Typer(no_args_is_help=True, help="The simulated clock of a drill.")

TicketRef = Annotated[str, typer.Argument(help="Ticket number (HBW-202611-0001) or id")]
ClockKey = Annotated[
    str | None, typer.Option("--clock", help="A clock key (default: every clock of the ticket)")
]


def _clocks(verb: str, ticket: str, site: str, staff: str, url: str | None, as_json: bool,
            **fields: Any) -> None:  # fmt: skip
    body = {"ticket_id": ticket_ref(ticket), "staff_id": staff, **fields}
    reply = send_command(url, site, verb, body, as_json, service="escalation")
    if not as_json:
        done = verb.removesuffix("e") + "ed"  # paused, resumed, extended
        out.print(f"[green]{done}[/green]: {', '.join(reply['clocks'])}")


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


@clock_app.command("extend")
def clock_extend(
    ticket: TicketRef,
    site: Site,
    staff: Staff,
    until: Annotated[
        str, typer.Option(metavar=ISO_TIME, help="The new deadline, ISO 8601 with offset")
    ],
    reason: Annotated[str, typer.Option(help="The special circumstances")],
    clock: Annotated[str, typer.Option("--clock")] = "finding_resolved",
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """A later deadline for an inspection finding: the project manager only (R13.16, C12)."""
    _clocks("extend", ticket, site, staff, nats_url, as_json, clock=clock, until=until,
            reason=reason)  # fmt: skip


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


NOTICE_TIMES = ("raised_at", "due_at", "acknowledged_at")


@notice_app.command("list")
def notice_list(
    site: Site,
    role: Annotated[
        str | None,
        typer.Option(help="cs_assistant, project_manager, … (default: every role)"),
    ] = None,
    department: Annotated[
        str | None,
        typer.Option(help="cleaning, engineering, … : a department supervisor's own notices"),
    ] = None,
    zone: Annotated[
        list[str] | None,
        typer.Option(help="A zone CS assistant's (组团/辖区; repeat for more) and the site-wide"),
    ] = None,
    open_only: Annotated[
        bool, typer.Option("--open", help="Only those nobody has acknowledged yet")
    ] = False,
    newest: Annotated[
        bool, typer.Option("--newest", help="Newest first, the next page older")
    ] = False,
    cursor: Annotated[
        str | None, typer.Option(help="The next page: the cursor the page before printed")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many (1–200)")] = 200,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """A site's notifications to roles, a page of them (oldest first, or --newest first), who
    acknowledged each (or that what it is about ended first), and how many still wait."""
    body: dict[str, Any] = {"open": open_only, "limit": limit, "newest_first": newest,
                            "count": True}  # fmt: skip
    if cursor is not None:
        body["cursor"] = cursor
    if role is not None:
        body["role"] = role
    if department is not None:
        body["department"] = department
    if zone:
        body["zones"] = zone
    reply = call_desk(nats_url, subjects.query(site, "notice.list"), body, as_json)
    if as_json:
        return
    who = " ".join(w for w in (department, role) if w)
    whom = f"{who} at {site}" if who else site
    columns = ("raised at", "ticket", "role", "reason", "clock / level", "due at", "acknowledged",
               "id")  # fmt: skip
    # the id whole, however narrow the terminal: `propdesk notice ack` takes it
    title = f"{'Open n' if open_only else 'N'}otifications for {whom}"
    notices = reply["notices"]
    # every time as the site's people read it, the zone said once
    occurred = [n["incident"]["occurred_at"] for n in notices if n.get("incident")]
    occurred += [n["ended"]["at"] for n in notices if n.get("ended")]
    times = TableTimes(site_zone(site), [n[k] for n in notices for k in NOTICE_TIMES] + occurred)
    table = desk_table(title, columns, {"ticket", "id"}, times)
    for n in notices:
        acked = n["acknowledged_at"] and f"{n['acknowledged_by']} {times(n['acknowledged_at'])}"
        if ended := n.get("ended"):  # what it is about ended first: owed no more (R6.3)
            # why in words; a code a later escalation added (an open set, contract §20.2) as it came
            said = f"ended ({english(NOTICE_ENDS, ended['why'])}) {times(ended['at'])}"
            acked = "\n".join(filter(None, (said, acked)))
        # the department whose supervisor, the zone whose CS assistant is told (R6.3, R1.3)
        told = [n[k] for k in ("department", "zone") if n.get(k)]
        role_shown = f"{n['role']} ({', '.join(told)})" if told else n["role"]
        # a work order's late clock: the order under its ticket, what its supervisor acts on;
        # an incident's or a promise's: what it is about
        about = "\n".join(filter(None, (n["ticket_no"], n.get("order_no"), _said(n, times))))
        table.add_row(times(n["raised_at"]), about, role_shown, n["reason"],
                      n["clock"] or n["level"] or "", times(n["due_at"]), acked,
                      n["notification_id"])  # fmt: skip
    print_table(out, table)  # eight columns and an id to copy whole: blocks when narrow
    # every one waiting, beyond this page: an owed notice is never lost off the end (R6.3)
    out.print(f"{reply['waiting']} waiting (not acknowledged, not ended)")
    if reply.get("next_cursor"):
        out.print(f"more: --cursor {reply['next_cursor']}" + (" --newest" if newest else ""))


def _said(notice: dict[str, Any], times: TableTimes) -> str | None:
    """What an incident's or a promise's notification says it is about (contract §20.4): the
    incident's kind, place and when it happened; the promise's kind, what was promised (its
    first 40 characters) and its ticket. None for the others, and for one raised before."""
    if incident := notice.get("incident"):
        place = f" · {incident['place']}" if incident.get("place") else ""
        return f"{incident['kind']}{place}, {times(incident['occurred_at'])}"
    if promise := notice.get("promise"):
        what = shortened(promise["what"], 40)
        ticket = f" ({promise['ticket_no']})" if promise.get("ticket_no") else ""
        return f"{promise['kind']}: {what}{ticket}"
    return None


NOT_SIMULATED = (
    "only `propdesk up --clock simulated` (a drill) moves its clock; a hub on the system clock "
    "does not answer, and its time cannot be set"
)


@sim_app.command("set")
def sim_set(
    now: Annotated[
        datetime,
        typer.Argument(
            parser=aware_time,  # shown as <datetime>: an argument's metavar would be its name
            help="The new time, ISO 8601 with offset (2026-10-08T08:30+08:00)",
        ),
    ],
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Move the simulated clock (`propdesk up --clock simulated`); prints what fell due."""
    body = {"now": now.isoformat()}
    reply = call_desk(nats_url, subjects.SIM_CLOCK_SET, body, as_json, unanswered=NOT_SIMULATED)
    if as_json:
        return
    out.print(f"clock now {shown(reply['now'], now.tzinfo)}")  # in the offset it was given
    for d in reply["decisions"]:
        out.print(f"  {d['event']}: {d['ticket_no']} {d['subject']}")
