"""The analytics view as a month fills: its CPU a contact over one busy site-month, with the
site-month's row recomputed by the batches every second (as before session 16) and at most
`SETTLE_SHARE` of the time (views/analytics_months.py), side by side in one run.

A recompute reads every fact of the site-month, so its cost grows with the month; the live view
recomputes at most every `SETTLE_EVERY`, so at a steady rate its share grows through the month.
Here one generated site (tests/support/generated.py) gets `--per-day` tickets a day for a month,
with all that follows them, applied as the live consumer takes them: in batches of `--batch`
events, paced at `--rate` contacts a second on a simulated clock — the view's timer is that clock
plus the process's CPU time, so a recompute takes as long as it really takes and nobody sleeps.
Printed: the CPU a contact in each tenth of the month, and the recomputes.

    python -m bench.month_fill [--per-day 300] [--rate 200] [--batch 8]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.replay import print_table
from services.reporting.views import analytics_months
from services.reporting.views.analytics import AnalyticsView
from shared.kernel.sites import SiteDirectory
from shared.logging import configure_logging
from shared.messaging.inbox import Delivery, decode
from tests.support.generated import START, GeneratedHistory

DAYS = 31  # January of the generated history
TENTHS = 10


def month_of_events(per_day: int, seed: int) -> tuple[list[Delivery], int]:
    """Every event of a month of one site, decoded, in the order DESK would hold them."""
    history = GeneratedHistory(1, seed)
    deliveries: list[Delivery] = []
    for day in range(DAYS):
        history.day(day, tickets=per_day)
        for pending in history.ripe(START + timedelta(days=day + 1)):
            deliveries.append(decode(len(deliveries) + 1, pending.payload, pending.subject))
    return deliveries, per_day * DAYS


class Paced:
    """The view's timer: the simulated time of the contacts applied, plus the CPU spent."""

    def __init__(self) -> None:
        self.simulated = 0.0
        self.cpu0 = time.process_time()

    def __call__(self) -> float:
        return self.simulated + time.process_time() - self.cpu0


def fill(path: Path, deliveries: list[Delivery], contacts: int, rate: float, batch: int,
         share: float) -> tuple[list[float], int]:  # fmt: skip
    """The view's CPU a contact (ms) in each tenth of the month, and how many recomputes."""
    analytics_months.SETTLE_SHARE = share
    timer = Paced()
    view = AnalyticsView(str(path), SiteDirectory(strict=False), timer=timer)
    recomputes = 0
    recompute = analytics_months.settle

    def counted(c: Any, *site: str) -> bool:
        nonlocal recomputes
        recomputes += 1
        return recompute(c, *site)

    analytics_months.settle = counted
    per_event = len(deliveries) / contacts  # the contacts' pace, spread over their events
    tenth = len(deliveries) // TENTHS
    cpu: list[float] = []
    try:
        for part in range(TENTHS):
            end = len(deliveries) if part == TENTHS - 1 else (part + 1) * tenth
            start = part * tenth
            began = time.process_time()
            for i in range(start, end, batch):
                chunk = deliveries[i : min(i + batch, end)]
                timer.simulated += len(chunk) / per_event / rate
                view.apply(chunk)
            cpu.append((time.process_time() - began) * 1000 / ((end - start) / per_event))
    finally:
        analytics_months.settle = recompute
        view.close()
    return cpu, recomputes


def bench(per_day: int, rate: float, batch: int, seed: int) -> list[tuple[str, str]]:
    t0 = time.perf_counter()
    deliveries, contacts = month_of_events(per_day, seed)
    took = time.perf_counter() - t0
    said = f"{len(deliveries):,} events, generated in {took:.1f} s; {rate:g} contacts/s"
    rows = [(f"one site's month: {contacts:,} tickets", f"{said}, {batch} events a batch")]
    share = analytics_months.SETTLE_SHARE
    work = Path(tempfile.mkdtemp(prefix="propdesk-month-fill-"))
    every, every_n = fill(work / "every.sqlite3", deliveries, contacts, rate, batch, 1e9)
    capped, capped_n = fill(work / "capped.sqlite3", deliveries, contacts, rate, batch, share)
    analytics_months.SETTLE_SHARE = share
    for part in range(TENTHS):
        ms = f"every second {every[part]:.2f} ms; at most {share:.0%} {capped[part]:.2f} ms"
        rows.append((f"CPU a contact, tenth {part + 1} of the month", ms))
    counts = f"every second {every_n:,}; at most {share:.0%} of the time {capped_n:,}"
    rows.append((f"recomputes in the month's {contacts / rate:.0f} simulated seconds", counts))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-day", type=int, default=300, help="tickets a day (≤ 322)")
    parser.add_argument("--rate", type=float, default=200.0, help="contacts a second")
    parser.add_argument("--batch", type=int, default=8, help="events a batch")
    parser.add_argument("--seed", type=int, default=20261205)
    args = parser.parse_args()
    configure_logging("warning")
    print_table(bench(args.per_day, args.rate, args.batch, args.seed))


if __name__ == "__main__":
    main()
