"""`propdesk contact report`: log a contact from a resident or tenant; prints the ticket number
to tell the customer."""

from __future__ import annotations

from typing import Annotated

import typer

from propdesk.cli.common import (
    AsJson,
    IsoTime,
    NatsUrl,
    Site,
    Staff,
    new_client_ref,
    send_command,
)

contact_app = typer.Typer(no_args_is_help=True, help="Log contacts from residents and tenants.")


@contact_app.command("report")
def contact_report(
    site: Site,
    staff: Staff,
    kind: Annotated[str, typer.Option(help="inquiry complaint repair suggestion help …")],
    content: Annotated[str, typer.Option(help="What the customer says")],
    channel: Annotated[str, typer.Option(help="phone visit letter online inspection …")] = "phone",
    category: Annotated[str | None, typer.Option(help="cleaning, plumbing, noise …")] = None,
    help_category: Annotated[str | None, typer.Option(help="A–G, for help requests")] = None,
    incident_kind: Annotated[
        str | None, typer.Option(help="A, E, F open an incident: fire, flood, lift_entrapment …")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Reporter's name")] = None,
    phone: Annotated[str | None, typer.Option(help="Reporter's phone")] = None,
    room: Annotated[str | None, typer.Option(help="Room or location")] = None,
    received_at: IsoTime = None,
    appointment_start: IsoTime = None,
    appointment_end: IsoTime = None,
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
        "incident_kind": incident_kind,
        "reporter": {k: v for k, v in reporter.items() if v is not None} or None,
        "content": content,
        "received_at": received_at,
        "appointment": appointment,
        "staff_id": staff,
    }
    send_command(nats_url, site, "report", body, as_json)
