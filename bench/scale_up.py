"""bench/scale.py's whole system: `propdesk up` as its own process, reports from 1 and 16 desk
clients, the rate until every consumer applied everything, and report → visible in
`ticket.get` under a paced load."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

from nats.aio.client import Client

from bench.desks import TICKET_GET, Rows, clients, desk, one_and_many, p, ratios, report
from shared.kernel.settings import Settings
from shared.messaging.client import Bus
from shared.messaging.identity import OPS
from shared.messaging.natsd import free_port
from shared.messaging.subjects import STREAM


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


Watched = dict[str, list[float]]  # ticket -> sent, replied, visible (epoch seconds)


async def watched_reports(
    desks: list[Client], rate: float, seconds: float, staff: str
) -> tuple[Watched, int, int]:
    """`rate` reports/s for `seconds`, sent on time whatever the replies do; every fifth is
    watched until `ticket.get` finds it. One watcher looks for the watched tickets one after
    another, in the order their replies came (the view applies DESK in order): a watcher per
    ticket, each asking every 2 ms, sent reporting thousands of queries a second once the view
    lagged, and slowed what it measured. Returns the watched tickets' times, how many reports
    had no answer, and how many were sent over 50 ms late."""
    times: Watched = {}
    late = failed = 0
    tasks: list[asyncio.Task[None]] = []
    watched: asyncio.Queue[str | None] = asyncio.Queue()

    async def watcher() -> None:
        while (ticket_id := await watched.get()) is not None:
            await visible(desks[-1], ticket_id)
            times[ticket_id].append(time.time())

    async def one(n: int) -> None:
        nonlocal failed
        sent = time.time()
        try:
            reply = await report(desks[n % len(desks)], staff)
        except Exception:  # no answer within the time-out: the load is more than it takes
            failed += 1
            return
        if n % 5 == 0:
            times[reply["ticket_id"]] = [sent, time.time()]
            watched.put_nowait(reply["ticket_id"])

    watching = asyncio.create_task(watcher())
    start = time.perf_counter()
    for n in range(int(rate * seconds)):
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -0.05:
            late += 1
        tasks.append(asyncio.create_task(one(n)))
    await asyncio.gather(*tasks)
    watched.put_nowait(None)
    await watching
    return times, failed, late


async def paced(
    desks: list[Client], rate: float, seconds: float, staff: str, label: str = "`propdesk up`"
) -> Rows:
    """Report → visible under `rate` reports/s for `seconds` (`watched_reports`)."""
    times, failed, late = await watched_reports(desks, rate, seconds, staff)
    shown = [visible_at - sent for sent, _, visible_at in times.values()]
    result = f"p50 {p(shown, 50):.0f} ms, p99 {p(shown, 99):.0f} ms" if len(shown) > 1 else "-"
    if failed:
        result += f"; {failed} reports not answered in 30 s"
    if late:
        result += f"; {late} sent >50 ms late"
    return [
        (
            f"{label}: report → visible in ticket.get at {rate:g} reports/s "
            f"for {seconds:g} s ({len(shown)} watched)",
            result,
        )
    ]


@contextlib.asynccontextmanager
async def running(data: Path, env: dict[str, str]) -> AsyncIterator[tuple[Up, Settings, Client]]:
    """`propdesk up` on a fresh `data`, ready, and an ops connection to it; both closed at the
    end."""
    up = Up(data, env)
    try:
        await asyncio.to_thread(up.wait_ready)
        settings = Settings(data_dir=data)
        bus = Bus(up.url, settings, name="bench", max_reconnect_attempts=0)
        try:
            yield up, settings, await bus.connection(OPS)
        finally:
            await bus.close()
    finally:
        up.stop()


async def whole_system(
    work: Path,
    args: argparse.Namespace,
    raw: float,
    env: dict[str, str],
    rows: Rows,
    label: str = "`propdesk up`",
) -> None:
    """`env` chooses the services' stores (PostgreSQL's settings, or SQLite by default); the
    ratios divide by `raw`, that store's raw single-save rate."""
    reports, many, rate, seconds = args.reports, args.clients, args.rate, args.seconds
    async with running(work / "up", env) as (up, settings, ops):
        found, one, multi = await one_and_many(
            lambda: desk(up.url, settings), reports, many, "HB-S01", label
        )
        rows += found + ratios(label, one, multi, raw, many)
        await drained(ops)
        t0 = time.perf_counter()
        desks = [await desk(up.url, settings) for _ in range(many)]
        await clients(desks, reports, "HB-S01")
        await drained(ops)
        settled = reports / (time.perf_counter() - t0)
        rows.append(
            (
                f"{label}: {many} clients, until every consumer applied all",
                f"{settled:,.0f} reports/s",
            )
        )
        rows += await paced(desks, rate, seconds, "HB-S01", label)
        await drained(ops)
        if settled < rate:  # and at what it sustains, to see the latency without a queue
            rows += await paced(desks, round(settled / 2), seconds, "HB-S01", label)
        for client in desks:
            await client.close()
