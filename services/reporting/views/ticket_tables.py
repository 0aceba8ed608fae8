"""The ticket view's tables (views/tickets.py applies the projections and answers the queries):
what each holds, and how a batch reads and writes their rows, with shared.eventstore.views'
`Batch`: each row it touches is read once, changed in memory by every event of the batch and
written once, with the insert-only history rows, at the end."""

from __future__ import annotations

import json
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from services.reporting.projections.service_levels import SERVICE_LEVELS
from services.reporting.projections.tickets import TICKETS
from services.reporting.projections.work_orders import WORK_ORDERS
from services.reporting.views import violation_rows
from services.reporting.views.parked import PARKED_TABLE
from shared.eventstore.views import Batch, Rows, Step
from shared.eventstore.views import dump as _dump

TABLES = (
    "CREATE TABLE IF NOT EXISTS tickets ("
    "ticket_id TEXT PRIMARY KEY, site TEXT NOT NULL, status TEXT NOT NULL, "
    "kind TEXT NOT NULL, ticket_no TEXT NOT NULL, seq INTEGER NOT NULL, "
    "version INTEGER NOT NULL, state TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS tickets_by_no ON tickets (site, ticket_no)",
    "CREATE INDEX IF NOT EXISTS tickets_by_site ON tickets (site, seq)",
    "CREATE INDEX IF NOT EXISTS tickets_by_status ON tickets (site, status, seq)",
    "CREATE TABLE IF NOT EXISTS work_orders ("
    "work_order_id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, site TEXT NOT NULL, "
    "order_no TEXT NOT NULL, version INTEGER NOT NULL, state TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS orders_by_ticket ON work_orders (ticket_id)",
    "CREATE INDEX IF NOT EXISTS orders_by_no ON work_orders (site, order_no)",
    "CREATE TABLE IF NOT EXISTS order_history ("
    "work_order_id TEXT NOT NULL, version INTEGER NOT NULL, entry TEXT NOT NULL, "
    "PRIMARY KEY (work_order_id, version))",
    "CREATE TABLE IF NOT EXISTS ticket_sla (ticket_id TEXT PRIMARY KEY, state TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS ticket_history ("
    "ticket_id TEXT NOT NULL, version INTEGER NOT NULL, seq INTEGER NOT NULL, "
    "entry TEXT NOT NULL, PRIMARY KEY (ticket_id, version))",
    # every escalation event applied to ticket_sla, as published: ticket.get's as_of
    "CREATE TABLE IF NOT EXISTS ticket_sla_events ("
    "ticket_id TEXT NOT NULL, seq INTEGER NOT NULL, envelope TEXT NOT NULL, "
    "PRIMARY KEY (ticket_id, seq))",
    # the notifications to roles, and who acknowledged them: notice.list
    "CREATE TABLE IF NOT EXISTS notices ("
    "notification_id TEXT PRIMARY KEY, site TEXT NOT NULL, role TEXT NOT NULL, "
    "seq INTEGER NOT NULL, notice TEXT NOT NULL, acknowledged_at TEXT, "
    "acknowledged_by TEXT, note TEXT)",
    "CREATE INDEX IF NOT EXISTS notices_by_site ON notices (site, seq)",
    "CREATE INDEX IF NOT EXISTS notices_by_role ON notices (site, role, seq)",
    "CREATE TABLE IF NOT EXISTS view_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    PARKED_TABLE,
    *violation_rows.TABLES,
)

# The tables of the view and their keys, in the order the checksum reads them.
CHECKED = (
    ("tickets", "ticket_id"),
    ("ticket_history", "ticket_id, version"),
    ("work_orders", "work_order_id"),
    ("order_history", "work_order_id, version"),
    ("ticket_sla", "ticket_id"),
    ("ticket_sla_events", "ticket_id, seq"),
    ("notices", "notification_id"),
    ("view_meta", "key"),
    *violation_rows.CHECKED,
)

Row = dict[str, Any]  # a row's columns, its `state` decoded


def _load(sql: str) -> Callable[[SQLiteCursor, str], Row | None]:
    def load(c: SQLiteCursor, key: str) -> Row | None:
        c.execute(sql, (key,))
        found = c.fetchone()
        return None if found is None else dict(found) | {"state": json.loads(found["state"])}

    return load


def _save(
    sql: str, columns: Callable[[str, Row], tuple[Any, ...]]
) -> Callable[[SQLiteCursor, Rows[Row]], None]:
    def save(c: SQLiteCursor, rows: Rows[Row]) -> None:
        c.executemany(sql, [columns(key, row) for key, row in rows.changed.items()])

    return save


def _versioned(evolve: Step) -> Step:
    """A row that keeps a projection's state, with the site and aggregate version of the last
    event applied to it (its other columns stay as first written)."""

    def step(row: Row | None, event: Any) -> Row | None:
        state = evolve(row["state"] if row else None, event)
        if state is None:
            return None
        changed = {"site": event.site, "version": event.aggregate_version, "state": state}
        return (row or {}) | changed

    return step


