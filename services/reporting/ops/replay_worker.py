"""The applying half of a large rebuild, in a process of its own (ops/replay.py `rebuild`).

A rebuild reads DESK and decodes and applies what it read. In one interpreter the two take
turns (the GIL: a thread that applies while the event loop reads is slower, docs/PERFORMANCE.md
2026-12-01), which caps a rebuild at 1 / (1/read + 1/apply). Here the rebuild's process reads and
hands each batch, still raw, through a pipe to this worker, which decodes and applies it (the
same `_apply` as in one process, so the same rows) while the next batch is read: on two cores the
rebuild goes at the pace of the slower half. Raw batches are cheap to pass (bytes); the decoded
envelopes would not be, so decoding stays with the view.

The worker is a new interpreter (`python -m` this module; not a fork: the rebuild may run inside
the reporting service, whose threads and open SQLite files a fork would copy; nor
multiprocessing's spawn, which runs the caller's main module again), is given the projection's
name, the file, the sites and the clock on its pipe, opens the fresh file itself, and answers on
its own pipe: `("applied", seq)` after each batch, then `("built", checksum, position)`, or
`("failed", error)`; it closes the file (`settle`) before it answers the last.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import multiprocessing
import os
import pickle
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from shared.kernel.clock import Clock
from shared.kernel.sites import SiteDirectory

GC_YOUNG = 50_000  # net allocations between collections of the young in the worker
AHEAD = 8  # batches read before the worker takes them (2,048 each: ~16 MiB of DESK)

Batch = list[tuple[int, bytes, str]]  # (sequence, data, subject)


class WorkerDied(RuntimeError):
    """The worker process ended without saying how its rebuild ended."""


async def apply_in_worker(
    name: str,
    path: Path,
    sites: SiteDirectory,
    clock: Clock,
    batches: AsyncIterator[Batch],
    applied: Callable[[int], None],
) -> tuple[str, int]:
    """Apply `batches` to a fresh view of projection `name` at `path` in a worker process, while
    the next ones are read; `applied(seq)` after each. The view's checksum and position once it
    is finished and closed; the worker's error if it failed (the file is then left as it is)."""
    take, give = multiprocessing.Pipe(duplex=False)
    hear, tell = multiprocessing.Pipe(duplex=False)
    ends = (take.fileno(), tell.fileno())
    worker = subprocess.Popen(
        [sys.executable, "-m", __name__, *map(str, ends)],
        pass_fds=ends,
        env=os.environ | {"PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
    )
    take.close()
    tell.close()
    feeding = asyncio.create_task(_feed((name, str(path), sites, clock), batches, give))
    hearing = asyncio.create_task(_hear(hear, applied))
    try:
        done, _ = await asyncio.wait({feeding, hearing}, return_when=asyncio.FIRST_EXCEPTION)
        if hearing not in done:
            error = feeding.exception()
            if error is not None and not isinstance(error, OSError):
                raise error  # reading DESK failed (a broken pipe: the worker tells why)
        return await hearing
    finally:
        if worker.poll() is None:
            worker.terminate()  # the rebuild failed or was cancelled here: its file is removed
        await asyncio.to_thread(worker.wait)  # a thread still sending or listening now returns
        feeding.cancel()
        hearing.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.gather(feeding, hearing)
        give.close()
        hear.close()


async def _feed(opening: tuple[Any, ...], batches: AsyncIterator[Batch], give: Connection) -> None:
    """Tell the worker what to open; read batches (up to AHEAD before the worker takes them)
    and pass them on; then None."""
    ahead: asyncio.Queue[Batch | None] = asyncio.Queue(AHEAD)

    async def read() -> None:
        async for batch in batches:
            await ahead.put(batch)
        await ahead.put(None)

    reading = asyncio.create_task(read())
    try:
        await asyncio.to_thread(give.send, opening)  # a large one waits for the worker to start
        while True:
            get = asyncio.ensure_future(ahead.get())
            await asyncio.wait({get, reading}, return_when=asyncio.FIRST_COMPLETED)
            if not get.done():  # reading ended: with an error, or after the None it queued
                get.cancel()
                reading.result()
                get = asyncio.ensure_future(ahead.get())
            batch = await get
            await asyncio.to_thread(give.send_bytes, pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
            if batch is None:
                return
    finally:
        reading.cancel()


async def _hear(hear: Connection, applied: Callable[[int], None]) -> tuple[str, int]:
    while True:
        try:
            message = await asyncio.to_thread(hear.recv)
        except (EOFError, OSError):
            raise WorkerDied("the worker process ended before the view was built") from None
        match message:
            case ("applied", seq):
                applied(seq)
            case ("built", checksum, position):
                return checksum, position
            case ("failed", error):
                raise error


def work(take: Connection, tell: Connection) -> None:
    """The worker process: open the fresh view, apply each batch received until None, finish,
    checksum, close; say how it went."""
    from services.reporting.ops.registry import projection_named  # the view's code: here only
    from services.reporting.ops.replay import _apply, _Feed, open_fresh
    from services.reporting.ops.view_files import settle
    from shared.logging import configure_logging

    configure_logging("auto", "warning")  # what it parks, on stderr as the caller's would be
    try:
        name, path, sites, clock = take.recv()
        projection = projection_named(name)
        view = open_fresh(projection, path, sites)
    except BaseException as exc:
        tell.send(("failed", _sendable(exc)))
        return
    # What the imports made lives as long as the worker: out of the collector's sight, its full
    # collections no longer walk it again and again (about a sixth of the applying time). A
    # batch makes tens of thousands of objects that live until it is written, and few cycles:
    # the young are collected every GC_YOUNG allocations instead of every 700.
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
    outcome: tuple[Any, ...]
    try:
        feed = _Feed(view, projection.durable, clock)
        while (batch := pickle.loads(take.recv_bytes())) is not None:
            _apply(feed, batch)
            tell.send(("applied", batch[-1][0]))
        view.finish()
        outcome = ("built", view.checksum(), view.position())
    except BaseException as exc:
        outcome = ("failed", _sendable(exc))
    finally:
        try:
            settle(view)
        except BaseException as exc:
            outcome = ("failed", _sendable(exc))
    tell.send(outcome)


def _sendable(exc: BaseException) -> BaseException:
    """`exc` if it crosses the pipe as itself, else a RuntimeError that says what it was."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


if __name__ == "__main__":  # started by `apply_in_worker`: the ends of its two pipes
    work(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
