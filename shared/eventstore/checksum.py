"""A view's checksum (`SQLiteView.checksum`): sha256 of each checked table's name and a newline,
then each of its rows in the order of its key as json.dumps(list(row), ensure_ascii=False) and a
newline. Every version of the code digests the rows so (`propdesk verify` compares a live view's
checksum with a rebuild's, tests/unit/test_view_batches.py computes it the plain way).

SQLite writes each row's line itself: `json_quote` of each column, joined as json.dumps joins a
list, handed over as bytes. The rows are not turned into Python values to be encoded again and
re-encoded as UTF-8, which was most of a rebuild's checksum (docs/PERFORMANCE.md, session 5).
`json_quote` writes text (the same escapes), integers and NULL as json.dumps does; a REAL it writes
with 15 significant digits where Python writes the shortest repr, so a row holding one is read
and encoded in Python (tests/unit/test_view_checksum.py holds the two ways to each other).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from typing import Any

ROWS = 1000  # read and digested at a time: a million rows need not sit in memory

_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def checksum(connection: sqlite3.Connection, checked: Sequence[tuple[str, str]]) -> str:
    """The digest of the `checked` tables, each (table, its key's columns to order it by)."""
    digest = hashlib.sha256()
    for table, order in checked:
        digest.update(f"{table}\n".encode())
        columns = [r[1] for r in connection.execute(f"PRAGMA table_info({table})")]
        if _without_rowid(connection, table):
            _digest_in_python(digest, connection.execute(f"SELECT * FROM {table} ORDER BY {order}"))
            continue
        rows = connection.execute(f"SELECT {_line(columns)}, rowid FROM {table} ORDER BY {order}")
        while lines := rows.fetchmany(ROWS):
            digest.update(b"".join([line or _python_line(connection, table, rowid)
                                    for line, rowid in lines]))  # fmt: skip
    return digest.hexdigest()


def row_line(values: Sequence[Any]) -> bytes:
    """One row as the checksum digests it."""
    return (_encode(list(values)) + "\n").encode()


def _line(columns: list[str]) -> str:
    """SQL for a row's line as bytes; NULL when a column holds a REAL."""
    quoted = [f'"{c.replace(chr(34), chr(34) * 2)}"' for c in columns]
    joined = " || ', ' || ".join(f"json_quote({c})" for c in quoted)
    real = " OR ".join(f"typeof({c}) = 'real'" for c in quoted)
    return f"CASE WHEN {real} THEN NULL ELSE CAST('[' || {joined} || ']' || char(10) AS BLOB) END"


def _python_line(connection: sqlite3.Connection, table: str, rowid: int) -> bytes:
    row = connection.execute(f"SELECT * FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
    return row_line(row)


def _digest_in_python(digest: Any, rows: sqlite3.Cursor) -> None:
    while found := rows.fetchmany(ROWS):
        digest.update(b"".join([row_line(r) for r in found]))


def _without_rowid(connection: sqlite3.Connection, table: str) -> bool:
    (sql,) = connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return "WITHOUT ROWID" in sql.upper()
