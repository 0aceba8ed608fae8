"""What reporting takes for a corrupt view file, and what it does not: only SQLite's own verdict
(SQLITE_CORRUPT, SQLITE_NOTADB, or a quick_check that finds something) throws a view away."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from eventsourcing.persistence import DatabaseError, OperationalError

from services.reporting.ops import corruption


def _error(sql: str, db: sqlite3.Connection) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as caught:
        db.execute(sql)
    return caught.value


def test_a_file_that_is_not_a_database_is_corrupt_also_when_wrapped(tmp_path: Path) -> None:
    path = tmp_path / "view.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    error = _error("SELECT * FROM sqlite_master", sqlite3.connect(path))
    wrapped = DatabaseError(error)  # as eventsourcing raises it
    wrapped.__cause__ = error

    assert corruption.is_corruption(error)
    assert corruption.is_corruption(wrapped)
    assert corruption.check(path) is not None


def test_a_locked_database_or_a_missing_table_is_not_corruption(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "view.sqlite3")
    missing = _error("SELECT * FROM nowhere", db)
    wrapped = OperationalError(missing)
    wrapped.__cause__ = missing

    assert not corruption.is_corruption(missing)
    assert not corruption.is_corruption(wrapped)
    assert not corruption.is_corruption(ValueError("a bad event"))


def test_a_sound_file_or_no_file_checks_and_a_corrupt_one_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "view.sqlite3"
    assert corruption.check(path) is None  # nothing yet: a fresh view is made
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)")
        db.executemany("INSERT INTO t VALUES (?, ?)", [(n, "x" * 500) for n in range(500)])
    assert corruption.check(path) is None
    with open(path, "r+b") as f:  # a page in the middle overwritten
        f.seek(path.stat().st_size // 2 // 4096 * 4096)
        f.write(b"\xff" * 4096)

    assert corruption.check(path) is not None
    aside = corruption.set_aside(path)
    assert not path.exists() and aside.name == "view.sqlite3.corrupt"
