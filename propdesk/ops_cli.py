"""`propdesk replay <projection>` and `propdesk verify <projection>`: rebuild one of reporting's
views from DESK and have the running service switch to it; compare a live view with a rebuild.

The rebuild itself is services/reporting/ops/replay.py; the service's side is desk.ops.reporting.*
(docs/contract.md §21).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from nats.aio.client import Client
from nats.errors import Error as NatsError
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from propdesk import views
from propdesk.desk import DEFAULT_URL, NatsUrl
from services.reporting.ops.registry import (
    PROJECTIONS,
    Projection,
    UnknownProjection,
    projection_named,
)
from services.reporting.ops.replay import AheadOfStream, Rebuilt, install, rebuild, rebuild_path
from services.reporting.ops.replay import Progress as OnProgress
from shared import subjects
from shared.bus import MissingCredential
from shared.client import Bus
from shared.identity import OPS
from shared.settings import Settings
from shared.sites import SiteDirectory
from shared.store import StoreInUse, StoreLock, lock_path
from shared.stream_mark import StreamMark

out = Console(soft_wrap=True)  # a checksum stays on one line
err = Console(stderr=True, soft_wrap=True)

SWITCH_TIMEOUT = 600.0  # the service checksums the whole rebuilt view before it answers
CHECKSUM_TIMEOUT = 600.0  # … and the live one

ProjectionName = Annotated[
    str, typer.Argument(help=f"The projection: {', '.join(PROJECTIONS)}", show_default=False)
]
DataDir = Annotated[
    Path,
    typer.Option(envvar="PROPDESK_DATA_DIR", help="Reporting's data directory (its view files)"),
]


class Unreachable(Exception):
    """NATS, or the reporting service, could not be reached."""


def replay(
    projection: ProjectionName,
    data_dir: DataDir = Path("var"),
    nats_url: NatsUrl = None,
) -> None:
    """Rebuild a projection from the first event of DESK into a fresh file next to its view,
    then have the running reporting service switch to it without losing what arrived meanwhile.
    Without a reporting service (stopped by the operator), puts the file in place itself."""
    if not data_dir.is_dir():
        _usage(f"no data directory {data_dir}")
    chosen, sites = _projection(projection), _sites(data_dir)
    code = _run(replay_view(nats_url or DEFAULT_URL, chosen, data_dir.resolve(), sites))
    raise typer.Exit(code)


def verify(
    projection: ProjectionName,
    work_dir: Annotated[
        Path | None,
        typer.Option(help="Where the rebuild is written (default: the system's temporary dir)"),
    ] = None,
    nats_url: NatsUrl = None,
) -> None:
    """Compare the live view with a rebuild from DESK up to the very position the live view
    reflects. Exit 0 when their checksums are equal, 1 when they differ, 3 when the reporting
    service cannot be reached."""
    chosen, sites = _projection(projection), _sites(Settings().data_dir)
    if work_dir is not None and not work_dir.is_dir():
        _usage(f"no directory {work_dir}")
    raise typer.Exit(_run(verify_view(nats_url or DEFAULT_URL, chosen, sites, work_dir)))


# -- replay ------------------------------------------------------------------------------------


async def replay_view(
    url: str, projection: Projection, data_dir: Path, sites: SiteDirectory
) -> int:
    """`propdesk replay`; returns the exit code."""
    name = projection.name
    live = projection.path(data_dir)
    rebuilt = rebuild_path(live)
    with _alone(rebuilt) as alone:
        if not alone:
            err.print(
                f"[red]refused:[/red] another `propdesk replay {name}` is writing {rebuilt}; "
                "wait for it to end"
            )
            return 1
        return await _replay(url, projection, live, rebuilt, sites)


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
    url: str, projection: Projection, live: Path, rebuilt: Path, sites: SiteDirectory
) -> int:
    name = projection.name
    nc = await _connect(url, live.parent)
    try:
        with _bar(f"replaying {name}") as progress:
            result = await rebuild(nc, projection, rebuilt, progress=progress, sites=sites)
        out.print(
            f"rebuilt {name} into {rebuilt}: {_stats(result)}; position {result.position}, "
            f"checksum {result.checksum}"
        )
        body = {"projection": name, "path": str(rebuilt)}
        try:
            reply = await _request(nc, subjects.OPS_REPORTING_SWITCH, body, SWITCH_TIMEOUT)
        except NoRespondersError:
            try:  # held like the service holds it, so that reporting cannot start meanwhile
                held = StoreLock.take(str(lock_path(live.parent, "reporting")), "reporting")
            except StoreInUse as exc:
                err.print(f"[red]refused:[/red] {exc}; the rebuilt view is left at {rebuilt}")
                return 1
            try:
                await asyncio.to_thread(install, rebuilt, live)
                # the rebuilt view follows DESK as it is (shared/stream_mark.py)
                await StreamMark(live.parent, projection.durable).reset(nc.jetstream())
            finally:
                if held is not None:
                    held.release()
            out.print(
                f"no reporting service answers on {subjects.OPS_REPORTING_SWITCH}: "
                f"replaced {live} directly; once started, reporting follows DESK from "
                f"position {result.position}"
            )
            return 0
        except NatsTimeout:
            err.print(
                f"[red]unavailable:[/red] no answer on {subjects.OPS_REPORTING_SWITCH} within "
                f"{SWITCH_TIMEOUT:g} s; the rebuilt view is left at {rebuilt}"
            )
            return 3
    finally:
        await nc.close()
    if not reply.get("ok"):
        views.print_error(err, reply.get("error", {}))
        err.print(f"the rebuilt view is left at {rebuilt}")
        return 1
    out.print(
        f"[green]switched[/green]: reporting serves the rebuilt {name} view from position "
        f"{reply['position']} (checksum {reply['checksum']}) and follows DESK from there"
    )
    return 0


# -- verify ------------------------------------------------------------------------------------


async def verify_view(
    url: str, projection: Projection, sites: SiteDirectory, work_dir: Path | None = None
) -> int:
    """`propdesk verify`; returns the exit code."""
    name = projection.name
    nc = await _connect(url)
    try:
        try:
            body = {"projection": name}
            reply = await _request(nc, subjects.OPS_REPORTING_CHECKSUM, body, CHECKSUM_TIMEOUT)
        except (NoRespondersError, NatsTimeout):
            err.print(
                f"[red]unavailable:[/red] no reporting service answers on "
                f"{subjects.OPS_REPORTING_CHECKSUM}"
            )
            return 3
        if not reply.get("ok"):
            error = reply.get("error", {})
            views.print_error(err, error)
            return 3 if error.get("code") == "unavailable" else 1
        position, checksum = reply["position"], reply["checksum"]
        with (
            tempfile.TemporaryDirectory(prefix="propdesk-verify-", dir=work_dir) as tmp,
            _bar(f"rebuilding {name} up to {position}") as progress,
        ):
            path = Path(tmp) / projection.file
            try:
                result = await rebuild(nc, projection, path, position, progress, sites=sites)
            except AheadOfStream as exc:
                err.print(f"[red]different:[/red] {exc}")
                return 1
    finally:
        await nc.close()
    out.print(f"live view:    position {position}, checksum {checksum}")
    out.print(
        f"rebuilt view: position {result.position}, checksum {result.checksum} ({_stats(result)})"
    )
    if result.checksum == checksum and result.position == position:
        out.print(f"[green]equal[/green]: the live {name} view is DESK's up to {position}")
        return 0
    err.print(
        f"[red]different[/red]: the live {name} view is not what DESK gives up to position "
        f"{position}; rebuild it with `propdesk replay {name}`"
    )
    return 1


# -- helpers -----------------------------------------------------------------------------------


def _projection(name: str) -> Projection:
    try:
        return projection_named(name)
    except UnknownProjection as exc:
        _usage(str(exc))


def _sites(data_dir: Path) -> SiteDirectory:
    """The site directory the reporting service reads (PROPDESK_SITES_FILE, else sites.json in
    the data directory): a projection may count in a site's timezone, and a rebuild must count
    as the service does."""
    try:
        return SiteDirectory.load(Settings(data_dir=data_dir).sites_path)
    except (OSError, ValueError, ValidationError) as exc:
        _usage(f"cannot read the site directory: {exc}")


def _run(coro: Any) -> int:
    try:
        return asyncio.run(coro)
    except Unreachable as exc:
        err.print(f"[red]unavailable:[/red] {exc}")
    except (OSError, TimeoutError, NatsError, RuntimeError, sqlite3.Error) as exc:
        err.print(f"[red]unavailable:[/red] {type(exc).__name__}: {exc or 'no answer in time'}")
    return 3


async def _quiet(_: Exception) -> None:
    """Connection errors are reported once, by the command, not logged by nats-py."""


async def _connect(url: str, data_dir: Path | None = None) -> Client:
    """A connection as ops (replay and verify are the operators' work), with the credential
    of the data directory's hub unless PROPDESK_CREDS (--creds) names one."""
    settings = Settings() if data_dir is None else Settings(data_dir=data_dir)
    bus = Bus(
        url, settings, name="propdesk-ops", creds=settings.creds, connect_timeout=2,
        max_reconnect_attempts=1, allow_reconnect=False, error_cb=_quiet,
    )  # fmt: skip
    try:
        return await asyncio.wait_for(bus.connection(OPS), timeout=5)
    except MissingCredential as exc:
        raise Unreachable(str(exc)) from exc
    except (OSError, TimeoutError, NatsError) as exc:
        raise Unreachable(f"cannot reach NATS at {url} as ops: {exc}") from exc


async def _request(nc: Client, subject: str, body: dict[str, Any], timeout: float) -> Any:
    msg = await nc.request(subject, json.dumps(body).encode(), timeout=timeout)
    return json.loads(msg.data)


@contextlib.contextmanager
def _bar(description: str) -> Iterator[OnProgress]:
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


def _stats(result: Rebuilt) -> str:
    rate = result.events / result.seconds if result.seconds > 0 else 0.0
    return f"{result.events:,} events in {result.seconds:.1f} s, {rate:,.0f} events/s"


def _usage(message: str) -> NoReturn:
    err.print(f"[red]usage:[/red] {message}")
    raise typer.Exit(2)


# -- the access log ----------------------------------------------------------------------------


def access_log(
    site: Annotated[str, typer.Option("--site", "-s", help="Site id")],
    month: Annotated[str, typer.Option(help="YYYY-MM, the site's local month")],
    nats_url: NatsUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the raw JSON reply")] = False,
) -> None:
    """The refused looks at residents' contact details of a site's month (R15.2, R15.3), as ops:
    who asked, for which ticket, why, and why it was refused."""
    from propdesk.desk import call_desk

    body = {"site": site, "month": month}
    reply = call_desk(nats_url, subjects.OPS_INTAKE_ACCESS_LOG, body, as_json)
    if as_json:
        return
    table = Table(title=f"Refused looks at contact details, {site} {month}")
    for column in ("at", "staff", "role", "ticket", "purpose", "reason"):
        table.add_column(column)
    for r in reply["refused"]:
        table.add_row(r["at"], r["staff_id"], r["role"] or "(not on the list)", r["ticket_id"],
                      r["purpose"], r["reason"])  # fmt: skip
    out.print(table)
