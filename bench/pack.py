"""The company quality pack (R12.3) at 5, 20 and 50 sites: how its time grows with the sites and
with the months of history (issue 15 asks for 50 sites × 6 months in 200 ms).

Builds an analytics view without NATS: a generated history (tests/support/generated.py) of
`--sites` sites over `--days` days, decoded and applied in batches of 2,048 as `propdesk replay`
applies them. Then the sites' facts are copied under new names (`hbw-2`, … : the same facts, the
same density of a site-month) up to 50 sites, the view's derived rows are recomputed as at the
end of a rebuild, and the pack of the last whole month (six months of trend) is timed, best of
`--runs`. With `--days` repeated (`--days 215 --days 430`) it shows the same at a longer history.

    python -m bench.pack [--sites 5] [--days 215] [--runs 5]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.replay import print_table
from services.reporting.queries.figures import Reports
from services.reporting.views.analytics import AnalyticsView
from shared.kernel.months import previous_month
from shared.kernel.sites import SiteDirectory
from shared.logging import configure_logging
from shared.messaging.inbox import decode
from tests.support.generated import START, TICKETS_PER_SITE_AND_DAY, GeneratedHistory

SCALES = (5, 20, 50)
BATCH = 2048
# the columns a copied site's facts are renamed in (the rest is copied as it is)
RENAMED = ("site", "ticket_id", "work_order_id")
COPIED = (
    "ticket_facts",
    "contact_facts",
    "escalation_facts",
    "clock_facts",
    "order_facts",
    "month_analysis",
)


def build(path: Path, sites: int, days: int, seed: int) -> int:
    """The analytics view of `days` days of `sites` generated sites; returns the events."""
    history = GeneratedHistory(sites, seed)
    view = AnalyticsView(str(path), SiteDirectory(strict=False))
    bulk = getattr(view, "bulk", None)
    if bulk is not None:
        bulk()
    seq, batch = 0, []
    for day in range(days):
        history.day(day, tickets=TICKETS_PER_SITE_AND_DAY * sites)
        for pending in history.ripe(START + timedelta(days=day + 1)):
            seq += 1
            batch.append(decode(seq, pending.payload, pending.subject))
            if len(batch) == BATCH:
                view.apply(batch)
                batch = []
    if batch:
        view.apply(batch)
    finish(view)
    view.close()
    return seq


def finish(view: AnalyticsView) -> None:
    done = getattr(view, "finish", None)  # the code before the site-months has none
    if done is not None:
        done()


def copy_sites(path: Path, sites: list[str], copies: range) -> None:
    """Each of `sites`' facts again as site `<site>-<k>` for each k of `copies`."""
    db = sqlite3.connect(path)
    with db:
        for table in COPIED:
            columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
            names = ", ".join(columns)
            for k in copies:
                values = ", ".join(f"{c} || '-{k}'" if c in RENAMED else c for c in columns)
                db.execute(
                    f"INSERT INTO {table} ({names}) SELECT {values} FROM {table} "
                    f"WHERE site IN ({', '.join('?' * len(sites))})",
                    sites,
                )
    db.close()


def pack_ms(path: Path, month: str, runs: int) -> tuple[float, int]:
    view = AnalyticsView(str(path), SiteDirectory(strict=False))
    reports = Reports(view)
    now = START + timedelta(days=3650)
    seconds = []
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            pack = reports.quality(SiteDirectory(strict=False), [], month, now)
            seconds.append(time.perf_counter() - t0)
    finally:
        view.close()
    return min(seconds) * 1000, len(pack["sites"])


def newest_month(path: Path) -> str:
    db = sqlite3.connect(path)
    (newest,) = db.execute("SELECT max(month) FROM ticket_facts").fetchone()
    db.close()
    return previous_month(newest)  # the newest month is still partial


def bench(sites: int, days: int, seed: int, runs: int, work: Path) -> list[tuple[str, str]]:
    path = work / f"analytics-{days}.sqlite3"
    t0 = time.perf_counter()
    events = build(path, sites, days, seed)
    rows = [
        (
            f"history: {days} days of {sites} sites",
            f"{events:,} events, built in {time.perf_counter() - t0:,.1f} s",
        )
    ]
    month = newest_month(path)
    originals = [r for r in _sites(path)]
    have = len(originals)
    for scale in SCALES:
        if scale > have:
            copy_sites(
                path, originals, range(have // len(originals) + 1, scale // len(originals) + 1)
            )
            have = scale
            view = AnalyticsView(str(path), SiteDirectory(strict=False))
            t0 = time.perf_counter()
            finish(view)
            refreshed = time.perf_counter() - t0
            view.close()
            rows.append(
                (
                    f"site-months recomputed at {scale} sites (end of a rebuild)",
                    f"{refreshed * 1000:,.0f} ms",
                )
            )
        ms, listed = pack_ms(path, month, runs)
        rows.append(
            (f"quality pack, {listed} sites × 6 months to {month} ({days} days)", f"{ms:,.1f} ms")
        )
    return rows


def _sites(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    found = [r[0] for r in db.execute("SELECT DISTINCT site FROM ticket_facts ORDER BY site")]
    db.close()
    return found


def main() -> None:
    configure_logging("console", "warning")
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=5, help="generated sites (then copied)")
    parser.add_argument("--days", type=int, action="append", help="days of history (repeatable)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=5, help="each pack is the best of this many")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="propdesk-pack-bench-") as work:
        for days in args.days or [215]:
            rows += bench(args.sites, days, args.seed, args.runs, Path(work))
    print_table(rows)


if __name__ == "__main__":
    main()
