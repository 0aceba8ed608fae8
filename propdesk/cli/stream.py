"""`propdesk stream status|republish|adopt`: which DESK each service's readers follow, and the
runbook's two steps after DESK was deleted and created again (docs/RELIABILITY.md)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from propdesk.cli.common import AsJson, NatsUrl, call_desk, out, reporting_replicas
from shared.messaging import subjects
from shared.messaging.identity import SERVICE_IDENTITIES

stream_app = typer.Typer(
    no_args_is_help=True,
    help="Which DESK the services follow; republish into, and adopt, a new one.",
)
PUBLISHERS = ("intake", "dispatch", "escalation")  # the services with a relay, in this order

Service = Annotated[str | None, typer.Option("--service", help="One service (default: every one)")]


def _ask(url: str | None, service: str, verb: str, as_json: bool) -> dict[str, Any]:
    return call_desk(url, subjects.ops_stream(service, verb), {}, as_json)


def _show(replies: list[dict[str, Any]]) -> None:
    table = Table(title="Readers of DESK")
    for column in ("service", "reader", "follows DESK created", "offset", "stopped because"):
        table.add_column(column)
    for reply in replies:
        for r in reply["readers"]:
            table.add_row(reply["service"], r["reader"], r["followed"] or "-", str(r["offset"]),
                          r["stopped"] or "")  # fmt: skip
    out.print(table)
    if replies:
        out.print(f"DESK now: created {replies[0]['desk_created']}")


def _readers() -> tuple[str, ...]:
    """Every service, and reporting's replicas (PROPDESK_REPORTING_REPLICAS: `reporting.b`)."""
    return (*SERVICE_IDENTITIES, *reporting_replicas())


def _services(service: str | None, among: tuple[str, ...]) -> tuple[str, ...]:
    if service is None:
        return among
    if service not in among:
        raise typer.BadParameter(f"one of {', '.join(among)}", param_hint="--service")
    return (service,)


@stream_app.command("status")
def stream_status(service: Service = None, nats_url: NatsUrl = None, as_json: AsJson = False):
    """Which DESK each reader follows, and which stopped because DESK is another one."""
    among = _services(service, _readers())
    replies = [_ask(nats_url, s, "status", as_json) for s in among]
    if not as_json:
        _show(replies)


def _stopped(url: str | None, among: tuple[str, ...], reader: str | None) -> list[str]:
    """The services of `among` with a stopped reader (`reader`: only that one, e.g. the relay)."""
    found = []
    for s in among:
        status = _ask(url, s, "status", False)
        if any(
            r["stopped"] and (reader is None or r["reader"] == reader) for r in status["readers"]
        ):
            found.append(s)
    return found


@stream_app.command("republish")
def stream_republish(service: Service = None, nats_url: NatsUrl = None, as_json: AsJson = False):
    """Step 1 after DESK was created again: each service whose relay stopped publishes again,
    with the same ids, every event it had published (never into the DESK it published to)."""
    chosen = _stopped(nats_url, _services(service, PUBLISHERS), "relay")
    if not chosen:
        out.print("no relay is stopped: DESK is the stream every service published to")
    for s in chosen:
        reply = _ask(nats_url, s, "republish", as_json)
        if not as_json:
            out.print(f"{s}: republished {reply['republished']} events")


@stream_app.command("adopt")
def stream_adopt(service: Service = None, nats_url: NatsUrl = None, as_json: AsJson = False):
    """Step 2: every stopped reader takes DESK as it is now and goes on from its end."""
    chosen = _stopped(nats_url, _services(service, _readers()), None)
    if not chosen:
        out.print("no reader is stopped: nothing to adopt")
    for s in chosen:
        reply = _ask(nats_url, s, "adopt", as_json)
        if not as_json:
            out.print(f"{s}: adopted by {', '.join(reply['adopted'])}")
