"""Commands that scale with their callers (issue 15): reports from 1 and from 16 concurrent desk
clients, for intake alone and for the whole system as `propdesk up` runs it, each set beside the
raw eventsourcing rate of the same store (one small aggregate per save, SQLite file, one
thread) measured in the same run; and how long a report takes to be visible in `ticket.get`
under a steady 200 reports/s. Prints a Markdown table.

    python -m bench.scale [--reports N] [--clients 16] [--rate 200] [--seconds 10]
                          [--parts raw,intake,up] [--command-batch N]

Intake alone is bench/run.py's set-up: a closed hub and the intake service in this process.
`propdesk up` runs as its own process on a fresh data directory (the default site directory),
the clients in this one; a report there is a repair, so dispatch issues its work order,
escalation starts its clocks and reporting projects all of it. Its "drained" rate counts until
every durable consumer has applied everything (DESK quiet, nothing pending).
`--command-batch 1` runs the services with one command per transaction (PROPDESK_COMMAND_BATCH).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from nats.aio.client import Client

from bench.hub import start_hub
from propdesk.cli.common import new_client_ref
from shared.kernel.clock import SystemClock
from shared.kernel.settings import Settings
from shared.logging import configure_logging
from shared.messaging.client import Bus
from shared.messaging.identity import OPS, site_identity
from shared.messaging.natsd import free_port
from shared.messaging.subjects import STREAM, command, query

SITE = "hbw"
REPORT = command(SITE, "intake", "report")
TICKET_GET = query(SITE, "ticket.get")
Rows = list[tuple[str, str]]


async def desk(url: str, settings: Settings) -> Client:
    """A connection of its own as the site's desk: one client."""
    bus = Bus(url, settings, name=f"bench-{uuid4().hex[:6]}", max_reconnect_attempts=0)
    return await bus.connection(site_identity(SITE))


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


def report_body(staff: str) -> bytes:
    return json.dumps(
        {
            "client_ref": new_client_ref(),
            "channel": "phone",
            "kind": "repair",
            "category": "plumbing",
            "reporter": {"name": "测试", "phone": "13800138000", "room": "3-1201"},
            "content": "厨房水管漏水, 请尽快上门",
            "staff_id": staff,
        }
    ).encode()


async def report(client: Client, staff: str) -> dict[str, Any]:
    msg = await client.request(REPORT, report_body(staff), timeout=30)
    reply = json.loads(msg.data)
    if not reply.get("ok"):
        raise RuntimeError(f"report refused: {reply}")
    return reply


