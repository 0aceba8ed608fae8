"""`propdesk verify <projection>`: compare reporting's live view with a rebuild from DESK up to
the very position the live view reflects (propdesk/cli/rebuild.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout

from propdesk.cli import replies
from propdesk.cli.common import DEFAULT_URL, NatsUrl, usage
from propdesk.cli.common import err_whole as err
from propdesk.cli.common import out_whole as out  # a checksum stays on one line
from propdesk.cli.rebuild import (
    ProjectionName,
    ReplicaOption,
    ops_bus,
    progress_bar,
    projection_named,
    replica_named,
    reporting_ops,
    run,
    site_directory,
    stats,
)
from services.reporting.ops.registry import Projection
from services.reporting.ops.replay import AheadOfStream, rebuild
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.identity import OPS

CHECKSUM_TIMEOUT = 600.0  # the service checksums the whole live view before it answers


def verify(
    projection: ProjectionName,
    work_dir: Annotated[
        Path | None,
        typer.Option(help="Where the rebuild is written (default: the system's temporary dir)"),
    ] = None,
    nats_url: NatsUrl = None,
    replica: ReplicaOption = None,
) -> None:
    """Compare the live view with a rebuild from DESK up to the very position the live view
    reflects. Exit 0 when their checksums are equal, 1 when they differ, 3 when the reporting
    service cannot be reached."""
    chosen, sites = projection_named(projection), site_directory(Settings().data_dir)
    if work_dir is not None and not work_dir.is_dir():
        usage(f"no directory {work_dir}")
    replica = replica_named(replica)
    code = run(verify_view(nats_url or DEFAULT_URL, chosen, sites, work_dir, replica))
    raise typer.Exit(code)


async def verify_view(
    url: str,
    projection: Projection,
    sites: SiteDirectory,
    work_dir: Path | None = None,
    replica: str | None = None,
) -> int:
    """`propdesk verify`; returns the exit code."""
    name = projection.name
    subject = reporting_ops(replica, "checksum")
    async with ops_bus(url) as bus:
        nc = await bus.connection(OPS)
        try:
            body = {"projection": name}
            reply = await bus.request(subject, body, CHECKSUM_TIMEOUT)
        except (NoRespondersError, NatsTimeout):
            err.print(f"[red]unavailable:[/red] no reporting service answers on {subject}")
            return 3
        if not reply.get("ok"):
            error = reply.get("error", {})
            replies.print_error(err, error)
            return 3 if error.get("code") == "unavailable" else 1
        position, checksum = reply["position"], reply["checksum"]
        with (
            tempfile.TemporaryDirectory(prefix="propdesk-verify-", dir=work_dir) as tmp,
            progress_bar(f"rebuilding {name} up to {position}") as progress,
        ):
            path = Path(tmp) / projection.file
            try:
                result = await rebuild(nc, projection, path, position, progress, sites=sites)
            except AheadOfStream as exc:
                err.print(f"[red]different:[/red] {exc}")
                return 1
    out.print(f"live view:    position {position}, checksum {checksum}")
    out.print(
        f"rebuilt view: position {result.position}, checksum {result.checksum} ({stats(result)})"
    )
    if result.checksum == checksum and result.position == position:
        out.print(f"[green]equal[/green]: the live {name} view is DESK's up to {position}")
        return 0
    err.print(
        f"[red]different[/red]: the live {name} view is not what DESK gives up to position "
        f"{position}; rebuild it with `propdesk replay {name}`"
    )
    return 1
