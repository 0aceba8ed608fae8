"""What the commands share: their common options, the consoles they print on, and the one way
they send a request to the desk and tell what came back (`call_desk`, `send_command`)."""

from __future__ import annotations

import base64
from datetime import datetime, tzinfo
from typing import Annotated, Any, NoReturn
from uuid import UUID, uuid4

import typer
from rich.console import Console

from propdesk.cli import replies
from propdesk.cli.client import DeskUnavailable, UnknownSite, request
from propdesk.cli.help import ISO_TIME
from shared.kernel.personal import looks_personal
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging import subjects

out = Console()
err = Console(stderr=True)
# for lines that must stay whole, to be copied (checksums, paths, ids): never wrapped
out_whole = Console(soft_wrap=True)
err_whole = Console(stderr=True, soft_wrap=True)

NatsUrl = Annotated[
    str | None, typer.Option("--nats-url", envvar="PROPDESK_NATS_URL", help="NATS server URL")
]
Site = Annotated[str, typer.Option("--site", "-s", envvar="PROPDESK_SITE", help="Site id")]
Staff = Annotated[
    str, typer.Option("--staff", envvar="PROPDESK_STAFF", help="Your staff id (工号)")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print the raw JSON reply")]
# a time passed on as written, for the service to read
IsoTime = Annotated[str | None, typer.Option(metavar=ISO_TIME, help="ISO 8601 with offset")]
DEFAULT_URL = "nats://127.0.0.1:4222"


def new_client_ref() -> str:
    """A fresh client reference. Base32 (a–z, 2–7) has no 0, 1 or long digit runs, so it never
    looks like a phone number, which intake refuses in a client_ref (R15.4); a UUID's hex
    sometimes does (about one in a hundred). Its first letters may still spell another identifier's
    mark (`desk-wxid…` reads as a WeChat id: one in 500,000), so such a draw is drawn again."""
    while True:
        ref = "desk-" + base64.b32encode(uuid4().bytes).decode().rstrip("=").lower()
        if looks_personal(ref) is None:
            return ref


def call_desk(
    url: str | None,
    subject: str,
    body: dict[str, Any],
    as_json: bool,
    unanswered: str | None = None,
) -> dict[str, Any]:
    """Send a request; print errors and exit non-zero when it is refused or cannot be sent.
    `unanswered`: what to tell the operator when NATS is there but nothing serves the subject."""
    try:
        reply = request(url or DEFAULT_URL, subject, body)
    except UnknownSite as exc:
        usage(str(exc))
    except DeskUnavailable as exc:
        err.print(f"[red]unavailable:[/red] {exc}")
        if unanswered and exc.unanswered:
            err.print(unanswered)
        raise typer.Exit(3) from None
    if as_json:
        out.print_json(data=reply)
    if not reply.get("ok"):
        if not as_json:
            replies.print_error(err, reply.get("error", {}))
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
    if not as_json and service == "intake" and verb in replies.VERB_DONE:
        replies.print_command_reply(out, verb, reply, site_zone(site))
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


def ticket_ref(ref: str) -> str:
    """A ticket as a command names it: its id, or its number, which the service resolves."""
    return next(iter(reference(ref, "ticket_id", "ticket_no").values()))


def resolve_id(url: str | None, site: str, ref: str, kind: str) -> str:
    """The id of a ticket or work order; a number is looked up in the reporting view."""
    key = reference(ref, f"{kind}_id", f"{kind}_no" if kind == "ticket" else "order_no")
    if f"{kind}_id" in key:
        return key[f"{kind}_id"]
    query = "ticket.get" if kind == "ticket" else "workorder.get"
    found = call_desk(url, subjects.query(site, query), key, as_json=False)
    return found[kind][f"{kind}_id"]


def reporting_name(replica: str | None) -> str:
    """A reporting replica as its ops subjects name it: `reporting` for the first, else
    `reporting.<replica>` (the service's ops_name)."""
    return "reporting" if replica is None else f"reporting.{replica}"


def reporting_replicas() -> tuple[str, ...]:
    """The reporting replicas besides the first, as their ops subjects name them
    (`reporting.b`), from PROPDESK_REPORTING_REPLICAS: the operators' tools ask each."""
    return tuple(reporting_name(name) for name in Settings().reporting_replicas)


def usage(message: str) -> NoReturn:
    """Refuse the command line as given: exit 2, as typer does for its own checks."""
    err_whole.print(f"[red]usage:[/red] {message}")
    raise typer.Exit(2)


def site_zone(site: str) -> tzinfo | None:
    """The site's timezone from the site directory (PROPDESK_SITES_FILE, else sites.json in the
    data directory), for showing times as the site's people read them; None when the directory
    cannot be read here: times are then shown in the offset the desk sent, labelled."""
    try:
        config = SiteDirectory.load(Settings().sites_path).get(site)
    except (OSError, ValueError):
        return None
    return config.zone if config is not None else None
