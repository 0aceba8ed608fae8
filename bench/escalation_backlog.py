"""Escalation's CPU per contact over a backlog, whatever the machine's load does to batch sizes:
`propdesk up`, its escalation child stopped (SIGSTOP) while 16 desk clients send the reports
and the other consumers apply them, then continued; its CPU time (/proc) from then until DESK is
drained, divided by the reports. Its inbox then reads full batches, so the figure moves less with
the rate than one measured live (docs/PERFORMANCE.md, session 6).

    python -m bench.escalation_backlog [--reports 1500]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import tempfile
import time
from pathlib import Path

from nats.js import JetStreamContext

from bench.desks import clients, desk
from bench.scale_up import drained, running
from propdesk.processes import descendants
from shared.messaging.subjects import STREAM

DURABLE = "escalation-desk"


async def others_applied(js: JetStreamContext) -> None:
    while True:
        infos = await js.consumers_info(STREAM)
        if not any(c.num_pending or c.num_ack_pending for c in infos if c.name != DURABLE):
            return
        await asyncio.sleep(0.1)


async def backlog(reports: int) -> str:
    work = Path(tempfile.mkdtemp(prefix="escalation-backlog-"))
    async with running(work / "up", {}) as (up, settings, ops):
        [pid] = [p for p, line in descendants(up.proc.pid).items() if line.name == "escalation"]

        def cpu() -> float:
            return descendants(up.proc.pid)[pid].cpu_seconds

        desks = [await desk(up.url, settings) for _ in range(16)]
        await clients(desks, 50, "HB-S01")  # warm up
        await drained(ops)
        os.kill(pid, signal.SIGSTOP)
        try:
            await clients(desks, reports, "HB-S01")
            await others_applied(ops.jetstream())
        finally:
            c0, t0 = cpu(), time.perf_counter()
            os.kill(pid, signal.SIGCONT)
        await drained(ops, quiet=0.5)
        c1, t1 = cpu(), time.perf_counter() - 0.5
        for client in desks:
            await client.close()
    return (
        f"escalation over a backlog of {reports} reports: {1000 * (c1 - c0) / reports:.3f} ms "
        f"of CPU a report, {reports / (t1 - t0):.0f} reports/s, "
        f"load {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1500)
    print(asyncio.run(backlog(parser.parse_args().reports)))


if __name__ == "__main__":
    main()
