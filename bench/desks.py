"""The desk clients of bench/scale.py and bench/scale_up.py: reports from one or many clients at
once, their rates and latencies, and the ratios issue 15 sets its targets in."""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

from nats.aio.client import Client

from bench.hub import ClosedHub, start_hub
from bench.served import Served
from propdesk.cli.common import new_client_ref
from shared.kernel.settings import Settings
from shared.logging import configure_logging
from shared.messaging.client import Bus
from shared.messaging.identity import site_identity
from shared.messaging.subjects import command, query

SITE = "hbw"
REPORT = command(SITE, "intake", "report")
TICKET_GET = query(SITE, "ticket.get")
Rows = list[tuple[str, str]]


async def desk(url: str, settings: Settings) -> Client:
    """A connection of its own as the site's desk: one client."""
    bus = Bus(url, settings, name=f"bench-{uuid4().hex[:6]}", max_reconnect_attempts=0)
    return await bus.connection(site_identity(SITE))


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


@dataclass
class Measure:
    """Reports from some clients in their own process, and what the service spent on them."""

    rate: float  # reports/s
    latencies: list[float]
    cpu: float  # the service's CPU seconds per report (every thread of its process)
    clients_cpu: float  # the clients' process's
    per_commit: float  # commands per commit (group commit), 0 when it committed none
    server_cpu: float = 0.0  # nats-server's CPU seconds per report

    def row(self, label: str, clients: int) -> tuple[str, str]:
        lat = self.latencies
        if clients == 1:
            name, shown = f"{label}: 1 client", f"p50 {p(lat, 50):.1f} ms"
        else:
            name = f"{label}: {clients} concurrent clients"
            shown = f"p50 {p(lat, 50):.1f} ms, p99 {p(lat, 99):.1f} ms"
        return (
            name,
            f"{self.rate:,.0f} reports/s ({shown}; CPU a report: the service "
            f"{self.cpu * 1000:.1f} ms, the clients {self.clients_cpu * 1000:.1f} ms, "
            f"nats-server {self.server_cpu * 1000:.1f} ms"
            + (f"; {self.per_commit:.1f} commands per commit)" if self.per_commit else ")"),
        )


# the clients' one line of results holds every latency (~20 bytes each): asyncio's default limit
# of a line (64 KiB) is ~3,000 reports, past which the read failed and the parent then waited for
# a child blocked writing the rest — a measure of 20,000 reports hung
LINE = 1 << 26


async def from_process(
    served: Served, hub: ClosedHub, many: int, reports: int, staff: str
) -> Measure:
    """`reports` from `many` clients run by `python -m bench.desks` (its own process, connected
    and warmed up before the measure starts), and `served`'s and the hub's nats-server's CPU and
    the commits meanwhile."""
    url, data = hub.url, hub.settings.data_dir
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.desks", "--url", url, "--data-dir", str(data),
        "--clients", str(many), "--reports", str(reports), "--staff", staff,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        limit=LINE,
    )  # fmt: skip
    assert child.stdin is not None and child.stdout is not None
    try:
        if await child.stdout.readline() != b"ready\n":
            raise RuntimeError("the desk clients did not connect")
        batches0, cpu0 = await served.histogram("propdesk_command_batch"), served.cpu()
        server0 = hub.server_cpu()
        child.stdin.write(b"go\n")
        await child.stdin.drain()
        found = json.loads(await child.stdout.readline())
        cpu, batches = served.cpu() - cpu0, await served.histogram("propdesk_command_batch")
        server = hub.server_cpu() - server0
    finally:
        if child.returncode is None:
            child.stdin.close()
            await child.wait()
    if child.returncode:
        raise RuntimeError(f"the desk clients failed ({child.returncode})")
    commits = batches[1] - batches0[1]
    return Measure(
        found["rate"],
        found["latencies"],
        cpu / reports,
        found["cpu"],
        (batches[0] - batches0[0]) / commits if commits else 0.0,
        server / reports,
    )


async def intake_alone(
    work: Path, reports: int, many: int, store: dict[str, Any] | None = None
) -> tuple[Rows, float, float]:
    """A closed hub; intake as `propdesk serve intake` runs it, its own process, its store
    SQLite or, given `store` (Settings fields), PostgreSQL; the desk clients in another process
    (bench/served.py): 1 client, then `many` at once."""
    label = "intake alone, PostgreSQL" if store else "intake alone"
    one, multi = await one_then_many(
        work, lambda hub: Served("intake", hub.url, hub.settings.data_dir, store or {}),
        reports, many,
    )  # fmt: skip
    return [one.row(label, 1), multi.row(label, many)], one.rate, multi.rate


async def one_then_many(
    work: Path, serving: Callable[[ClosedHub], Served], reports: int, many: int
) -> tuple[Measure, Measure]:
    """A closed hub for the site, what `serving` starts on it (its own process), then the desk
    clients from another process: 1 client, then `many` at once."""
    hub = await start_hub(work, [SITE])
    served = serving(hub)
    try:
        await served.start()
        one = await from_process(served, hub, 1, reports, "B01")
        multi = await from_process(served, hub, many, reports, "B01")
    finally:
        await served.stop()
        await hub.stop()
    return one, multi


async def intake_curve(work: Path, reports: int, counts: list[int]) -> Rows:
    """Intake alone (SQLite) as `intake_alone` runs it, for each number of concurrent clients
    in `counts`: how the rate, the latency, the service's CPU per report and the commands per
    commit grow with the callers."""
    hub = await start_hub(work, [SITE])
    intake = Served("intake", hub.url, hub.settings.data_dir, {})
    rows: Rows = []
    try:
        await intake.start()
        for many in counts:
            found = await from_process(intake, hub, many, reports, "B01")
            rows.append(found.row("intake alone, curve", many))
    finally:
        await intake.stop()
        await hub.stop()
    return rows


def ratios(label: str, one: float, multi: float, raw: float, many: int) -> Rows:
    return [
        (
            f"{label}: {many} clients / 1 client (target ≥ 4)",
            f"{multi / one:.2f}",
        ),
        (f"{label}: {many} clients / raw save (target ≥ 0.5)", f"{multi / raw:.2f}"),
    ]


async def _child(args: argparse.Namespace) -> None:
    """The clients of `from_process`: connect, warm up, say ready, measure on "go", print the
    rate, the latencies and this process's CPU per report as one line of JSON."""
    settings = Settings(data_dir=args.data_dir)
    desks = [await desk(args.url, settings) for _ in range(args.clients)]
    try:
        await clients(desks[:1], 20, args.staff)  # warm up
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        cpu = time.process_time()
        rate, latencies = await clients(desks, args.reports, args.staff)
        cpu = (time.process_time() - cpu) / args.reports
        print(json.dumps({"rate": rate, "latencies": latencies, "cpu": cpu}), flush=True)
    finally:
        for client in desks:
            await client.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="desk clients for bench/desks.py's measures")
    parser.add_argument("--url", required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--reports", type=int, default=400)
    parser.add_argument("--staff", default="B01")
    configure_logging("console", "warning")  # on stderr: stdout is the measure's
    asyncio.run(_child(parser.parse_args()))
