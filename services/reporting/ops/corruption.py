"""How reporting tells a corrupt view file from other trouble, and sets one aside.

A view is disposable (everything in it comes from DESK), so a corrupt one is not repaired in
place: the service moves it aside and rebuilds the view from DESK (ops/repair.py `_repair`).
Corruption is SQLite's own verdict: the error codes SQLITE_CORRUPT ("database disk image is
malformed") and SQLITE_NOTADB ("file is not a database"), or a `PRAGMA quick_check` that finds
something. A locked database, a full disk or a failing NATS are not corruption: those are
retried, never answered by throwing the view away.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from services.reporting.ops.view_files import SIDE_FILES

CORRUPT_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
QUARANTINE = ".corrupt"  # the file set aside keeps this suffix, for whoever wants to look


def is_corruption(exc: BaseException) -> bool:
    """Whether `exc`, or an error it was raised from (eventsourcing wraps SQLite's), says the
    database file is corrupt."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sqlite3.Error):
            code = getattr(current, "sqlite_errorcode", None)
            if code is not None and code & 0xFF in CORRUPT_CODES:
                return True
        current = current.__cause__ or current.__context__
    return False


def check(path: Path) -> str | None:
    """What is wrong with the view file at `path` (None: nothing, or no file yet). Reads every
    page once (`quick_check`): about a second for a few hundred megabytes."""
    if not path.exists():
        return None
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            rows = db.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and not is_corruption(exc):
            raise  # locked, unreadable, no space: not a verdict on the file
        return str(exc)
    found = [str(row[0]) for row in rows if row and row[0] != "ok"]
    return "; ".join(found[:3]) or None


def set_aside(path: Path) -> Path:
    """Move a corrupt view file out of the way (replacing an older one set aside), with its
    write-ahead log and shared memory, which belong to it."""
    aside = path.with_name(path.name + QUARANTINE)
    for suffix in SIDE_FILES:
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    path.replace(aside)
    return aside
