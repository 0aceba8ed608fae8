"""One projection mechanism: a table of pure steps keyed by event class (`Projector`), one
SQLite view base (`SQLiteView`) that applies a batch of stream messages, skips what it already
applied and records the stream position in the same transaction, and what a batch writes
(`Batch`: its `Rows`, each loaded once, changed in memory and saved once, and insert-only rows).

Why not eventsourcing's own `Projection`/`ProjectionRunner`: they pull from an eventsourcing
application's recorder and commit one event (and one tracking row) at a time; our views are fed
from the DESK stream by the inbox (shared/messaging/inbox.py), in batches of up to 2,048 messages,
each
batch one transaction (a rebuild's rate depends on it). So a view keeps eventsourcing's tracking
recorder (`SQLiteTrackingRecorder`: the tracking table, `max_tracking_id`, `_insert_tracking`)
and this module adds the batch on top of it.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import (
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteTrackingRecorder,
)

from shared.contracts.envelope import Envelope
from shared.eventstore.checksum import checksum
from shared.messaging.subjects import STREAM

S = TypeVar("S")
Step = Callable[[Any, Any], Any]  # (state, event) -> the state after it; never mutates `state`


@dataclass(frozen=True, slots=True)
class Projector(Generic[S]):
    """How each published event changes one read model: `steps`, keyed by the envelope class.

    `first` are the events that may find no state (they create it); any other event for a
    state not yet there changes nothing (e.g. a reply to a ticket the view never saw reported).
    Leave `first` empty when every step accepts None. `key` names the state an event changes.
    """

    steps: Mapping[type[Envelope], Step]
    first: frozenset[type[Envelope]] = frozenset()
    key: Callable[[Any], str] = field(default=lambda event: str(event.aggregate_id))

    def __contains__(self, event: object) -> bool:
        return type(event) in self.steps

    def evolve(self, state: S | None, event: Envelope) -> S | None:
        """The state after `event`; None when the event changes nothing here."""
        step = self.steps.get(type(event))
        if step is None or (state is None and self.first and type(event) not in self.first):
            return None
        return step(state, event)

    def fold(self, events: Iterator[Envelope] | Sequence[Envelope]) -> S | None:
        """The state after `events` (an event that changes nothing is skipped)."""
        state: S | None = None
        for event in events:
            state = self.evolve(state, event) or state
        return state


class SQLiteView(SQLiteTrackingRecorder):
    """A read model in one SQLite file: rows and the stream position they reflect.

    Subclasses give `TABLES` (CREATE statements), `CHECKED` (table, ORDER BY) for the checksum
    and `_apply_rows(c, deliveries)` (each delivery has `seq` and `envelope`). `apply` does the
    rest: a redelivered batch is skipped, and rows and position are written in one transaction.
    "Rebuild" is "open an empty file".
    """

    STREAM: str = STREAM  # the tracking row's name: the stream whose sequence it holds
    TABLES: Sequence[str] = ()
    CHECKED: Sequence[tuple[str, str]] = ()
    # What each connection to the file is set to (`PRAGMA …`) as it is opened. A view that is
    # derived, whose rows and position commit together and whose reader starts again from that
    # position, may commit without waiting for the disk: `synchronous=NORMAL` in WAL mode loses
    # nothing when the process dies, and at most the last commits, rows and position together,
    # when the machine does.
    PRAGMAS: ClassVar[Sequence[str]] = ()
    DERIVED: ClassVar[Sequence[str]] = ("synchronous=NORMAL",)  # such a view's PRAGMAS
    # SQL functions each connection has (name -> a deterministic one-argument function): a rule
    # the queries share with the Python code, instead of SQL's nearest built-in
    FUNCTIONS: ClassVar[Mapping[str, Callable[[Any], Any]]] = {}

    def __init__(self, db_name: str, lock_timeout: int = 10) -> None:
        datastore = SQLiteDatastore(db_name=db_name, lock_timeout=lock_timeout)
        if self.PRAGMAS or self.FUNCTIONS:
            datastore.pool = _SetPool(
                self.PRAGMAS, self.FUNCTIONS, db_name=db_name, lock_timeout=lock_timeout
            )
        super().__init__(datastore)

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *self.TABLES]

    def bulk(self) -> None:
        """The view is being rebuilt: rows derived from others may wait for `finish`."""

    def finish(self) -> None:
        """Write what `bulk` let wait (the end of a rebuild, before its checksum)."""

    def tables(self) -> set[str]:
        """The tables the view's file has (before `create_table`: what an older view lacks)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            return {r["name"] for r in c.fetchall()}

    def position(self) -> int:
        """The last stream sequence applied (0 for an empty view)."""
        return self.max_tracking_id(self.STREAM) or 0

    def apply(self, deliveries: Sequence[Any]) -> None:
        """Apply a batch of stream messages and record the last sequence, atomically."""
        with self.datastore.transaction(commit=True) as c:
            done = self._max_tracking_id(self.STREAM, c) or 0
            fresh = [d for d in deliveries if d.seq > done]
            if not fresh:
                return  # a redelivery: already applied
            self._apply_rows(c, fresh)
            self._insert_tracking(c, Tracking(self.STREAM, fresh[-1].seq))

    @abstractmethod
    def _apply_rows(self, c: SQLiteCursor, deliveries: Sequence[Any]) -> None:
        """Write the rows of `deliveries` (each has `seq` and `envelope`) with cursor `c`."""

    def checksum(self) -> str:
        """A digest of every column of every row of `CHECKED`: equal views, equal checksums."""
        with self.datastore.transaction(commit=False) as c:
            return checksum(c.sqlite_cursor.connection, self.CHECKED)

    def close(self) -> None:
        self.datastore.close()