async def clients(desks: list[Client], total: int, staff: str) -> tuple[float, list[float]]:
    """`total` reports from len(desks) clients at once, each sending its next when answered:
    (reports/s, latencies)."""
    latencies: list[float] = []
    share = [total // len(desks) + (i < total % len(desks)) for i in range(len(desks))]

    async def one(client: Client, n: int) -> None:
        for _ in range(n):
            t0 = time.perf_counter()
            await report(client, staff)
            latencies.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    await asyncio.gather(*(one(d, n) for d, n in zip(desks, share, strict=True)))
    return total / (time.perf_counter() - t0), latencies


def p(latencies: list[float], q: int) -> float:
    return statistics.quantiles(latencies, n=100)[q - 1] * 1000


async def one_and_many(
    connect: Callable[[], Awaitable[Client]], reports: int, many: int, staff: str, label: str
) -> tuple[Rows, float, float]:
    rows: Rows = []
    desks = [await connect() for _ in range(many)]
    try:
        await clients(desks[:1], 20, staff)  # warm up
        one, lat1 = await clients(desks[:1], reports, staff)
        multi, latn = await clients(desks, reports, staff)
    finally:
        for client in desks:
            await client.close()
    rows.append((f"{label}: 1 client", f"{one:,.0f} reports/s (p50 {p(lat1, 50):.1f} ms)"))
    rows.append(
        (
            f"{label}: {many} concurrent clients",
            f"{multi:,.0f} reports/s (p50 {p(latn, 50):.1f} ms, p99 {p(latn, 99):.1f} ms)",
        )
    )
    return rows, one, multi


async def intake_alone(work: Path, reports: int, many: int) -> tuple[Rows, float, float]:
    from services.intake.entrypoint import IntakeService

    hub = await start_hub(work, [SITE])
    intake = IntakeService(hub.settings, SystemClock())
    await intake.start(hub.url)
    try:
        return await one_and_many(
            lambda: desk(hub.url, hub.settings), reports, many, "B01", "intake alone"
        )
    finally:
        await intake.stop()
        await hub.stop()


class Up:
    """`propdesk up` as its own process on a fresh data directory."""

    def __init__(self, data: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"nats://127.0.0.1:{self.port}"
        self.data = data
        main = "import sys; from propdesk.cli.main import main; sys.argv[0] = 'propdesk'; main()"
        self.log = open(data.parent / "up.log", "wb")  # noqa: SIM115 - the child keeps it
        self.proc = subprocess.Popen(
            [sys.executable, "-c", main, "up", "--data-dir", str(data),
             "--nats-port", str(self.port)],
            stdout=subprocess.PIPE, stderr=self.log,
            env=os.environ | {"PROPDESK_CONSOLE_PORT": "0", "PROPDESK_LOG_LEVEL": "warning"}
            | env,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 60.0) -> None:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if b"ready" in line:
                return
            if not line and self.proc.poll() is not None:
                break
        raise RuntimeError("propdesk up did not get ready")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


async def drained(ops: Client, quiet: float = 1.0, timeout: float = 300.0) -> None:
    """Until DESK has not grown for `quiet` s and every durable consumer has applied all."""
    js = ops.jetstream()
    last, since = -1, time.monotonic()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seq = (await js.stream_info(STREAM)).state.last_seq
        busy = any(c.num_pending or c.num_ack_pending for c in await js.consumers_info(STREAM))
        if seq != last or busy:
            last, since = seq, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        await asyncio.sleep(0.05)
    raise RuntimeError("the services did not catch up")


async def visible(client: Client, ticket_id: str) -> None:
    body = json.dumps({"ticket_id": ticket_id}).encode()
    while True:
        reply = json.loads((await client.request(TICKET_GET, body, timeout=10)).data)
        if reply.get("ok"):
            return
        await asyncio.sleep(0.002)


async def paced(desks: list[Client], rate: float, seconds: float, staff: str) -> Rows:
    """`rate` reports/s for `seconds`, sent on time whatever the replies do; every fifth is
    watched until `ticket.get` finds it: report → visible."""
    shown: list[float] = []
    late = failed = 0
    tasks: list[asyncio.Task[None]] = []

    async def one(n: int) -> None:
        nonlocal failed
        t0 = time.perf_counter()
        try:
            reply = await report(desks[n % len(desks)], staff)
            if n % 5 == 0:
                await visible(desks[-1], reply["ticket_id"])
                shown.append(time.perf_counter() - t0)
        except Exception:  # no answer within the time-out: the load is more than it takes
            failed += 1

    start = time.perf_counter()
    for n in range(int(rate * seconds)):
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -0.05:
            late += 1
        tasks.append(asyncio.create_task(one(n)))
    await asyncio.gather(*tasks)
    result = f"p50 {p(shown, 50):.0f} ms, p99 {p(shown, 99):.0f} ms" if len(shown) > 1 else "-"
    if failed:
        result += f"; {failed} reports not answered in 30 s"
    if late:
        result += f"; {late} sent >50 ms late"
    return [
        (
            f"`propdesk up`: report → visible in ticket.get at {rate:g} reports/s "
            f"for {seconds:g} s ({len(shown)} watched)",
            result,
        )
    ]


async def whole_system(
    work: Path, args: argparse.Namespace, raw: float, env: dict[str, str], rows: Rows
) -> None:
    reports, many, rate, seconds = args.reports, args.clients, args.rate, args.seconds
    data = work / "up"
    up = Up(data, env)
    try:
        await asyncio.to_thread(up.wait_ready)
        settings = Settings(data_dir=data)
        bus = Bus(up.url, settings, name="bench", max_reconnect_attempts=0)
        try:
            ops = await bus.connection(OPS)
            found, one, multi = await one_and_many(
                lambda: desk(up.url, settings), reports, many, "HB-S01", "`propdesk up`"
            )
            rows += found + ratios("`propdesk up`", one, multi, raw, many)
            await drained(ops)
            t0 = time.perf_counter()
            desks = [await desk(up.url, settings) for _ in range(many)]
            await clients(desks, reports, "HB-S01")
            await drained(ops)
            settled = reports / (time.perf_counter() - t0)
            rows.append(
                (
                    f"`propdesk up`: {many} clients, until every consumer applied all",
                    f"{settled:,.0f} reports/s",
                )
            )
            rows += await paced(desks, rate, seconds, "HB-S01")
            await drained(ops)
            if settled < rate:  # and at what it sustains, to see the latency without a queue
                rows += await paced(desks, round(settled / 2), seconds, "HB-S01")
            for client in desks:
                await client.close()
        finally:
            await bus.close()
    finally:
        up.stop()


async def bench(args: argparse.Namespace, rows: Rows) -> None:
    parts = set(args.parts.split(","))
    env = {"PROPDESK_COMMAND_BATCH": str(args.command_batch)} if args.command_batch else {}
    os.environ.update(env)  # intake alone runs in this process
    work = Path(tempfile.mkdtemp(prefix="propdesk-scale-"))
    try:
        raw = max(raw_save_rate(work / f"raw-{n}.sqlite3", args.saves) for n in range(3))
        rows.append(("raw eventsourcing save, SQLite file, 1 thread (best of 3)", f"{raw:,.0f} /s"))
        if "intake" in parts:
            found, one, multi = await intake_alone(work / "intake", args.reports, args.clients)
            rows += found + ratios("intake alone", one, multi, raw, args.clients)
        if "up" in parts:
            await whole_system(work, args, raw, env, rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def ratios(label: str, one: float, multi: float, raw: float, many: int) -> Rows:
    return [
        (
            f"{label}: {many} clients / 1 client (target ≥ 4)",
            f"{multi / one:.2f}",
        ),
        (f"{label}: {many} clients / raw save (target ≥ 0.5)", f"{multi / raw:.2f}"),
    ]


def main() -> None:
    configure_logging("console", "warning")
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000, help="per measure")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rate", type=float, default=200.0, help="reports/s of the paced load")
    parser.add_argument("--seconds", type=float, default=10.0, help="of the paced load")
    parser.add_argument("--saves", type=int, default=3000, help="of the raw rate")
    parser.add_argument("--parts", default="intake,up")
    parser.add_argument("--command-batch", type=int, default=0, help="0: the default")
    args = parser.parse_args()
    rows: Rows = []
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
