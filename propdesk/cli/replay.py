"""`propdesk replay <projection>`: rebuild one of reporting's views from DESK into a fresh file
and have the running service switch to it, losing nothing that arrived meanwhile; without a
reporting service, put the file in place under its lock (propdesk/cli/rebuild.py has the parts
replay shares with verify)."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
from collections.abc import Iterator
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
from services.reporting.ops.registry import Projection, replica_lock
from services.reporting.ops.replay import rebuild, rebuild_path
from services.reporting.ops.view_files import install
from shared.eventstore.store import StoreInUse, StoreLock
from shared.kernel.sites import SiteDirectory
from shared.messaging.identity import OPS
from shared.messaging.stream_mark import StreamMark

SWITCH_TIMEOUT = 600.0  # the service checksums the whole rebuilt view before it answers

DataDir = Annotated[
    Path,
    typer.Option(envvar="PROPDESK_DATA_DIR", help="Reporting's data directory (its view files)"),
]


def replay(
    projection: ProjectionName,
    data_dir: DataDir = Path("var"),
    nats_url: NatsUrl = None,
    replica: ReplicaOption = None,
) -> None:
    """Rebuild a projection from the first event of DESK into a fresh file next to its view,
    then have the running reporting service switch to it without losing what arrived meanwhile.
    Without a reporting service (stopped by the operator), puts the file in place itself."""
    if not data_dir.is_dir():
        usage(f"no data directory {data_dir}")
    chosen, sites = projection_named(projection), site_directory(data_dir)
    replica = replica_named(replica)
    code = run(replay_view(nats_url or DEFAULT_URL, chosen, data_dir.resolve(), sites, replica))
    raise typer.Exit(code)


async def replay_view(
    url: str,
    projection: Projection,
    data_dir: Path,
    sites: SiteDirectory,
    replica: str | None = None,
) -> int:
    """`propdesk replay`; returns the exit code."""
    name = projection.name
    live = projection.path(data_dir, replica)
    rebuilt = rebuild_path(live)
    with _alone(rebuilt) as alone:
        if not alone:
            err.print(
                f"[red]refused:[/red] another `propdesk replay {name}` is writing {rebuilt}; "
                "wait for it to end"
            )
            return 1
        return await _replay(url, projection, live, rebuilt, sites, replica)


@contextlib.contextmanager
def _alone(rebuilt: Path) -> Iterator[bool]:
    """Whether this is the only replay writing `rebuilt` (an advisory lock beside it, released
    when the process ends, however it ends)."""
    with open(rebuilt.with_name(rebuilt.name + ".lock"), "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


async def _replay(
    url: str,
    projection: Projection,
    live: Path,
    rebuilt: Path,
    sites: SiteDirectory,
    replica: str | None,
) -> int:
    name = projection.name
    switch = reporting_ops(replica, "switch")
    async with ops_bus(url, live.parent) as bus:
        nc = await bus.connection(OPS)
        with progress_bar(f"replaying {name}") as progress:
            result = await rebuild(nc, projection, rebuilt, progress=progress, sites=sites)
        out.print(
            f"rebuilt {name} into {rebuilt}: {stats(result)}; position {result.position}, "
            f"checksum {result.checksum}"
        )
        body = {"projection": name, "path": str(rebuilt)}
        try:
            reply = await bus.request(switch, body, SWITCH_TIMEOUT)
        except NoRespondersError:
            try:  # held like the service holds it, so that reporting cannot start meanwhile
                held = StoreLock.take(str(replica_lock(live.parent, replica)), "reporting")
            except StoreInUse as exc:
                err.print(f"[red]refused:[/red] {exc}; the rebuilt view is left at {rebuilt}")
                return 1
            try:
                await asyncio.to_thread(install, rebuilt, live)
                # the rebuilt view follows DESK as it is (shared/messaging/stream_mark.py)
                mark = StreamMark(live.parent, projection.consumer(replica))
                await mark.reset(nc.jetstream())
            finally:
                if held is not None:
                    held.release()
            out.print(
                f"no reporting service answers on {switch}: "
                f"replaced {live} directly; once started, reporting follows DESK from "
                f"position {result.position}"
            )
            return 0
        except NatsTimeout:
            err.print(
                f"[red]unavailable:[/red] no answer on {switch} within "
                f"{SWITCH_TIMEOUT:g} s; the rebuilt view is left at {rebuilt}"
            )
            return 3
    if not reply.get("ok"):
        replies.print_error(err, reply.get("error", {}))
        err.print(f"the rebuilt view is left at {rebuilt}")
        return 1
    out.print(
        f"[green]switched[/green]: reporting serves the rebuilt {name} view from position "
        f"{reply['position']} (checksum {reply['checksum']}) and follows DESK from there"
    )
    return 0
