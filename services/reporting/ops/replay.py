"""Replay: rebuild a projection's view from DESK into a fresh file (which ops/view_files.py
`install` puts in place).

Used by `propdesk replay` and `propdesk verify`, by the reporting service's switch, by the tests
and by `bench/replay.py`. Knows NATS (nats-py), not FastStream.

How a rebuild goes fast (docs/PERFORMANCE.md, "replay"):

- DESK is read with batched direct gets (shared/messaging/reader.py), 2,048 messages a request: no
  consumer is created (ops may create none), one wait a batch: a rebuild runs at the rate it
  had with the pull consumer used before.
- Each batch is decoded and applied in one transaction by the view's own `apply` (the same code
  as the live inbox, so the rows are the same); an event it cannot apply is parked in the
  rebuilt view, as the live inbox parks it (shared/messaging/parking.py).
- A large rebuild (`IN_WORKER_FROM` messages) applies in a worker process
  (ops/replay_worker.py) while this one reads the next batches: both cores work, and the
  rebuild goes at the pace of the slower half instead of the sum of both. A small one applies
  in a thread, with no batch read meanwhile (reading alongside in the same interpreter stalls
  the applying thread on the GIL and the whole is slower).
- The rebuild file is written with `PRAGMA synchronous=OFF`: no fsync per commit, since nobody
  reads the file yet and a crash only loses the rebuild. At the end it is checkpointed with
  `synchronous=FULL`, closed (which removes its write-ahead log) and fsynced, so the one file
  holds everything before it is moved into place.
"""

from __future__ import annotations

import asyncio
import pickle
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, NamedTuple

from nats.aio.client import Client

from services.reporting.ops.registry import PROJECTIONS, Projection, View, projection_named
from services.reporting.ops.replay_worker import apply_in_worker
from services.reporting.ops.view_files import pragma, remove_database, settle
from shared.eventstore.files import fsync_path
from shared.kernel.clock import Clock, SystemClock
from shared.kernel.sites import SiteDirectory
from shared.messaging.inbox import decode
from shared.messaging.parking import settle as apply_or_park
from shared.messaging.reader import read_stream
from shared.messaging.subjects import STREAM

BATCH = 2048
IN_WORKER_FROM = 20_000  # messages in DESK from which a worker process pays for its start

Progress = Callable[[int, int], None]  # (stream position reached, target position)


class Rebuilt(NamedTuple):
    events: int  # stream messages read, including those the projection has no use for
    seconds: float  # from opening the fresh file to closing it, checksum included
    checksum: str
    position: int  # the last stream sequence the view reflects


class AheadOfStream(ValueError):
    """A view is asked to be rebuilt up to a position DESK does not reach."""


def rebuild_path(live: Path) -> Path:
    """Where a rebuild of the view at `live` is written: next to it, so the move is a rename."""
    return live.with_name(live.name + ".rebuild")


async def last_sequence(nc: Client) -> int:
    return (await nc.jetstream().stream_info(STREAM)).state.last_seq


