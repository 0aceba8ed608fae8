"""What checking the clocks costs: one escalation tick with the same number of clocks due among
1,000 and among 100,000 open clocks. Prints a Markdown table.

    python -m bench.escalation [--open 1000 100000] [--due 100]

Every open clock is a real board in a real SQLite escalation store (a help request's reply clock);
`--due` of them are past their warning point at the moment of the tick, the rest are due days
later. A tick reads the due rows from the schedule's time index, loads those boards, records their
decisions and saves them.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

from services.escalation.application import EscalationApp
from services.escalation.application.schedule import Schedule
from services.escalation.domain import SYSTEM, Cause, TicketClocks
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteDirectory
from shared.kernel.vocabulary import ClockName
from shared.logging import configure_logging

START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
BATCH = 1000


def fill(app: EscalationApp, open_clocks: int, due: int) -> None:
    """`open_clocks` help requests; the first `due` received a day earlier than the rest."""
    site = app.sites.default
    rule = site.sla.clock(ClockName.help_reply)
    work = site.worktime
    for first in range(0, open_clocks, BATCH):
        boards = []
        for n in range(first, min(first + BATCH, open_clocks)):
            received = START - timedelta(days=1) if n < due else START + timedelta(days=3)
            board = TicketClocks.open(
                site="hbw",
                ticket_id=uuid4(),
                ticket_no=f"HBW-202611-{n:06d}",
                kind="help",
                received_at=received,
                at=received,
                correlation_id=f"bench-{n}",
                causation_id=None,
            )
            cause = Cause(SYSTEM, f"bench-{n}", None)
            board.start_clock(ClockName.help_reply.value, rule, work, received, received, cause)
            boards.append(board)
        app.save(*boards)
    app.schedule.catch_up(app)


def measure(open_clocks: int, due: int, repeats: int = 5) -> dict[str, float]:
    ticks, reads = [], []
    for _ in range(repeats):
        work = Path(tempfile.mkdtemp(prefix="propdesk-bench-esc-"))
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(work / "escalation.sqlite3"),
        }
        schedule = Schedule(str(work / "schedule.sqlite3"))
        app = EscalationApp(env, FixedClock(START), SiteDirectory(strict=False), schedule=schedule)
        fill(app, open_clocks, due)
        assert schedule.open_count() == open_clocks
        t0 = time.perf_counter()
        found = schedule.due(START)
        reads.append(time.perf_counter() - t0)
        assert len(found) == due
        t0 = time.perf_counter()
        decided = app.tick()
        ticks.append(time.perf_counter() - t0)
        assert len(decided) == 2 * due  # each: warned, then breached
        app.close()
        schedule.close()
    return {"read": statistics.median(reads), "tick": statistics.median(ticks)}


def main() -> None:
    configure_logging("console", "warning")
    parser = argparse.ArgumentParser()
    parser.add_argument("--open", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--due", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"python {platform.python_version()}, due per tick: {args.due}"
    )
    print("| open clocks | due | read what is due (index) | whole tick (decide + save) |")
    print("|---|---|---|---|")
    for open_clocks in args.open:
        result = measure(open_clocks, args.due, args.repeats)
        print(
            f"| {open_clocks:,} | {args.due} | {result['read'] * 1000:.2f} ms "
            f"| {result['tick'] * 1000:.1f} ms |"
        )


if __name__ == "__main__":
    main()
