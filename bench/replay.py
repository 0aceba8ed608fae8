"""Replay: how fast each projection is rebuilt from DESK, against the raw rate of reading DESK.

Generates a realistic multi-site history (tests/support/generated.py) straight onto a closed hub
(bench/hub.py): valid envelopes, built with the published contracts and published as intake,
dispatch and escalation publish them, each event by the service that owns its type with that
service's own credential. Then, in the same run, it reads the stream
back: as ops with direct gets doing nothing else (the raw rate: the reader of `propdesk replay`),
through the live service's inbox as the reporting service (its own durable consumer) into an
empty ticket view (how a view was rebuilt before `propdesk replay`), and through
`services.reporting.ops.replay.rebuild` as ops for every projection. For continuity with the figures
of before the bus was closed, the same messages are copied to an open nats-server and read there
with an ordered consumer (no identity of the closed hub may create one). Prints a Markdown table.

    python -m bench.replay [--events 100000] [--sites 5] [--runs 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from nats.aio.client import Client

from bench.hub import direct_read, open_connection, open_copy, ordered_read, start_hub
from services.reporting.ops.registry import PROJECTIONS
from services.reporting.ops.replay import Rebuilt, rebuild
from services.reporting.queries.figures import Reports
from shared.kernel.months import previous_month
from shared.kernel.sites import SiteDirectory
from shared.logging import configure_logging
from shared.messaging.bus import ensure_stream
from shared.messaging.identity import OPS
from shared.messaging.inbox import Inbox
from shared.messaging.natsd import EmbeddedNats
from shared.messaging.subjects import STREAM
from tests.support.generated import (
    SITES,
    START,
    TICKETS_PER_SITE_AND_DAY,
    GeneratedHistory,
    Pending,
)


async def history(events: int, sites: int, seed: int) -> AsyncIterator[Pending]:
    """At least `events` events in the order they happened, generated a day at a time."""
    h = GeneratedHistory(sites, seed)
    made = day = 0
    while made < events:
        h.day(day, tickets=TICKETS_PER_SITE_AND_DAY * sites)
        day += 1
        for pending in h.ripe(START + timedelta(days=day)):
            made += 1
            yield pending
        await asyncio.sleep(0)
    for pending in h.rest():
        yield pending


# Who publishes an event type on the closed bus (shared/messaging/natsconf.py grants each only its
# own)
OWNERS = {
    "ticket": "intake",
    "report": "intake",
    "workorder": "dispatch",
    "escalation": "escalation",
}


def owner(subject: str) -> str:
    """The service that publishes the event on `subject` (desk.evt.<site>.<aggregate>.<type>)."""
    return OWNERS[subject.split(".")[3]]


async def publish(
    js: Mapping[str, Any], events: int, sites: int, seed: int, window: int = 512
) -> int:
    """Publish the history to DESK, each event with the connection of the service that owns its
    type (`js`: service → its JetStream context), each acknowledged (`window` in flight);
    returns the count."""
    inflight: set[asyncio.Future[Any]] = set()
    count = 0
    async for p in history(events, sites, seed):
        ack = js[owner(p.subject)].publish(
            p.subject, p.payload, stream=STREAM, headers={"Nats-Msg-Id": p.msg_id}
        )
        inflight.add(asyncio.ensure_future(ack))
        count += 1
        if len(inflight) >= window:
            done, inflight = await asyncio.wait(inflight, return_when=asyncio.FIRST_COMPLETED)
            for f in done:
                f.result()
    for f in await asyncio.gather(*inflight):
        assert not f.duplicate
    return count


async def inbox_rebuild(js: Any, path: Path, total: int) -> tuple[float, str]:
    """A ticket view rebuilt as before `propdesk replay`: the live service's inbox (its durable
    consumer with acks, batches of 512; `js` is the reporting service's) into an empty file.
    Seconds and checksum."""
    view = PROJECTIONS["tickets"].open(str(path), SiteDirectory(strict=False))
    durable = PROJECTIONS["tickets"].durable  # reporting's own: its credential creates no other
    inbox = Inbox(js, durable=durable, apply=view.apply, position=view.position, batch_size=512)
    await inbox.open()
    t0 = time.perf_counter()
    try:
        while view.position() < total:
            await inbox.poll(timeout=1)
        return time.perf_counter() - t0, view.checksum()
    finally:
        await inbox.close()
        await js.delete_consumer(STREAM, durable)
        view.close()


def report_times(path: Path, sites: int, runs: int) -> list[tuple[str, str]]:
    """Milliseconds to compute the reports a manager asks for from the rebuilt analytics view:
    a site's monthly report and the company quality pack (every site, six months), for the last
    whole month of the history; and the weekly summary of that month's first ISO week."""
    directory = SiteDirectory(strict=False)
    view = PROJECTIONS["analytics"].open(str(path), directory)
    site = SITES[0]
    (newest,) = view.rows("SELECT max(month) AS m FROM ticket_facts WHERE site = ?", (site,))
    month = previous_month(newest["m"])  # the newest month is still partial
    week = "{}-W{:02}".format(*date.fromisoformat(f"{month}-01").isocalendar()[:2])
    config = directory.get(site)
    assert config is not None
    reports = Reports(view)
    now = START + timedelta(days=3650)
    asks = {
        f"monthly report of one site ({month})": lambda: reports.monthly(site, config, month, now),
        f"weekly summary of one site ({week})": lambda: reports.weekly(site, config, week, now),
        f"company quality pack ({sites} sites, six months to {month})": lambda: reports.quality(
            directory, [], month, now
        ),
    }
    rows = []
    try:
        for name, ask in asks.items():
            seconds = []
            for _ in range(max(runs, 3)):
                t0 = time.perf_counter()
                report = ask()
                seconds.append(time.perf_counter() - t0)
            assert report, name
            rows.append((name, f"{min(seconds) * 1000:,.1f} ms"))
    finally:
        view.close()
    return rows


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        cpu = next(
            line.split(":", 1)[1].strip() for line in lscpu.splitlines() if "Model name" in line
        )
    except (OSError, subprocess.CalledProcessError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} vCPU {cpu}, {memory:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def print_table(rows: list[tuple[str, str]]) -> None:
    """The machine and the date, then the rows as a Markdown table."""
    print(f"machine: {machine()}; {time.strftime('%Y-%m-%d')}")
    print("| measure | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


async def bench(events: int, sites: int, seed: int, runs: int) -> list[tuple[str, str]]:
    work = Path(tempfile.mkdtemp(prefix="propdesk-replay-bench-"))
    hub = await start_hub(work / "hub", SITES[:sites])
    copy: EmbeddedNats | None = None
    rows: list[tuple[str, str]] = []
    connections: dict[str, Client] = {}
    try:
        for identity in (*sorted(set(OWNERS.values())), "reporting", OPS):
            connections[identity] = await hub.connect(identity)
        ops = connections[OPS]
        await ensure_stream(connections["intake"].jetstream())  # as every service does at start
        publishers = {name: connections[name].jetstream() for name in set(OWNERS.values())}
        t0 = time.perf_counter()
        total = await publish(publishers, events, sites, seed)
        published = total / (time.perf_counter() - t0)
        stored = (await ops.jetstream().stream_info(STREAM)).state
        assert stored.messages == total, (stored.messages, total)
        size = f"{total:,} events of {sites} sites, {stored.bytes / 2**20:,.0f} MiB in DESK"
        rows.append(("history", size))
        rows.append(
            (
                "generated and published (each by its service, acked, 512 in flight)",
                f"{published:,.0f} /s",
            )
        )

        raw = total / min([await direct_read(ops, total) for _ in range(runs)])
        rows.append(("stream read, direct get as ops (raw)", f"{raw:,.0f} events/s"))
        copy = await open_copy(ops, total, work / "open-copy")
        async with await open_connection(copy.url) as nc:
            seconds = [await ordered_read(nc.jetstream(), total) for _ in range(runs)]
        await copy.stop()
        copy = None
        ordered = total / min(seconds)
        rows.append(
            (
                "stream read, ordered consumer (open server, same messages)",
                f"{ordered:,.0f} events/s",
            )
        )

        def against(rate: float) -> str:
            return (
                f"{rate:,.0f} events/s ({rate / raw:.2f} of raw, {rate / ordered:.2f} of ordered)"
            )

        reporting = connections["reporting"].jetstream()
        inbox_seconds, inbox_checksum = await inbox_rebuild(
            reporting, work / "inbox.sqlite3", total
        )
        rows.append(
            (
                "`tickets` through the inbox (durable, acks, batches of 512)",
                against(total / inbox_seconds),
            )
        )
        for name in PROJECTIONS:
            results: list[Rebuilt] = []
            for run in range(runs):
                results.append(await rebuild(ops, name, work / f"{name}-{run}.sqlite3"))
            assert {r.checksum for r in results} == {results[0].checksum}
            assert name != "tickets" or results[0].checksum == inbox_checksum
            best = min(results, key=lambda r: r.seconds)
            view = (work / f"{name}-0.sqlite3").stat().st_size / 2**20
            rows.append(
                (
                    f"`{name}` rebuild, `propdesk replay` ({view:,.0f} MiB view)",
                    against(best.events / best.seconds),
                )
            )
        rows += report_times(work / "analytics-0.sqlite3", sites, runs)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append(("peak RSS of the benchmark process", f"{rss:,.0f} MiB"))
    finally:
        for nc in connections.values():
            await nc.close()
        if copy is not None:
            await copy.stop()
        await hub.stop()
        shutil.rmtree(work, ignore_errors=True)  # a million events leave gigabytes
    return rows


def main() -> None:
    configure_logging("console", "warning")
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="size of the history")
    parser.add_argument("--sites", type=int, default=5, choices=range(1, len(SITES) + 1))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=2, help="each read is the best of this many")
    args = parser.parse_args()
    print_table(asyncio.run(bench(args.events, args.sites, args.seed, args.runs)))


if __name__ == "__main__":
    main()
