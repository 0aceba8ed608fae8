"""`propdesk parked list|show|retry`: the events the services' consumers could not apply and set
aside (shared/messaging/parking.py), as ops sees them on desk.ops.<service>.parked.*
(contract §23)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from propdesk.cli.client import DeskUnavailable, request
from propdesk.cli.common import (
    DEFAULT_URL,
    AsJson,
    NatsUrl,
    call_desk,
    reporting_name,
    site_zone,
)
from propdesk.cli.common import err_whole as err
from propdesk.cli.common import out_whole as out
from propdesk.cli.replies import print_error
from shared.kernel.local_time import shown_or_blank
from shared.kernel.settings import Settings
from shared.messaging import subjects

parked_app = typer.Typer(
    no_args_is_help=True,
    help="Events a consumer could not apply: set aside (parked) so it moves on; list, show, "
    "retry them once fixed (docs/RELIABILITY.md).",
)

ParkedId = Annotated[
    str, typer.Argument(help="<consumer>:<sequence>, as `propdesk parked list` shows it")
]


def owners() -> dict[str, str]:
    """Durable consumer -> the service that keeps it."""
    from propdesk.runtime import SERVICES
    from services.reporting.ops.registry import PROJECTIONS

    found = {p.durable: "reporting" for p in PROJECTIONS.values()}
    for replica in Settings().reporting_replicas:  # PROPDESK_REPORTING_REPLICAS
        found |= {p.consumer(replica): reporting_name(replica) for p in PROJECTIONS.values()}
    for name, service in SERVICES.items():
        consumes = getattr(service, "consumes", None)
        if consumes is not None:
            found[consumes[0]] = name
        found |= {lot: name for lot in getattr(service, "keeps", ())}  # e.g. escalation-ticker
    return found


@parked_app.command("list")
def parked_list(
    service: Annotated[
        str | None,
        typer.Option(help="Only this service's (intake, dispatch, …, a replica's: reporting.b)"),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Also those already retried")] = False,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """The parked events of every service, oldest first. Exit 3 when a service did not answer
    (the others are still listed)."""
    names = sorted(set(owners().values()))
    if service is not None:
        if service not in names:
            raise typer.BadParameter(
                f"{service!r}: one of {', '.join(names)}", param_hint="--service"
            )
        names = [service]
    found: list[dict[str, Any]] = []
    replies, missing = [], []
    for name in names:
        try:
            reply = request(
                nats_url or DEFAULT_URL, subjects.ops_parked(name, "list"), {"all": every}
            )
        except DeskUnavailable as exc:
            missing.append(name)
            err.print(f"[red]unavailable:[/red] {name}: {exc}")
            continue
        if not reply.get("ok"):
            missing.append(name)
            print_error(err, reply.get("error", {}))
            continue
        replies.append(reply)
        found += reply["parked"]
    if as_json:
        out.print_json(data={"ok": not missing, "services": replies})
    else:
        _table(found)
        waiting = sum(r["waiting"] for r in replies)
        out.print(
            f"{waiting} waiting for a retry"
            + (f"; {len(missing)} service(s) unreachable" if missing else "")
        )
    if missing:
        raise typer.Exit(3)


def _table(found: list[dict[str, Any]]) -> None:
    table = Table(title="Parked events")
    table.add_column("id", no_wrap=True)  # to copy into `propdesk parked show|retry`
    for column in ("state", "parked at", "event", "site", "error"):
        table.add_column(column, overflow="fold")
    for p in sorted(found, key=lambda p: p["parked_at"]):
        event = p["event_type"] or p["subject"]
        table.add_row(
            p["id"],
            p["state"],
            shown_or_blank(p["parked_at"], site_zone(p["site"]) if p["site"] else None),
            event,
            p["site"] or "",
            p["error"][:120],
        )
    out.print(table)


@parked_app.command("show")
def parked_show(parked_id: ParkedId, nats_url: NatsUrl = None, as_json: AsJson = False) -> None:
    """One parked event: why, where in DESK, its tries, and the message as published."""
    reply = _call(parked_id, "show", nats_url, as_json)
    if as_json:
        return
    p = reply["parked"]
    zone = site_zone(p["site"]) if p["site"] else None  # times as the site reads them
    for key in ("id", "service", "consumer", "seq", "subject", "event_type", "event_id", "site",
                "state", "parked_at", "attempts", "retries", "retried_at", "error"):  # fmt: skip
        value = shown_or_blank(p[key], zone) if key.endswith("_at") and p[key] else p[key]
        out.print(f"[bold]{key}[/bold]: {value}")
    out.print("[bold]event[/bold]:")
    try:
        out.print_json(p["event"] or "null")
    except (ValueError, json.JSONDecodeError):
        out.print(p["event"], markup=False)


@parked_app.command("retry")
def parked_retry(parked_id: ParkedId, nats_url: NatsUrl = None, as_json: AsJson = False) -> None:
    """Read the event from DESK again and apply it (after the cause is fixed); a decision
    escalation held (escalation-ticker:<n>) is taken again. Exit 1 when it still cannot be
    applied: it stays parked, with the new error."""
    _call(parked_id, "retry", nats_url, as_json)
    if not as_json:
        out.print(f"[green]retried[/green] {parked_id}: applied, no longer parked")


def _call(parked_id: str, verb: str, url: str | None, as_json: bool) -> dict[str, Any]:
    consumer = parked_id.rsplit(":", 1)[0]
    service = owners().get(consumer)
    if service is None:
        known = ", ".join(sorted(owners()))
        raise typer.BadParameter(f"{parked_id!r}: the consumer is one of {known}")
    return call_desk(url, subjects.ops_parked(service, verb), {"id": parked_id}, as_json)
