"""What `propdesk replay` and `propdesk verify` share: the projection named, the site directory
the rebuild counts with, the bus as ops, the progress bar, and the exit code of what went wrong.

The rebuild itself is services/reporting/ops/replay.py; the service's side is desk.ops.reporting.*
(docs/contract.md §21).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from nats.errors import Error as NatsError
from pydantic import ValidationError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from propdesk.cli.client import CommandBus, DeskUnavailable
from propdesk.cli.common import err_whole as err
from propdesk.cli.common import reporting_name, usage
from services.reporting.ops import registry
from services.reporting.ops.registry import PROJECTIONS, Projection, UnknownProjection
from services.reporting.ops.replay import Progress as OnProgress
from services.reporting.ops.replay import Rebuilt
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging import subjects

ProjectionName = Annotated[
    str, typer.Argument(help=f"The projection: {', '.join(PROJECTIONS)}", show_default=False)
]

ReplicaOption = Annotated[
    str | None,
    typer.Option(
        envvar="PROPDESK_REPLICA",
        help="The reporting replica whose view (default: the first; `serve reporting --replica`)",
    ),
]


def replica_named(replica: str | None) -> str | None:
    """The replica, or the usage error that says what a replica's name is."""
    try:
        return Settings(replica=replica).replica
    except ValidationError:
        usage(f"{replica!r} is not a replica's name (lower-case letters, digits and '-')")


def reporting_ops(replica: str | None, verb: str) -> str:
    """The operators' subject of one replica: desk.ops.reporting[.<replica>].<verb>."""
    return subjects.ops(reporting_name(replica), verb)


def projection_named(name: str) -> Projection:
    """The projection, or the usage error that names the known ones."""
    try:
        return registry.projection_named(name)
    except UnknownProjection as exc:
        usage(str(exc))


def site_directory(data_dir: Path) -> SiteDirectory:
    """The site directory the reporting service reads (PROPDESK_SITES_FILE, else sites.json in
    the data directory): a projection may count in a site's timezone, and a rebuild must count
    as the service does."""
    try:
        return SiteDirectory.load(Settings(data_dir=data_dir).sites_path)
    except (OSError, ValueError, ValidationError) as exc:
        usage(f"cannot read the site directory: {exc}")


def run(coro: Any) -> int:
    try:
        return asyncio.run(coro)
    except DeskUnavailable as exc:
        err.print(f"[red]unavailable:[/red] {exc}")
    except (OSError, TimeoutError, NatsError, RuntimeError, sqlite3.Error) as exc:
        err.print(f"[red]unavailable:[/red] {type(exc).__name__}: {exc or 'no answer in time'}")
    return 3


def ops_bus(url: str, data_dir: Path | None = None) -> CommandBus:
    """The bus as ops (replay and verify are the operators' work), with the credential of the
    data directory's hub unless PROPDESK_CREDS (--creds) names one."""
    return CommandBus(url, data_dir, name="propdesk-ops")


@contextlib.contextmanager
def progress_bar(description: str) -> Iterator[OnProgress]:
    """A progress bar on stderr: events read of the stream, and the rate."""
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} events/s"),
        TimeRemainingColumn(),
        console=err,
    )
    task = bar.add_task(description, total=None, rate="-")
    started = time.perf_counter()

    def update(position: int, target: int) -> None:
        rate = f"{position / max(time.perf_counter() - started, 1e-6):,.0f}"
        bar.update(task, completed=position, total=target, rate=rate)

    with bar:
        yield update


def stats(result: Rebuilt) -> str:
    rate = result.events / result.seconds if result.seconds > 0 else 0.0
    return f"{result.events:,} events in {result.seconds:.1f} s, {rate:,.0f} events/s"
