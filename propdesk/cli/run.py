"""`propdesk up`, `propdesk serve` and `propdesk asyncapi`: run the system (nats-server and every
service, or one service alone) and describe its subjects (propdesk/runtime.py, propdesk/spec.py)."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError

from propdesk.cli.common import DEFAULT_URL, err, usage
from propdesk.cli.help import ISO_TIME
from propdesk.console_health import CONSOLE  # light: runtime.py loads every service
from shared.kernel.clock import Clock, SimulatedClock, SystemClock
from shared.kernel.settings import Settings
from shared.logging import configure_logging
from shared.messaging.errors import StartRefused


class ClockMode(StrEnum):
    system = "system"
    simulated = "simulated"


MetricsPort = Annotated[
    int | None,
    typer.Option(
        envvar="PROPDESK_METRICS_PORT",
        help="Serve /health and /metrics over HTTP on this port (default: off)",
    ),
]
ConsolePort = Annotated[
    int | None,
    typer.Option(
        envvar="PROPDESK_CONSOLE_PORT",
        help="Port of the front desk's web console (default 8080; 0: any free port)",
    ),
]
MetricsHost = Annotated[
    str,
    typer.Option(
        envvar="PROPDESK_METRICS_HOST", help="Where /health and /metrics listen (loopback)"
    ),
]


def _settings(**given: Any) -> Settings:
    """The settings of `up` and `serve`: their options over the PROPDESK_* variables."""
    try:
        return Settings(**{k: v for k, v in given.items() if v is not None})
    except ValidationError as exc:
        usage(f"{exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")


def up(
    data_dir: Annotated[
        Path, typer.Option(envvar="PROPDESK_DATA_DIR", help="Where stores and NATS data live")
    ] = Path("var"),
    nats_port: Annotated[
        int, typer.Option(envvar="PROPDESK_NATS_PORT", help="Port of the embedded nats-server")
    ] = 4222,
    nats_url: Annotated[
        str | None,
        typer.Option(envvar="PROPDESK_NATS_URL", help="Use this NATS server, not an embedded one"),
    ] = None,
    clock: Annotated[
        ClockMode,
        typer.Option(
            metavar="<mode>",  # the help names both
            help="system: the real time; simulated: moved by desk.sim.clock.set",
        ),
    ] = ClockMode.system,
    start: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"],
            metavar=ISO_TIME,
            help="Where a simulated clock starts (ISO 8601 with offset; default: now)",
        ),
    ] = None,
    metrics_port: MetricsPort = None,
    metrics_host: MetricsHost = "127.0.0.1",
    console_port: ConsolePort = None,
    jetstream_max_store: Annotated[
        str | None,
        typer.Option(
            envvar="PROPDESK_JETSTREAM_MAX_STORE",
            help="What the embedded JetStream may store, e.g. 20GB (alerts at 80 % and 95 %)",
        ),
    ] = None,
) -> None:
    """Start nats-server (embedded, loopback) and every service; Ctrl-C stops them cleanly."""
    settings = _settings(
        data_dir=data_dir, nats_port=nats_port, nats_url=nats_url, metrics_port=metrics_port,
        metrics_host=metrics_host, jetstream_max_store=jetstream_max_store,
        console_port=console_port,
    )  # fmt: skip
    if clock is ClockMode.system and start is not None:
        err.print("[red]--start needs --clock simulated[/red]")
        raise typer.Exit(2)
    chosen: Clock = SystemClock()
    if clock is ClockMode.simulated:
        chosen = SimulatedClock(start or chosen.now())
    names = [*_services(), CONSOLE]
    # the system clock: each service in a process of its own (propdesk/children.py); a
    # simulated one lives in memory, shared by the services of one process
    separate = clock is ClockMode.system
    if separate:  # their fork server imports PropDesk while this process does
        from propdesk.children import warm_up

        warm_up(metrics=settings.metrics_port is not None)
    _run(settings, names, embedded=nats_url is None, clock=chosen, default_sites=True,
         separate=separate)  # fmt: skip


def serve(
    service: Annotated[
        str, typer.Argument(help="intake, dispatch, escalation, reporting or console")
    ],
    nats_url: Annotated[
        str, typer.Option(envvar="PROPDESK_NATS_URL", help="The hub's NATS server URL")
    ] = DEFAULT_URL,
    data_dir: Annotated[
        Path,
        typer.Option(
            envvar="PROPDESK_DATA_DIR",
            help="Where the service keeps its store, and finds its credential and site list",
        ),
    ] = Path("var"),
    metrics_port: MetricsPort = None,
    metrics_host: MetricsHost = "127.0.0.1",
    console_port: ConsolePort = None,
    replica: Annotated[
        str | None,
        typer.Option(
            envvar="PROPDESK_REPLICA",
            help="reporting only: run this replica beside the first, with its own views and "
            "consumers (the hub must grant it: `propdesk nats config --reporting-replica`)",
        ),
    ] = None,
    standby: Annotated[
        bool,
        typer.Option(
            envvar="PROPDESK_STANDBY",
            help="Wait while another process holds the service's store, then take over "
            "(docs/RELIABILITY.md, More than one of each)",
        ),
    ] = False,
    supervised: Annotated[
        bool, typer.Option(hidden=True, help="run by `up`: report on stdout (children.py)")
    ] = False,
    alerts: Annotated[
        bool, typer.Option(hidden=True, help="watch the JetStream store and alert ops")
    ] = True,
) -> None:
    """Run one service alone against an existing NATS server (one process per service); `console`
    serves the front desk's web console, a client of the services with each site's credential."""
    known = [*_services(), CONSOLE]
    if service not in known:
        err.print(f"[red]unknown service {service!r}[/red]; one of: {', '.join(known)}")
        raise typer.Exit(2)
    if replica is not None and service != "reporting":
        usage(f"only reporting runs as replicas; {service} is one writer per store")
    settings = _settings(
        data_dir=data_dir, nats_url=nats_url, metrics_port=metrics_port, metrics_host=metrics_host,
        console_port=console_port, replica=replica, standby=standby,
    )  # fmt: skip
    _run(settings, [service], embedded=False, supervised=supervised, alerts=alerts)


def _services() -> dict[str, Any]:
    from propdesk.runtime import SERVICES

    return SERVICES


def _run(
    settings: Settings,
    names: list[str],
    *,
    embedded: bool,
    clock: Clock | None = None,
    supervised: bool = False,
    **options: bool,
) -> None:
    """Run `names` until stopped; `supervised` (a child of `up`): also say where its /health is,
    and why it could not start, on stdout (propdesk/children.py reads them)."""
    from propdesk.runtime import System, run

    configure_logging(settings.log_format, settings.log_level)

    def ready(url: str, system: System) -> None:
        mode = " (simulated clock)" if isinstance(clock, SimulatedClock) else ""
        if supervised and system.health_url:
            print(f"propdesk health: {system.health_url}", flush=True)
        if system.console_url:  # before the ready line, which tests and scripts wait for
            print(f"propdesk console: {system.console_url}", flush=True)
        print(f"propdesk ready: {', '.join(names)} on {url}{mode}", flush=True)

    def refused(exc: Exception, code: int) -> NoReturn:
        if supervised:  # one line, for `up` to say
            print(f"propdesk could not start: {' '.join(str(exc).split())}", flush=True)
        else:
            err.print(f"[red]propdesk could not start:[/red] {exc}")
        raise typer.Exit(code) from None

    try:
        clock = clock or SystemClock()
        asyncio.run(run(settings, clock, names, embedded=embedded, on_ready=ready, **options))
    except StartRefused as exc:  # fixed only by an operator: exit so systemd does not retry
        refused(exc, StartRefused.EXIT_CODE)
    except (OSError, RuntimeError, TimeoutError, ValueError) as exc:  # ValueError: bad sites file
        refused(exc, 1)


def asyncapi(
    output: Annotated[Path | None, typer.Option(help="Write here instead of stdout")] = None,
) -> None:
    """Generate the AsyncAPI document of every subject (FastStream)."""
    from propdesk.spec import asyncapi_json

    text = asyncapi_json()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
