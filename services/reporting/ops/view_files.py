"""A view's SQLite file, as ops handle it: settled and closed after a rebuild, removed with its
companions (write-ahead log, shared memory, journal), checked to be a closed view of a
projection, and put in the place of the live view's file atomically (ops/replay.py,
ops/switch.py, `propdesk replay`)."""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from services.reporting.ops.registry import Projection, View
from shared.kernel.sites import SiteDirectory

SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's companions of a database file


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


def pragma(view: View, *pragmas: str) -> None:
    with _connection(view) as conn:
        if conn is not None:
            cursor = conn.cursor()
            for statement in pragmas:
                cursor.execute(f"PRAGMA {statement}")


def settle(view: View) -> None:
    """Write everything into the main file (synchronously) and close the view: closing the last
    connection removes the write-ahead log."""
    pragma(view, "synchronous=FULL", "wal_checkpoint(TRUNCATE)")
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
