"""`propdesk events export`: a site's events on DESK as JSON lines, for analytics consumers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from nats.errors import Error as NatsError
from nats.js.errors import NotFoundError

from propdesk.cli.client import CommandBus, DeskUnavailable
from propdesk.cli.common import DEFAULT_URL, NatsUrl, Site, aware_time, err, usage
from propdesk.cli.help import ISO_TIME
from shared.messaging.export import Exported, export_events
from shared.messaging.identity import OPS
from shared.messaging.subjects import STREAM, is_valid_site

events_app = typer.Typer(no_args_is_help=True, help="The published events of the stream DESK.")


@events_app.command("export")
def events_export(
    site: Site,
    start: Annotated[
        datetime | None,
        typer.Option(
            "--from",
            parser=aware_time,
            metavar=ISO_TIME,
            help="Events that occurred at or after this time (ISO 8601 with offset; "
            "default: from the first)",
        ),
    ] = None,
    end: Annotated[
        datetime | None,
        typer.Option(
            "--to",
            parser=aware_time,
            metavar=ISO_TIME,
            help="Events that occurred before this time (ISO 8601 with offset; "
            "default: every event the stream holds now)",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout")
    ] = None,
    nats_url: NatsUrl = None,
) -> None:
    """Write the site's events with occurred_at in [--from, --to) as JSON lines, in stream order:
    one published envelope per line, as on the bus. The count goes to stderr."""
    if not is_valid_site(site):
        usage(f"invalid site id {site!r}: 2–32 of a-z, 0-9 and -, not starting with -")
    if start is not None and end is not None and start >= end:
        usage(f"--from {start.isoformat()} must be before --to {end.isoformat()}")
    if output is not None and output.is_dir():
        usage(f"cannot write {output}: it is a directory; name a file in it")
    part = output.with_name(output.name + ".part") if output is not None else None
    try:
        sink = part.open("w", encoding="utf-8") if part is not None else sys.stdout
    except OSError as exc:
        usage(f"cannot write {output}: {exc.strerror}")
    done = False
    try:
        result = asyncio.run(
            _export(nats_url or DEFAULT_URL, site, start, end, lambda line: sink.write(line + "\n"))
        )
        done = True
    except (OSError, TimeoutError, NatsError, DeskUnavailable) as exc:
        err.print(f"[red]unavailable:[/red] {_why(exc, nats_url or DEFAULT_URL)}")
        raise typer.Exit(3) from None
    finally:
        if part is not None:
            sink.close()
            try:
                if done:
                    assert output is not None
                    os.replace(part, output)
            except OSError as exc:
                done = False
                err.print(f"[red]error:[/red] cannot write {output}: {exc.strerror or exc}")
                raise typer.Exit(2) from None
            finally:
                if not done:
                    with contextlib.suppress(OSError):
                        part.unlink()
    where = f" to {output}" if output is not None else ""
    err.print(f"exported {result.count} events of {site}{where}")
    if result.unreadable:
        err.print(f"left out {result.unreadable} messages this version of PropDesk cannot read")


async def _export(
    url: str,
    site: str,
    start: datetime | None,
    end: datetime | None,
    write: Callable[[str], object],
) -> Exported:
    """As ops (or analytics, with --creds naming analytics.nk): both may read DESK."""
    async with CommandBus(url, name="propdesk-export") as bus:
        return await export_events(await bus.connection(OPS), site, start, end, write)


def _why(exc: BaseException, url: str) -> str:
    if isinstance(exc, DeskUnavailable):
        return str(exc)
    if isinstance(exc, NotFoundError):
        return f"the stream {STREAM} does not exist on {url} (no service has started there)"
    if isinstance(exc, ConnectionRefusedError):
        return f"cannot reach NATS at {url}"
    if isinstance(exc, TimeoutError):
        return f"NATS at {url} did not answer in time"
    return f"{type(exc).__name__}: {exc}"
