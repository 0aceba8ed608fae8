"""Commands that scale with their callers (issue 15): reports from 1 and from 16 concurrent desk
clients, for intake alone and for the whole system as `propdesk up` runs it, each set beside the
raw eventsourcing rate of the same store (one small aggregate per save, SQLite file, one
thread) measured in the same run; and how long a report takes to be visible in `ticket.get`
under a steady 200 reports/s; and intake alone again with its store on PostgreSQL, beside the
raw rate of PostgreSQL (bench/scale_pg.py). Prints a Markdown table.

    python -m bench.scale [--reports N] [--clients 16] [--rate 200] [--seconds 10]
                          [--parts intake,floor,stack,up,postgres,up-postgres,curve]
                          [--command-batch N]
                          [--curve 1,2,4,8,16,32]

Intake alone: a closed hub, intake as `propdesk serve intake` runs it (its own process) and the
desk clients in another (`python -m bench.desks`), 1 client and 16 the same way; each measure
gives the service's CPU per report and its commands per commit (bench/served.py). The `floor`
part measures the same clients against a bare responder in intake's place (bench/floor.py): what
the bus alone allows, beside what intake's own work costs; the `stack` part against the same
path through the libraries intake is built on (FastStream, pydantic, the command batcher,
eventsourcing on SQLite, the relay's window) with no domain of its own (`bench.floor --stack`).
`propdesk up` runs as its own process on a fresh data directory (the default site directory),
the clients in this one; a report there is a repair, so dispatch issues its work order,
escalation starts its clocks and reporting projects all of it. Its "drained" rate counts until
every durable consumer has applied everything (DESK quiet, nothing pending).
`--command-batch 1` runs the services with one command per transaction (PROPDESK_COMMAND_BATCH).
The whole system's part is bench/scale_up.py, the desk clients bench/desks.py. The `curve`
part runs intake alone for each number of clients of `--curve`; `up-postgres` runs the whole
system with every service's store on PostgreSQL (bench/scale_pg.py).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from bench.desks import Rows, intake_alone, intake_curve, ratios
from bench.floor import bus_floor
from bench.scale_pg import on_postgres
from bench.scale_up import whole_system
from shared.logging import configure_logging


class Counter(Aggregate):
    """The raw rate's small aggregate."""

    @staticmethod
    def create() -> Counter:
        return Counter()


def raw_save_rate(path: Path, saves: int) -> float:
    """eventsourcing alone: one small aggregate per save, one thread, a SQLite file."""
    app: Application = Application(
        {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}
    )
    try:
        for _ in range(50):
            app.save(Counter())
        t0 = time.perf_counter()
        for _ in range(saves):
            app.save(Counter())
        return saves / (time.perf_counter() - t0)
    finally:
        app.close()


async def bench(args: argparse.Namespace, rows: Rows) -> None:
    parts = set(args.parts.split(","))
    env = {"PROPDESK_COMMAND_BATCH": str(args.command_batch)} if args.command_batch else {}
    os.environ.update(env)  # intake alone's process inherits it
    work = Path(tempfile.mkdtemp(prefix="propdesk-scale-"))
    try:
        raw = max(raw_save_rate(work / f"raw-{n}.sqlite3", args.saves) for n in range(3))
        rows.append(("raw eventsourcing save, SQLite file, 1 thread (best of 3)", f"{raw:,.0f} /s"))
        if "intake" in parts:
            found, one, multi = await intake_alone(work / "intake", args.reports, args.clients)
            rows += found + ratios("intake alone", one, multi, raw, args.clients)
        if "floor" in parts:
            one, multi = await bus_floor(work / "floor", args.reports, args.clients)
            label = "the bus's floor (a bare responder: one publish, one answer)"
            rows += [one.row(label, 1), multi.row(label, args.clients)]
            rows += ratios(label, one.rate, multi.rate, raw, args.clients)
        if "stack" in parts:
            one, multi = await bus_floor(work / "stack", args.reports, args.clients, stack=True)
            label = "the libraries' floor (FastStream, pydantic, group commit, relay; no domain)"
            rows += [one.row(label, 1), multi.row(label, args.clients)]
            rows += ratios(label, one.rate, multi.rate, raw, args.clients)
        if "up" in parts:
            await whole_system(work, args, raw, env, rows)
        if "postgres" in parts or "up-postgres" in parts:
            intake, whole = "postgres" in parts, "up-postgres" in parts
            await on_postgres(work / "postgres", args, rows, intake=intake, whole=whole)
        if "curve" in parts:
            counts = [int(n) for n in args.curve.split(",")]
            rows += await intake_curve(work / "curve", args.reports, counts)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    configure_logging("console", "warning")
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000, help="per measure")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rate", type=float, default=200.0, help="reports/s of the paced load")
    parser.add_argument("--seconds", type=float, default=10.0, help="of the paced load")
    parser.add_argument("--saves", type=int, default=3000, help="of the raw rate")
    parser.add_argument("--parts", default="intake,floor,stack,up,postgres,up-postgres,curve")
    parser.add_argument("--command-batch", type=int, default=0, help="0: the default")
    parser.add_argument("--curve", default="1,2,4,8,16,32", help="clients, for the curve part")
    args = parser.parse_args()
    rows: Rows = []
    # The measuring process's own full collections (tens of ms over what importing made) are
    # not the system's latency: frozen, as the services freeze theirs once started.
    gc.freeze()
    try:
        asyncio.run(bench(args, rows))
    finally:  # what was measured, also when a part failed
        report_rows(args, rows)


def report_rows(args: argparse.Namespace, rows: Rows) -> None:
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cpu, python "
        f"{platform.python_version()}, reports per measure: {args.reports}"
        + (f", PROPDESK_COMMAND_BATCH={args.command_batch}" if args.command_batch else "")
    )
    print("| measure | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
