"""`propdesk demo`: the command, and the run it drives. It starts nats-server and every service in
this process on a `SimulatedClock` (the `System` of `propdesk up --clock simulated`), plays the
month day by day (propdesk.demo, its README), writes the month's reports and prints a summary."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import time as wallclock
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from propdesk.demo.contacts import contacts_of_day
from propdesk.demo.driver import DayCount, DemoFailed, DemoInterrupted, Month
from propdesk.demo.profiles import PROFILES
from propdesk.demo.readback import read_desk
from propdesk.demo.sites import SITES, people
from propdesk.demo.stories import attach_analyses, story
from propdesk.demo.summary import (
    HOW,
    console,
    day_line,
    file_lines,
    print_summary,
    write_reports,
    write_summary,
)
from propdesk.demo.timeline import local, month_days
from shared.kernel.clock import SimulatedClock
from shared.kernel.settings import Settings
from shared.logging import configure_logging
from shared.messaging.client import Bus
from shared.messaging.natsd import free_port

MARKER = ".propdesk-demo"  # a data dir the demo may wipe
TAIL_DAYS = 2  # days after the last contact: work finishes, follow-ups are made
DEFAULT_SEED = 20261001


async def simulate(
    settings: Settings, period: str, days_limit: int | None, seed: int, out: Path
) -> int:
    from propdesk.runtime import SERVICES, System

    days = month_days(period)
    contact_days = days[:days_limit] if days_limit else days
    start = local(days[0], 0.0)
    system = System(settings, SimulatedClock(start), list(SERVICES), embedded=True)
    pool = people(seed)
    began = wallclock.monotonic()
    bus = None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):  # stop cleanly, as `propdesk up` does
        loop.add_signal_handler(sig, stop.set)
    try:
        try:
            url = await system.start()
        except (OSError, RuntimeError, TimeoutError) as exc:  # port taken, no nats-server …
            raise DemoFailed(f"the services could not start: {exc}") from None
        # the demo acts as each site's desk, as analytics and as ops, each with its credential
        # from the demo's own hub
        bus = Bus(url, settings, name="propdesk-demo")
        month = Month(bus, seed, pool, start)
        month.stop = stop
        await month.listen(list(PROFILES))
        console.print(
            f"[bold]PropDesk demo[/bold]: {period} at {', '.join(PROFILES)} — services on {url}, "
            f"simulated clock from {start:%Y-%m-%d %H:%M %z}, seed {seed}"
        )
        await play(month, days, contact_days)
        await attach_analyses(month, period)
        await month.settle_bus()
        written, lines = await write_reports(bus, list(PROFILES), period, contact_days, out)
        console.print(f"\n[bold]Reports[/bold] of {period}:")
        for line in lines:
            console.print(f"  {line}", markup=False)
        summary, events, leaks = await read_desk(bus, pool)
        elapsed = wallclock.monotonic() - began
        print_summary(summary, events, leaks, elapsed)
        facts = {
            "month": period,
            "days": len(contact_days),
            "seed": seed,
            "events_on_desk": events,
            "personal_data_on_desk": leaks,
            "seconds": round(elapsed, 1),
        }
        written.append(write_summary(out, facts, summary))
        console.print(f"\n[bold]Files written[/bold] ({HOW}):")
        for line in file_lines(written):
            console.print(f"  {line}")
        return 1 if leaks else 0
    finally:
        if bus is not None:
            await bus.close()
        await system.stop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


async def play(month: Month, days: list[date], contact_days: list[date]) -> None:
    """The month day by day: each day's contacts start their stories, the clock moves through
    the day; then a few days more, for work to finish and follow-up calls to be made."""
    seed, pool = month.seed, month.pool
    console.print(f"contacts per day: {' / '.join(PROFILES)}; cmds: commands accepted")
    tail = [contact_days[-1] + timedelta(days=i) for i in range(1, TAIL_DAYS + 1)]
    numbers = dict.fromkeys(PROFILES, 1)
    columns = (
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
    )  # fmt: skip
    with Progress(*columns, console=console) as progress:
        bar = progress.add_task("days", total=len(contact_days) + len(tail))
        for day in contact_days + tail:
            month.today = DayCount()
            if day in contact_days:
                for site, profile in PROFILES.items():
                    tickets = contacts_of_day(
                        seed, profile, day, numbers[site], pool,
                        stuck=site == "hbw" and day == days[0],
                    )  # fmt: skip
                    numbers[site] += len(tickets)
                    for t in tickets:
                        month.tl.spawn(story(month, t))
                await month.tl.settle()
            progress.update(bar, description=f"{day:%Y-%m-%d}")
            await month.run_until(local(day + timedelta(days=1), 0.0))
            progress.console.print(day_line(day, month.today))
            progress.advance(bar)
    final = local(tail[-1] + timedelta(days=1), 9.0)
    month.today = DayCount()
    await month.advance(final)
    await month.settle_bus()
    unfinished = month.tl.waiting()
    await month.tl.close()
    console.print(
        f"clock at {final:%Y-%m-%d %H:%M %z}; {unfinished} steps left for later "
        "(complaints still open, orders not yet returned)"
    )


def prepare(data_dir: Path) -> Path:
    """Wipe the demo's data dir (only one the demo made, or an empty one) and write its sites."""
    if data_dir.exists() and any(data_dir.iterdir()) and not (data_dir / MARKER).exists():
        raise DemoFailed(f"{data_dir} is not empty and was not made by the demo: not wiping it")
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    (data_dir / MARKER).write_text("made by `propdesk demo`; wiped at its next run\n")
    sites_file = data_dir / "sites.json"
    sites_file.write_text(json.dumps(SITES, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return sites_file


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def demo(
    month: Annotated[str, typer.Option(help="The month to simulate, YYYY-MM")] = "2026-10",
    out: Annotated[Path, typer.Option(help="Where the month's reports are written")] = Path(
        "var/reports"
    ),
    data_dir: Annotated[
        Path, typer.Option(help="The demo's stores and NATS data; wiped at the start")
    ] = Path("var/demo"),
    seed: Annotated[int, typer.Option(help="The same seed gives the same month")] = DEFAULT_SEED,
    nats_port: Annotated[
        int | None, typer.Option(help="Port of the embedded nats-server (default: a free one)")
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Simulate the month's first DAYS days only, then 2 days for the work to finish; "
            "the reports are of those days, as of 09:00 on day DAYS+3 (default: the whole month)",
        ),
    ] = None,
) -> None:
    """A realistic month of three sites through the live services on the simulated clock, then
    that month's reports (monthly and weekly per site, the company quality pack)."""
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", month):
        console.print(f"[red]--month must be YYYY-MM, not {month!r}[/red]")
        raise typer.Exit(2)
    if nats_port is not None and not _port_free(nats_port):
        console.print(f"[red]port {nats_port} is taken: choose another --nats-port[/red]")
        raise typer.Exit(2)
    try:
        sites_file = prepare(data_dir)
    except DemoFailed as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    settings = Settings(
        data_dir=data_dir,
        nats_port=nats_port or free_port(),
        nats_url=None,
        sites_file=sites_file,
        persistence="sqlite",  # all in its own data directory, never a hub's PostgreSQL schemas
    )
    level = os.environ.get("PROPDESK_LOG_LEVEL", "warning")
    configure_logging(settings.log_format, level)
    try:
        code = asyncio.run(simulate(settings, month, days, seed, out))
    except DemoFailed as exc:
        console.print(f"[red]demo failed:[/red] {exc}")
        raise typer.Exit(1) from None
    except DemoInterrupted:
        console.print("[yellow]interrupted[/yellow]: the services and nats-server are stopped")
        raise typer.Exit(130) from None
    raise typer.Exit(code)
