"""Report → visible on `propdesk up`, split where it is spent: at each paced rate, every fifth
report's time from sending to `ticket.get` finding it, cut into intake's reply, the relay's
publish (the `ticket.reported` message's time in DESK) and reporting's apply (DESK to visible).
The tail of the last was full collections of the interpreter (docs/PERFORMANCE.md, session 7).

    python -m bench.visible [--rates 20,50,100,150,200] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import tempfile
from datetime import datetime
from pathlib import Path

from nats.aio.client import Client

from bench.desks import SITE, Rows, clients, desk, p
from bench.scale_up import drained, running, watched_reports
from shared.logging import configure_logging
from shared.messaging.reader import read_stream
from shared.messaging.subjects import STREAM, event

REPORTED = event(SITE, "ticket.reported")
WARM = 300  # reports before the first rate


def _stamp(header: str) -> float:
    """A JetStream `Nats-Time-Stamp` (RFC 3339 with nanoseconds) as epoch seconds."""
    whole, _, fraction = header.rstrip("Z").partition(".")
    return datetime.fromisoformat(f"{whole}+00:00").timestamp() + float(f"0.{fraction or 0}")


async def paced(desks: list[Client], ops: Client, rate: float, seconds: float) -> Rows:
    """`rate` reports/s for `seconds`, every fifth watched (bench/scale_up.py's
    `watched_reports`), each cut where its time went."""
    first = (await ops.jetstream().stream_info(STREAM)).state.last_seq + 1
    times, _, _ = await watched_reports(desks, rate, seconds, "HB-S01")
    await drained(ops)
    published: dict[str, float] = {}
    last = (await ops.jetstream().stream_info(STREAM)).state.last_seq
    async for batch in read_stream(ops, STREAM, last, start=first, subject=REPORTED):
        for msg in batch:
            ticket_id = json.loads(msg.data)["aggregate_id"]
            published[ticket_id] = _stamp(msg.headers["Nats-Time-Stamp"])
    spans: dict[str, list[float]] = {"total": [], "reply": [], "publish": [], "apply": []}
    for ticket_id, (sent, replied, shown) in times.items():
        spans["total"].append(shown - sent)
        spans["reply"].append(replied - sent)
        if ticket_id in published:  # the clocks of this process and the server's, one host
            spans["publish"].append(max(0.0, published[ticket_id] - replied))
            spans["apply"].append(shown - published[ticket_id])
    cells = [f"{p(spans[k], 50):.0f} / {p(spans[k], 99):.0f}" for k in spans]
    return [(f"{rate:g} /s ({len(times)} watched)", " | ".join(cells))]


async def bench(rates: list[float], seconds: float) -> Rows:
    rows: Rows = []
    with tempfile.TemporaryDirectory(prefix="propdesk-visible-") as tmp:
        async with running(Path(tmp) / "up", {}) as (up, settings, ops):
            desks = [await desk(up.url, settings) for _ in range(16)]
            await clients(desks, WARM, "HB-S01")
            await drained(ops)
            for rate in rates:
                rows += await paced(desks, ops, rate, seconds)
            for client in desks:
                await client.close()
    return rows


def main() -> None:
    configure_logging("console", "warning")
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rates", default="20,50,100,150,200", help="reports/s, in turn")
    parser.add_argument("--seconds", type=float, default=10.0, help="of each paced load")
    args = parser.parse_args()
    gc.freeze()  # this process's own full collections are not the system's latency
    rows = asyncio.run(bench([float(r) for r in args.rates.split(",")], args.seconds))
    print("| paced | total p50 / p99 ms | intake's reply | relay's publish | DESK → visible |")
    print("|---|---|---|---|---|")
    for label, cells in rows:
        print(f"| {label} | {cells} |")


if __name__ == "__main__":
    main()
