"""Throughput of the spine on the closed bus: intake commands sent by a site's desk over NATS, the
relay, and a projection rebuild compared with the raw rate of reading the same stream. Prints a
Markdown table.

    python -m bench.run [--contacts N] [--runs N] [--open-bus]

The hub is closed as `propdesk up` closes it (bench/hub.py): intake runs as its own identity, the
reports come from the desk of site hbw (its own account; nats-server names it to intake), and
DESK is read as ops reads it, with direct gets: raw, and rebuilt into a fresh ticket view by
`services.reporting.ops.replay.rebuild` (what `propdesk replay` runs). For continuity with the
figures of before, the same messages are also read with an ordered consumer on an open server
(no identity of the closed hub may create one).

`--open-bus` runs the same code on an open nats-server (no accounts, credentials or
permissions), for one purpose: to measure what closing the bus costs. The desk's account, which
the closed hub's server writes into each request's `Nats-Request-Info`, is written there by the
benchmark's client instead, as anybody could on an open server; PropDesk never runs so.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from nats.aio.client import Client

from bench.hub import direct_read, open_connection, open_copy, ordered_read, start_hub
from services.intake.entrypoint import IntakeService
from services.reporting.ops.replay import rebuild
from shared.kernel.clock import SystemClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteConfig, SiteDirectory
from shared.logging import configure_logging
from shared.messaging.bus import BusAccess
from shared.messaging.identity import OPS, REQUEST_INFO, site_account, site_identity
from shared.messaging.natsd import EmbeddedNats, free_port
from shared.messaging.subjects import STREAM, command

SITE = "hbw"
REPORT = command(SITE, "intake", "report")


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


class OpenIntake(IntakeService):
    """Intake connecting with no credential: only for `--open-bus`."""

    def access(self, nats_url: str) -> BusAccess:
        return BusAccess(nats_url, self.name, None)


async def report(desk: Client, n: int, headers: dict[str, str] | None) -> None:
    """One report, as the desk sends it; a refused one stops the benchmark (a refusal is fast)."""
    msg = await desk.request(REPORT, contact(n), timeout=10, headers=headers)
    reply = json.loads(msg.data)
    if not reply.get("ok"):
        raise RuntimeError(f"report {n} refused: {reply}")


async def bench(contacts: int, runs: int, open_bus: bool) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    work = Path(tempfile.mkdtemp(prefix="propdesk-bench-"))
    directory = SiteDirectory(sites={SITE: SiteConfig()})
    copy: EmbeddedNats | None = None
    headers: dict[str, str] | None = None
    if open_bus:
        server = EmbeddedNats(work / "nats", free_port())
        await server.start()
        settings = Settings(data_dir=work)
        directory.save(settings.sites_path)
        intake: IntakeService = OpenIntake(settings, SystemClock())
        desk = await open_connection(server.url)
        ops = await open_connection(server.url)
        headers = {REQUEST_INFO: json.dumps({"acc": site_account(SITE)})}
        url, stop = server.url, server.stop
    else:
        hub = await start_hub(work, [SITE])
        intake = IntakeService(hub.settings, SystemClock())
        desk = await hub.connect(site_identity(SITE))
        ops = await hub.connect(OPS)
        url, stop = hub.url, hub.stop
    await intake.start(url)
    js = ops.jetstream()
    try:
        latencies = []
        started = time.perf_counter()
        for n in range(contacts):
            t0 = time.perf_counter()
            await report(desk, n, headers)
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
        rows.append(("intake report commands, sequential", f"{contacts / elapsed:,.0f} /s"))
        q = statistics.quantiles(latencies, n=100)
        rows.append(("report latency p50 / p99", f"{q[49] * 1000:.1f} ms / {q[98] * 1000:.1f} ms"))

        t0 = time.perf_counter()
        while (await js.stream_info(STREAM)).state.messages < contacts:
            await asyncio.sleep(0.01)
        rows.append(("relay caught up after the last reply", f"{time.perf_counter() - t0:.2f} s"))
        total = (await js.stream_info(STREAM)).state.messages
        assert total == contacts, (total, contacts)  # one ticket.reported per report

        raw = total / min([await direct_read(ops, total) for _ in range(runs)])
        built = [await rebuild(ops, "tickets", work / f"tickets-{run}.sqlite3", sites=directory)
                 for run in range(runs)]  # fmt: skip
        assert {b.checksum for b in built} == {built[0].checksum}
        assert all(b.events == total for b in built)
        best = min(built, key=lambda b: b.seconds)
        rebuilt = best.events / best.seconds
        if open_bus:
            ordered = total / min([await ordered_read(js, total) for _ in range(runs)])
        else:
            copy = await open_copy(ops, total, work / "open-copy")
            async with await open_connection(copy.url) as nc:
                ordered = total / min([await ordered_read(nc.jetstream(), total)
                                       for _ in range(runs)])  # fmt: skip
        best_of = f"best of {runs}"
        rows.append((f"stream read, direct get as ops (raw; {best_of})", f"{raw:,.0f} events/s"))
        rows.append(
            (
                f"ticket projection rebuild, `propdesk replay` ({best_of})",
                f"{rebuilt:,.0f} events/s",
            )
        )
        rows.append(("rebuild / raw", f"{rebuilt / raw:.2f}"))
        where = "same server" if open_bus else "open server, same messages"
        rows.append(
            (f"stream read, ordered consumer ({where}; {best_of})", f"{ordered:,.0f} events/s")
        )
        rows.append(("rebuild / ordered consumer", f"{rebuilt / ordered:.2f}"))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append(("peak RSS of the benchmark process", f"{rss:,.0f} MiB"))
    finally:
        await desk.close()
        await ops.close()
        await intake.stop()
        if copy is not None:
            await copy.stop()
        await stop()
        shutil.rmtree(work, ignore_errors=True)
    return rows


def main() -> None:
    configure_logging("console", "warning")
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3, help="each read is the best of this many")
    parser.add_argument(
        "--open-bus", action="store_true", help="an open server: only to measure the closed one"
    )
    args = parser.parse_args()
    rows = asyncio.run(bench(args.contacts, args.runs, args.open_bus))
    bus = "OPEN server (comparison only)" if args.open_bus else "closed hub"
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"python {platform.python_version()}, contacts: {args.contacts}, bus: {bus}"
    )
    print("| measure | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
