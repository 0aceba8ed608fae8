"""Replay: rebuild a projection's view from DESK into a fresh file, and put a rebuilt file in place.

Used by `propdesk replay` and `propdesk verify`, by the reporting service's switch, by the tests
and by `bench/replay.py`. Knows NATS (nats-py), not FastStream.

How a rebuild goes fast (docs/PERFORMANCE.md, "replay"):

- DESK is read with batched direct gets (shared/messaging/reader.py), 2,048 messages a request: no
  consumer is created (ops may create none), one wait a batch: a rebuild runs at the rate it
  had with the pull consumer used before.
- Each batch is decoded and applied in a worker thread, in one transaction, by the view's own
  `apply` (the same code as the live inbox, so the rows are the same); an event it cannot
  apply is parked in the rebuilt view, as the live inbox parks it (shared/messaging/parking.py).
  Batches are not read while one is applied: on two cores, reading alongside stalls the
  applying thread on the GIL and the whole is slower.
- The rebuild file is written with `PRAGMA synchronous=OFF`: no fsync per commit, since nobody
  reads the file yet and a crash only loses the rebuild. At the end it is checkpointed with
  `synchronous=FULL`, closed (which removes its write-ahead log) and fsynced, so the one file
  holds everything before it is moved into place.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import sqlite3
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from nats.aio.client import Client

from services.reporting.ops.registry import Projection, View, projection_named
from shared.eventstore.files import fsync_path
from shared.kernel.clock import Clock, SystemClock
from shared.kernel.sites import SiteDirectory
from shared.messaging.inbox import decode
from shared.messaging.parking import settle as apply_or_park
from shared.messaging.reader import read_stream
from shared.messaging.subjects import STREAM

BATCH = 2048
SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's companions of a database file

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
) -> Rebuilt:
    """Build `projection` from the first message of DESK into a fresh view at `path` (whatever
    was there is deleted first).

    Reads up to stream sequence `upto`, by default the stream's last sequence when the rebuild
    starts: what arrives later is for the live inbox. `sites` must be the reporting service's
    site directory (a projection may count in a site's timezone). `progress` is called after
    every batch. The file is closed, with no write-ahead log, when this returns. `clock`
    stamps the events parked on the way (default: the system's).
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
    view = await asyncio.to_thread(projection.open, str(path), sites or SiteDirectory())
    feed = _Feed(view, projection.durable, clock or SystemClock())
    built = False
    try:
        await asyncio.to_thread(_pragma, view, "synchronous=OFF")
        events = 0
        if progress is not None:
            progress(0, target)
        async for raw in _read(nc, target, batch):
            events += len(raw)
            await asyncio.to_thread(_apply, feed, raw)
            if progress is not None:
                progress(raw[-1][0], target)
        checksum = await asyncio.to_thread(view.checksum)
        position = await asyncio.to_thread(view.position)
        built = True
    finally:
        await asyncio.to_thread(settle, view)
        if not built:  # half a view is no view, and on a full disk it keeps the disk full
            remove_database(path)
    await asyncio.to_thread(fsync_path, path)
    return Rebuilt(events, time.perf_counter() - started, checksum, position)


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


async def _read(nc: Client, target: int, batch: int) -> AsyncIterator[list[tuple[int, bytes, str]]]:
    """DESK from sequence 1 to `target`, as batches of (sequence, data, subject)."""
    async for stored in read_stream(nc, STREAM, target, batch=batch):
        yield [(m.seq, m.data, m.subject) for m in stored]


# -- the file ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _connection(view: View) -> Iterator[Any]:
    """The connection of a view built on eventsourcing's SQLite datastore (both of ours are), or
    None. A rebuild is the file's only user, one call at a time, so the datastore's pool holds
    the one connection that every call reuses."""
    datastore = getattr(view, "datastore", None)
    if datastore is None or not hasattr(datastore, "get_connection"):
        yield None
        return
    with datastore.get_connection(commit=True) as conn:
        yield conn


def _pragma(view: View, *pragmas: str) -> None:
    with _connection(view) as conn:
        if conn is not None:
            cursor = conn.cursor()
            for pragma in pragmas:
                cursor.execute(f"PRAGMA {pragma}")


def settle(view: View) -> None:
    """Write everything into the main file (synchronously) and close the view: closing the last
    connection removes the write-ahead log."""
    _pragma(view, "synchronous=FULL", "wal_checkpoint(TRUNCATE)")
    view.close()


def _companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in SIDE_FILES]


def remove_database(path: Path) -> None:
    """Delete a SQLite file and its companions (write-ahead log, shared memory, journal)."""
    for p in (path, *_companions(path)):
        p.unlink(missing_ok=True)


def _has_log(path: Path) -> bool:
    """Whether the SQLite file has a non-empty write-ahead log: open, or not closed."""
    wal = path.with_name(path.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def tables_of(path: Path) -> set[str]:
    """The tables of the SQLite file at `path`, read without writing to it (or creating it)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


@functools.cache
def view_tables(projection: Projection) -> frozenset[str]:
    """The tables a view of `projection` has: those of a fresh one."""
    with tempfile.TemporaryDirectory(prefix="propdesk-tables-") as tmp:
        path = Path(tmp) / projection.file
        projection.open(str(path), SiteDirectory()).close()
        return frozenset(tables_of(path))


def check_view_file(projection: Projection, path: Path) -> None:
    """Refuse (ValueError) a file that is not a closed view of `projection`, without changing
    it: it must be a SQLite file with exactly that projection's tables and no write-ahead log
    (a log means a process still has it open, or it was not closed)."""
    if path.is_symlink() or not path.is_file():
        raise ValueError(f"{path} is not a regular file")
    if _has_log(path):
        raise ValueError(f"{path} has a write-ahead log: it is open, or was not closed")
    try:
        found = tables_of(path)
    except sqlite3.Error as exc:
        raise ValueError(f"{path} is not a SQLite file ({exc})") from None
    expected = view_tables(projection)
    if found != expected:
        missing, extra = sorted(expected - found), sorted(found - expected)
        raise ValueError(
            f"{path} is not a {projection.name} view (missing tables: {missing or 'none'}; "
            f"tables of something else: {extra or 'none'})"
        )


def install(rebuilt: Path, live: Path) -> None:
    """Put the rebuilt file in the place of the live view's, atomically. Both must be closed.

    The live file's write-ahead log and shared memory go first: SQLite would read a stale log as
    part of the new file. A rebuilt file that still has a log was not closed: refused.
    """
    if _has_log(rebuilt):
        raise ValueError(f"{rebuilt} has a write-ahead log: it is open, or was not closed")
    for p in (*_companions(live), *_companions(rebuilt)):
        p.unlink(missing_ok=True)
    os.replace(rebuilt, live)
    fd = os.open(live.parent, os.O_RDONLY)  # and the rename itself reaches the disk
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
