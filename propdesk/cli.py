"""The one command line: `propdesk up|serve|asyncapi`; the desk's verbs live in propdesk.desk."""

from __future__ import annotations

import asyncio
import faulthandler
import os
import signal
import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console

from propdesk.backup_cli import backup, restore
from propdesk.demo.command import demo
from propdesk.desk import DEFAULT_URL, contact_app, ticket_app
from propdesk.escalation_cli import clock_app, notice_app, sim_app
from propdesk.events_cli import events_app
from propdesk.keys_cli import keys_app
from propdesk.ops_cli import access_log, replay, verify
from propdesk.parked_cli import parked_app
from propdesk.report_cli import report_app
from propdesk.stream_cli import stream_app
from propdesk.trust_cli import credentials_app, nats_app, sites_app
from propdesk.workorder_cli import workorder_app
from shared.clock import Clock, SimulatedClock, SystemClock
from shared.errors import StartRefused
from shared.logging import configure_logging
from shared.settings import Settings

app = typer.Typer(no_args_is_help=True, help="PropDesk: the property customer-service desk.")
app.add_typer(contact_app, name="contact")
app.add_typer(ticket_app, name="ticket")
app.add_typer(workorder_app, name="workorder")
app.add_typer(clock_app, name="clock")
app.add_typer(notice_app, name="notice")
app.add_typer(sim_app, name="sim")
app.add_typer(report_app, name="report")
app.add_typer(events_app, name="events")
app.add_typer(sites_app, name="sites")
app.add_typer(credentials_app, name="credentials")
app.add_typer(nats_app, name="nats")
app.add_typer(stream_app, name="stream")
app.add_typer(keys_app, name="keys")
app.add_typer(parked_app, name="parked")

app.command("demo")(demo)
app.command("replay")(replay)
app.command("verify")(verify)
app.command("access-log")(access_log)
app.command("backup")(backup)
app.command("restore")(restore)

err = Console(stderr=True)


@app.callback()
def identity(
    creds: Annotated[
        Path | None,
        typer.Option(
            "--creds",
            envvar="PROPDESK_CREDS",
            help="Your credential file (default: the one of the identity a command needs, "
            "<data-dir>/credentials/<identity>.nk: site-<site> for a site's commands)",
        ),
    ] = None,
) -> None:
    """PropDesk: the property customer-service desk."""
    if creds is not None:
        os.environ["PROPDESK_CREDS"] = str(creds)  # every client reads it (shared.settings)


class ClockMode(StrEnum):
    system = "system"
    simulated = "simulated"


# -- running the system ---------------------------------------------------------------------

MetricsPort = Annotated[
    int | None,
    typer.Option(
        envvar="PROPDESK_METRICS_PORT",
        help="Serve /health and /metrics over HTTP on this port (default: off)",
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
        err.print(f"[red]usage:[/red] {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")
        raise typer.Exit(2) from None


@app.command()
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
        typer.Option(help="system: the real time; simulated: moved by desk.sim.clock.set"),
    ] = ClockMode.system,
    start: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"],
            help="Where a simulated clock starts (ISO 8601 with offset; default: now)",
        ),
    ] = None,
    metrics_port: MetricsPort = None,
    metrics_host: MetricsHost = "127.0.0.1",
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
    )  # fmt: skip
    if clock is ClockMode.system and start is not None:
        err.print("[red]--start needs --clock simulated[/red]")
        raise typer.Exit(2)
    chosen: Clock = SystemClock()
    if clock is ClockMode.simulated:
        chosen = SimulatedClock(start or chosen.now())
    _run(settings, list(_services()), embedded=nats_url is None, clock=chosen, default_sites=True)


@app.command()
def serve(
    service: Annotated[str, typer.Argument(help="intake, dispatch, escalation or reporting")],
    nats_url: Annotated[str, typer.Option(envvar="PROPDESK_NATS_URL")] = DEFAULT_URL,
    data_dir: Annotated[Path, typer.Option(envvar="PROPDESK_DATA_DIR")] = Path("var"),
    metrics_port: MetricsPort = None,
    metrics_host: MetricsHost = "127.0.0.1",
) -> None:
    """Run one service alone against an existing NATS server (one process per service)."""
    if service not in _services():
        err.print(f"[red]unknown service {service!r}[/red]; one of: {', '.join(_services())}")
        raise typer.Exit(2)
    settings = _settings(
        data_dir=data_dir, nats_url=nats_url, metrics_port=metrics_port, metrics_host=metrics_host
    )
    _run(settings, [service], embedded=False)


def _services() -> dict[str, Any]:
    from propdesk.runtime import SERVICES

    return SERVICES


def _run(
    settings: Settings,
    names: list[str],
    *,
    embedded: bool,
    clock: Clock | None = None,
    default_sites: bool = False,
) -> None:
    from propdesk.runtime import run

    configure_logging(settings.log_format, settings.log_level)

    def ready(url: str) -> None:
        mode = " (simulated clock)" if isinstance(clock, SimulatedClock) else ""
        print(f"propdesk ready: {', '.join(names)} on {url}{mode}", flush=True)

    try:
        clock = clock or SystemClock()
        asyncio.run(
            run(settings, clock, names, embedded=embedded, on_ready=ready,
                default_sites=default_sites)
        )  # fmt: skip
    except StartRefused as exc:  # fixed only by an operator: exit so systemd does not retry
        err.print(f"[red]propdesk could not start:[/red] {exc}")
        raise typer.Exit(StartRefused.EXIT_CODE) from None
    except (OSError, RuntimeError, TimeoutError, ValueError) as exc:  # ValueError: bad sites file
        err.print(f"[red]propdesk could not start:[/red] {exc}")
        raise typer.Exit(1) from None


@app.command()
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


def main() -> None:
    # `kill -USR1 <pid>` prints every thread's stack to stderr: for an operator facing a hang.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    faulthandler.enable(all_threads=True)  # and a crash leaves its stacks, not just a signal
    app()