# A ticket's and a work order's row: inserted, or its changing columns updated (`site`,
# `ticket_no` and a ticket's `seq` stay as first written).
_TICKETS = (
    _load("SELECT seq, version, state FROM tickets WHERE ticket_id = ?"),
    _save(
        "INSERT INTO tickets (ticket_id, site, status, kind, ticket_no, seq, version, state) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO UPDATE SET "
        "status = excluded.status, kind = excluded.kind, version = excluded.version, "
        "state = excluded.state",
        lambda key, r: (
            key, r["site"], r["state"]["status"], r["state"]["kind"], r["state"]["ticket_no"],
            r["seq"], r["version"], _dump(r["state"]),
        ),
    ),
)  # fmt: skip
_WORK_ORDERS = (
    _load("SELECT version, state FROM work_orders WHERE work_order_id = ?"),
    _save(
        "INSERT INTO work_orders (work_order_id, ticket_id, site, order_no, version, state) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (work_order_id) DO UPDATE SET "
        "version = excluded.version, state = excluded.state",
        lambda key, r: (
            key, r["state"]["ticket_id"], r["site"], r["state"]["order_no"], r["version"],
            _dump(r["state"]),
        ),
    ),
)  # fmt: skip
_VERSION = itemgetter("version")
_TICKET_STEP = _versioned(TICKETS.evolve)
_ORDER_STEP = _versioned(WORK_ORDERS.evolve)


def _load_sla(c: SQLiteCursor, ticket_id: str) -> Any:
    c.execute("SELECT state FROM ticket_sla WHERE ticket_id = ?", (ticket_id,))
    found = c.fetchone()
    return None if found is None else json.loads(found["state"])


def _save_sla(c: SQLiteCursor, rows: Rows[Any]) -> None:
    c.executemany(
        "INSERT INTO ticket_sla (ticket_id, state) VALUES (?, ?) "
        "ON CONFLICT (ticket_id) DO UPDATE SET state = excluded.state",
        [(key, _dump(state)) for key, state in rows.changed.items()],
    )


# the insert-only tables: each event's entry in its ticket's or work order's history
_INSERTS = {
    "ticket_history": "INSERT INTO ticket_history (ticket_id, version, seq, entry) "
    "VALUES (?, ?, ?, ?)",
    "order_history": "INSERT INTO order_history (work_order_id, version, entry) VALUES (?, ?, ?)",
    "ticket_sla_events": "INSERT INTO ticket_sla_events (ticket_id, seq, envelope) "
    "VALUES (?, ?, ?)",
}


def _row(found: Any) -> Row:
    """A `tickets` or `work_orders` row as `_load` makes it (its `state` decoded)."""
    row = dict(found) | {"state": json.loads(found["state"])}
    del row["k"]
    return row


# The rows that are read for every batch, a few hundred keys a query (`preload`): each table's
# key column, the columns `_load` reads, and the row it makes of them.
_PRELOADED: dict[str, tuple[str, str, str, Callable[[Any], Any]]] = {
    "tickets": ("tickets", "ticket_id", "seq, version, state", _row),
    "work_orders": ("work_orders", "work_order_id", "version, state", _row),
    "ticket_sla": ("ticket_sla", "ticket_id", "state", lambda r: json.loads(r["state"])),
}
_ROWS_OF = {
    cls: name
    for name, projector in (
        ("tickets", TICKETS), ("work_orders", WORK_ORDERS), ("ticket_sla", SERVICE_LEVELS)
    )
    for cls in projector.steps
}  # fmt: skip
_CHUNK = 500  # keys a query


def preload(batch: Batch, events: list[Any]) -> None:
    """Read the `tickets`, `work_orders` and `ticket_sla` rows the batch's events touch a few
    hundred keys a query, instead of one query a row (the same rows as `_load` and `_load_sla`:
    a rebuild's batch touches thousands)."""
    keys: dict[str, dict[str, None]] = {name: {} for name in _PRELOADED}
    for event in events:
        name = _ROWS_OF.get(type(event))
        if name is not None:
            keys[name][batch.rows[name].key_of(event)] = None
    for name, wanted in keys.items():
        table, column, columns, row_of = _PRELOADED[name]
        found: dict[str, Any] = dict.fromkeys(wanted)
        ordered = list(wanted)
        for at in range(0, len(ordered), _CHUNK):
            chunk = ordered[at : at + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            batch.c.execute(
                f"SELECT {column} AS k, {columns} FROM {table} WHERE {column} IN ({marks})", chunk
            )
            found.update((r["k"], row_of(r)) for r in batch.c.fetchall())
        batch.rows[name].preload(found)


def batch(c: SQLiteCursor) -> Batch:
    """The rows one `apply` touches: `tickets` and `work_orders` (an event whose version is
    already there changes nothing: republished after the duplicate window), `ticket_sla`."""
    return Batch(
        c,
        {
            "tickets": Rows(c, *_TICKETS, evolve=_TICKET_STEP, version=_VERSION),
            "work_orders": Rows(c, *_WORK_ORDERS, evolve=_ORDER_STEP, version=_VERSION),
            "ticket_sla": Rows.projecting(SERVICE_LEVELS, c, _load_sla, _save_sla),
            "violations": violation_rows.rows(c),
        },
        _INSERTS,
    )