class _SetPool(SQLiteConnectionPool):
    """eventsourcing's pool of SQLite connections, each set with `pragmas` and given
    `functions` once opened."""

    def __init__(
        self, pragmas: Sequence[str], functions: Mapping[str, Callable[[Any], Any]], **options: Any
    ) -> None:
        self._pragmas = tuple(pragmas)
        self._functions = dict(functions)
        super().__init__(**options)

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        cursor = connection.cursor()
        for pragma in self._pragmas:
            cursor.execute(f"PRAGMA {pragma}")
        for name, function in self._functions.items():
            cursor.sqlite_cursor.connection.create_function(name, 1, function, deterministic=True)
        return connection


# json.dumps(value, ensure_ascii=False, sort_keys=True), without building an encoder each call
# nor keeping track of containers already seen (a view's rows hold no cycles)
dump: Callable[[Any], str] = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, check_circular=False
).encode


def aggregate_key(event: Any) -> str:
    return str(event.aggregate_id)


class Rows(Generic[S]):
    """The rows of one kind that a batch touches (a table's rows, or states each spread over a
    few tables), by key: each loaded at most once, changed in memory by every event of the batch
    and saved once at the end (a rebuild's batches hold thousands of events, a few for each
    row): the same rows as applying the events one by one.

    `load(c, key)` reads one row (None: not stored yet); `save(c, rows)` writes `rows.changed`
    (in the order first changed; `rows.loaded` holds them as stored before the batch). To
    `project` events: `evolve(row, event)` is the row after the event (None: it changes
    nothing) and `key(event)` names the row; with `version(row)`, an event whose
    aggregate_version is not past the row's changes nothing (republished after the duplicate
    window).
    """

    def __init__(
        self,
        c: SQLiteCursor,
        load: Callable[[SQLiteCursor, str], S | None],
        save: Callable[[SQLiteCursor, Rows[S]], None],
        *,
        evolve: Callable[[S | None, Any], S | None] | None = None,
        key: Callable[[Any], str] = aggregate_key,
        version: Callable[[S], int] | None = None,
    ) -> None:
        self.c = c
        self._load, self._save = load, save
        self._evolve, self.key, self._version = evolve, key, version
        self.loaded: dict[str, S | None] = {}  # as stored before the batch
        self.changed: dict[str, S] = {}  # after the batch, in the order first changed
        self._now: dict[str, S | None] = {}  # as the batch has them so far
        self._keys: dict[int, str] = {}  # id(event) -> key_of(event), for the batch's events

    @classmethod
    def projecting(
        cls,
        projector: Projector[S],
        c: SQLiteCursor,
        load: Callable[[SQLiteCursor, str], S | None],
        save: Callable[[SQLiteCursor, Rows[S]], None],
    ) -> Rows[S]:
        """Rows that are the states of `projector` (its `evolve` and `key`)."""
        return cls(c, load, save, evolve=projector.evolve, key=projector.key)

    def get(self, key: str) -> S | None:
        """The row as the batch has it so far (None: there is none)."""
        try:
            return self._now[key]
        except KeyError:
            row = self.loaded[key] = self._now[key] = self._load(self.c, key)
            return row

    def preload(self, found: Mapping[str, S | None]) -> None:
        """Rows a batch read at once (`found`: key -> row, None for none stored) instead of
        one `load` each; a key already got keeps what the batch has."""
        for key, row in found.items():
            if key not in self._now:
                self.loaded[key] = self._now[key] = row

    def put(self, key: str, row: S) -> None:
        self.changed[key] = self._now[key] = row

    def key_of(self, event: Any) -> str:
        """`key(event)`, computed once for each event of the batch (a preload, `project` and the
        history rows all ask it, and turning an id into text costs more than the step)."""
        try:
            return self._keys[id(event)]  # the batch holds its events: their ids stay theirs
        except KeyError:
            key = self._keys[id(event)] = self.key(event)
            return key

    def project(self, event: Any) -> S | None:
        """Apply `event` to its row; the new row, or None when it changed nothing."""
        assert self._evolve is not None, "rows without `evolve` are only got and put"
        key = self.key_of(event)
        try:
            row = self._now[key]  # get(key), inline: once for each event of a rebuild
        except KeyError:
            row = self.loaded[key] = self._now[key] = self._load(self.c, key)
        version = self._version
        if version is not None and row is not None and event.aggregate_version <= version(row):
            return None
        new = self._evolve(row, event)
        if new is not None:
            self.changed[key] = self._now[key] = new
        return new

    def save(self) -> None:
        if self.changed:
            self._save(self.c, self)


class Batch:
    """What one `SQLiteView._apply_rows` writes with cursor `c`: `rows` (by name) and rows of
    insert-only tables (`inserts`: table -> its INSERT statement, e.g. a history), all written
    by `write` at the end, in that order."""

    def __init__(
        self,
        c: SQLiteCursor,
        rows: Mapping[str, Rows[Any]],
        inserts: Mapping[str, str] | None = None,
    ) -> None:
        self.c = c
        self.rows = rows
        self._inserts = inserts or {}
        self._added: dict[str, list[tuple[Any, ...]]] = {table: [] for table in self._inserts}

    def add(self, table: str, values: tuple[Any, ...]) -> None:
        """A row of an insert-only table."""
        self._added[table].append(values)

    def write(self) -> None:
        for rows in self.rows.values():
            rows.save()
        for table, values in self._added.items():
            if values:
                self.c.executemany(self._inserts[table], values)