async def rebuild(
    nc: Client,
    projection: str | Projection,
    path: Path | str,
    upto: int | None = None,
    progress: Progress | None = None,
    *,
    sites: SiteDirectory | None = None,
    batch: int = BATCH,
    clock: Clock | None = None,
    worker: bool | None = None,
) -> Rebuilt:
    """Build `projection` from the first message of DESK into a fresh view at `path` (whatever
    was there is deleted first).

    Reads up to stream sequence `upto`, by default the stream's last sequence when the rebuild
    starts: what arrives later is for the live inbox. `sites` must be the reporting service's
    site directory (a projection may count in a site's timezone). `progress` is called after
    every batch. The file is closed, with no write-ahead log, when this returns. `clock`
    stamps the events parked on the way (default: the system's). `worker`: whether the
    batches are applied in a worker process while the next are read (default: for a stream of
    `IN_WORKER_FROM` messages or more).
    """
    if isinstance(projection, str):
        projection = projection_named(projection)
    path = Path(path)
    target = await last_sequence(nc)
    if upto is not None:
        if upto > target:
            raise AheadOfStream(
                f"the view is at position {upto} but DESK ends at sequence {target}: the stream "
                f"was recreated or restored after the view was built; rebuild the view with "
                f"`propdesk replay {projection.name}`"
            )
        target = upto
    remove_database(path)
    started = time.perf_counter()
    sites, clock = sites or SiteDirectory(), clock or SystemClock()
    built = False
    try:
        if progress is not None:
            progress(0, target)
        reached = (lambda seq: progress(seq, target)) if progress is not None else _ignore
        read = [0]  # messages read so far
        batches = _read(nc, target, batch, read)
        if _in_worker(projection, target, sites, clock, worker):
            checksum, position = await apply_in_worker(
                projection.name, path, sites, clock, batches, reached
            )
        else:
            checksum, position = await _apply_here(projection, path, sites, clock, batches, reached)
        built = True
    finally:
        if not built:  # half a view is no view, and on a full disk it keeps the disk full
            remove_database(path)
    await asyncio.to_thread(fsync_path, path)
    return Rebuilt(read[0], time.perf_counter() - started, checksum, position)


def open_fresh(projection: Projection, path: str, sites: SiteDirectory) -> View:
    """The view of `projection` at `path` (a fresh file), set up to be rebuilt."""
    view = projection.open(path, sites)
    pragma(view, "synchronous=OFF")
    view.bulk()  # what the view derives from whole tables, once at the end
    return view


def _in_worker(
    projection: Projection, target: int, sites: SiteDirectory, clock: Clock, worker: bool | None
) -> bool:
    """Whether to apply in a worker process (ops/replay_worker.py): asked, or by default when
    DESK holds enough to pay for starting it (about half a second) and the worker can open the
    projection by its name with the same sites and clock."""
    if worker is False or PROJECTIONS.get(projection.name) is not projection:
        return False
    if worker is None and target < IN_WORKER_FROM:
        return False
    try:
        pickle.dumps((sites, clock))
    except Exception:
        return False
    return True


async def _apply_here(
    projection: Projection,
    path: Path,
    sites: SiteDirectory,
    clock: Clock,
    batches: AsyncIterator[list[tuple[int, bytes, str]]],
    applied: Callable[[int], None],
) -> tuple[str, int]:
    """Apply `batches` in this process, each in a worker thread while the event loop waits; the
    finished view's checksum and position."""
    view = await asyncio.to_thread(open_fresh, projection, str(path), sites)
    try:
        feed = _Feed(view, projection.durable, clock)
        async for raw in batches:
            await asyncio.to_thread(_apply, feed, raw)
            applied(raw[-1][0])
        await asyncio.to_thread(view.finish)
        checksum = await asyncio.to_thread(view.checksum)
        position = await asyncio.to_thread(view.position)
    finally:
        await asyncio.to_thread(settle, view)
    return checksum, position


def _ignore(_: int) -> None:
    pass


class _Feed:
    """A view being rebuilt, and where it parks what it cannot apply (as the live inbox)."""

    def __init__(self, view: View, consumer: str, clock: Clock) -> None:
        self.view, self.consumer, self.clock = view, consumer, clock

    def apply(self, deliveries: list[Any]) -> None:
        self.view.apply(deliveries)

    def park(self, delivery: Any, error: str, attempts: int) -> bool:
        return self.view.park(self.consumer, delivery, error, attempts, self.clock.now())


def _apply(feed: _Feed, raw: list[tuple[int, bytes, str]]) -> None:
    deliveries = [decode(seq, data, subject) for seq, data, subject in raw]
    apply_or_park(deliveries, feed.apply, feed.park, pause=0)


async def _read(
    nc: Client, target: int, batch: int, read: list[int]
) -> AsyncIterator[list[tuple[int, bytes, str]]]:
    """DESK from sequence 1 to `target`, as batches of (sequence, data, subject); counted in
    `read[0]`."""
    async for stored in read_stream(nc, STREAM, target, batch=batch):
        read[0] += len(stored)
        yield [(m.seq, m.data, m.subject) for m in stored]
