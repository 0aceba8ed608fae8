"""Throughput of the spine: intake commands over NATS, the relay, and a projection rebuild
compared with the raw rate of reading the same stream. Prints a Markdown table.

    python -m bench.run [--contacts N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import resource
import statistics
import tempfile
import time
from pathlib import Path

import nats

from services.intake.entrypoint import IntakeService
from services.reporting.view import TicketView
from shared.clock import SystemClock
from shared.inbox import Inbox
from shared.logging import configure_logging
from shared.natsd import EmbeddedNats, free_port
from shared.settings import Settings
from shared.subjects import STREAM


def contact(n: int) -> bytes:
    return json.dumps(
        {
            "client_ref": f"bench-{n}",
            "channel": "phone",
            "kind": "repair" if n % 3 else "complaint",
            "category": "plumbing",
            "reporter": {"name": "测试", "phone": "13800138000", "room": f"{n % 30}-{n % 7}01"},
            "content": "厨房水管漏水, 请尽快上门",
            "staff_id": "B01",
        }
    ).encode()


async def bench(contacts: int) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    work = Path(tempfile.mkdtemp(prefix="propdesk-bench-"))
    server = EmbeddedNats(work / "nats", free_port())
    await server.start()
    intake = IntakeService(Settings(data_dir=work), SystemClock())
    await intake.start(server.url)
    nc = await nats.connect(server.url)
    js = nc.jetstream()
    try:
        latencies = []
        started = time.perf_counter()
        for n in range(contacts):
            t0 = time.perf_counter()
            await nc.request("desk.cmd.hbw.intake.report", contact(n), timeout=10)
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
        rows.append(("intake report commands, sequential", f"{contacts / elapsed:,.0f} /s"))
        q = statistics.quantiles(latencies, n=100)
        rows.append(("report latency p50 / p99", f"{q[49] * 1000:.1f} ms / {q[98] * 1000:.1f} ms"))

        t0 = time.perf_counter()
        while (await js.stream_info(STREAM)).state.messages < contacts:
            await asyncio.sleep(0.01)
        rows.append(("relay caught up after the last reply", f"{time.perf_counter() - t0:.2f} s"))

        # Raw read rate of the same stream with an ordered consumer.
        sub = await js.subscribe("desk.evt.>", ordered_consumer=True)
        t0 = time.perf_counter()
        for _ in range(contacts):
            await sub.next_msg(timeout=10)
        raw = contacts / (time.perf_counter() - t0)
        await sub.unsubscribe()

        view = TicketView(str(work / "rebuild.sqlite3"))
        inbox = Inbox(js, durable="bench", apply=view.apply, position=view.position, batch_size=512)
        await inbox.open()
        t0 = time.perf_counter()
        while view.position() < contacts:
            await inbox.poll(timeout=1)
        rebuild = contacts / (time.perf_counter() - t0)
        await inbox.close()
        rows.append(("stream read, ordered consumer (raw)", f"{raw:,.0f} events/s"))
        rows.append(("ticket projection rebuild", f"{rebuild:,.0f} events/s"))
        rows.append(("rebuild / raw", f"{rebuild / raw:.2f}"))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append(("peak RSS of the benchmark process", f"{rss:,.0f} MiB"))
    finally:
        await nc.close()
        await intake.stop()
        await server.stop()
    return rows


def main() -> None:
    configure_logging("console", "warning")
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=3000)
    args = parser.parse_args()
    rows = asyncio.run(bench(args.contacts))
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"python {platform.python_version()}, contacts: {args.contacts}"
    )
    print("| measure | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
