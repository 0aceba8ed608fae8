"""Re-encrypting a store with its ring's current key in one transaction (`propdesk keys rotate`),
and counting which key encrypts how many of its records (`propdesk keys status`).

eventsourcing never changes a stored event, by design, so this reaches under it, to the events and
snapshots tables of SQLite or PostgreSQL, and changes only each record's encrypted bytes: ids,
versions, topics and notification ids stay, and with them every position kept in the store."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import Environment

from shared.eventstore.keyring import KeyRingCipher, record_key

PAGE = 1000


@dataclass
class Census:
    """Records per key id (None: plaintext written before the store was encrypted)."""

    events: Counter[str | None] = field(default_factory=Counter)
    snapshots: Counter[str | None] = field(default_factory=Counter)

    def key_ids(self) -> set[str | None]:
        return set(self.events) | set(self.snapshots)


class _Tables:
    """Paged reads and updates of a table's (originator_id, originator_version, state)."""

    def __init__(self, recorders: list[Any]) -> None:
        self.names = [r.events_table_name for r in recorders]
        self.datastore = recorders[0].datastore
        self.sqlite = isinstance(self.datastore, SQLiteDatastore)
        if self.sqlite:
            self.mark = "?"
        else:  # PostgreSQL: psycopg's placeholders, and the service's schema
            self.mark = "%s"
            self.names = [f'"{self.datastore.schema}"."{name}"' for name in self.names]

    def rows(self, cursor: Any, table: str) -> Iterator[tuple[Any, int, bytes]]:
        after: tuple[Any, int] | None = None
        m = self.mark
        while True:
            where = (
                "" if after is None else f"WHERE (originator_id, originator_version) > ({m}, {m})"
            )
            cursor.execute(
                f"SELECT originator_id, originator_version, state FROM {table} {where} "
                f"ORDER BY originator_id, originator_version LIMIT {PAGE}",
                after or (),
            )
            page = [
                (r["originator_id"], r["originator_version"], bytes(r["state"]))
                for r in cursor.fetchall()
            ]
            yield from page
            if len(page) < PAGE:
                return
            after = page[-1][:2]

    def update(self, cursor: Any, table: str, oid: Any, version: int, state: bytes) -> None:
        m = self.mark
        cursor.execute(
            f"UPDATE {table} SET state = {m} "
            f"WHERE originator_id = {m} AND originator_version = {m}",
            (state, oid, version),
        )


def _of(app: Application[Any]) -> _Tables:
    return _Tables([app.recorder] + ([app.snapshots.recorder] if app.snapshots else []))


def census(name: str, env: dict[str, str]) -> Census:
    """The records of a store by key, read as they are stored: no key needed, nothing locked."""
    factory = InfrastructureFactory.construct(Environment(name, env))
    try:
        tables = _Tables([factory.application_recorder(), factory.aggregate_recorder("snapshots")])
        counts = Census()
        with tables.datastore.transaction(commit=False) as cursor:
            for table, counter in zip(tables.names, (counts.events, counts.snapshots), strict=True):
                counter.update(record_key(state) for _, _, state in tables.rows(cursor, table))
        return counts
    finally:
        factory.close()


def reencrypt(app: Application[Any]) -> Census:
    """Every record not yet under the ring's current key, re-encrypted with it in one
    transaction; then, for SQLite, the file rewritten so no page keeps the old bytes. The records
    changed, by the key they had."""
    cipher = app.mapper.cipher
    if not isinstance(cipher, KeyRingCipher):
        raise TypeError(f"{app.name}'s store has no key ring")
    tables = _of(app)
    changed = Census()
    with tables.datastore.transaction(commit=True) as cursor:
        if not tables.sqlite:  # no writer meanwhile (an intake still running elsewhere)
            cursor.execute(f"LOCK TABLE {', '.join(tables.names)} IN EXCLUSIVE MODE")
        for name, counter in zip(tables.names, (changed.events, changed.snapshots), strict=False):
            # a page is read whole before it is changed, and pages follow the primary key
            for oid, version, state in tables.rows(cursor, name):
                key = record_key(state)
                if key != cipher.current_id:
                    counter[key] += 1
                    fresh = cipher.encrypt(cipher.decrypt(state))
                    tables.update(cursor, name, oid, version, fresh)
    if tables.sqlite:
        with tables.datastore.get_connection(commit=True) as connection:
            cursor = connection.cursor()
            cursor.execute("VACUUM")  # the file anew: no free page keeps a plaintext or old record
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # and nothing stays in the WAL
    return changed
