"""A view's checksum is SQLite's line of each row where it can be, Python's where it cannot: the
digest is json.dumps of each row's columns either way (tests/unit/test_view_batches.py checks it
on a whole ticket view), whatever the values hold."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from shared.eventstore.checksum import checksum

TEXTS = [
    "".join(map(chr, range(0x00, 0x80))),  # every control character, quote and backslash
    "小区垃圾清运不及时, 气味很大 — ‘quoted’ \u2028\u2029 \U0001f600 \ufeff",
    '{"state": "a \\"nested\\" JSON", "n": 1}',
    "",
]
VALUES = [*TEXTS, None, 0, -1, 2**63 - 1, -(2**63), 1.5, 0.1 + 0.2, 1e16, -0.0, 3.0]


def plain(connection: sqlite3.Connection, checked: list[tuple[str, str]]) -> str:
    """The checksum as its first version computed it."""
    digest = hashlib.sha256()
    for table, order in checked:
        digest.update(f"{table}\n".encode())
        for r in connection.execute(f"SELECT * FROM {table} ORDER BY {order}"):
            digest.update(json.dumps(list(r), ensure_ascii=False).encode() + b"\n")
    return digest.hexdigest()


@pytest.mark.parametrize("without_rowid", [False, True])
def test_every_kind_of_value_is_digested_as_json_dumps_digests_it(without_rowid) -> None:
    connection = sqlite3.connect(":memory:")
    suffix = " WITHOUT ROWID" if without_rowid else ""
    connection.execute(f'CREATE TABLE t (k INTEGER PRIMARY KEY, v, "odd ""name""" TEXT){suffix}')
    connection.execute("CREATE TABLE empty (k TEXT PRIMARY KEY)")
    rows = [(k, v, TEXTS[k % len(TEXTS)]) for k, v in enumerate(VALUES)]
    connection.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    checked = [("t", "k"), ("empty", "k")]

    assert checksum(connection, checked) == plain(connection, checked)
    assert {type(v) for (v,) in connection.execute("SELECT v FROM t")} == {
        str,
        int,
        float,
        type(None),
    }
