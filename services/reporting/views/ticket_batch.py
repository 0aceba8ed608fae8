"""How the ticket view writes a batch: each row it touches is read once, changed in memory by
every event of the batch and written once, with the insert-only history rows, at the end
(views/tickets.py applies the projections; this module only stores)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from shared.contracts.envelope import Envelope
from shared.contracts.escalation_events import (
    EscalationNotificationAcknowledgedEvent,
    notification_of,
)
from shared.eventstore.views import dump as _dump

# How each table's row is read into a batch, and written back (insert, or update the row's
# changing columns; `site`, `ticket_no` and a ticket's `seq` stay as first written).
_SELECT = {
    "tickets": "SELECT seq, version, state FROM tickets WHERE ticket_id = ?",
    "work_orders": "SELECT version, state FROM work_orders WHERE work_order_id = ?",
    "ticket_sla": "SELECT state FROM ticket_sla WHERE ticket_id = ?",
}
_UPSERT = {
    "tickets": (
        "INSERT INTO tickets (ticket_id, site, status, kind, ticket_no, seq, version, state) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO UPDATE SET "
        "status = excluded.status, kind = excluded.kind, version = excluded.version, "
        "state = excluded.state"
    ),
    "work_orders": (
        "INSERT INTO work_orders (work_order_id, ticket_id, site, order_no, version, state) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (work_order_id) DO UPDATE SET "
        "version = excluded.version, state = excluded.state"
    ),
    "ticket_sla": (
        "INSERT INTO ticket_sla (ticket_id, state) VALUES (?, ?) "
        "ON CONFLICT (ticket_id) DO UPDATE SET state = excluded.state"
    ),
}
_COLUMNS: dict[str, Callable[[str, dict[str, Any]], tuple[Any, ...]]] = {
    "tickets": lambda key, r: (
        key, r["site"], r["state"]["status"], r["state"]["kind"], r["state"]["ticket_no"],
        r["seq"], r["version"], _dump(r["state"]),
    ),
    "work_orders": lambda key, r: (
        key, r["state"]["ticket_id"], r["site"], r["state"]["order_no"], r["version"],
        _dump(r["state"]),
    ),
    "ticket_sla": lambda key, r: (key, _dump(r["state"])),
}  # fmt: skip
_INSERT = {
    "ticket_history": "INSERT INTO ticket_history (ticket_id, version, seq, entry) "
    "VALUES (?, ?, ?, ?)",
    "order_history": "INSERT INTO order_history (work_order_id, version, entry) VALUES (?, ?, ?)",
    "ticket_sla_events": "INSERT INTO ticket_sla_events (ticket_id, seq, envelope) "
    "VALUES (?, ?, ?)",
}


class Batch:
    """The rows one `apply` touches: each read at most once, changed in memory, written once."""

    def __init__(self, c: SQLiteCursor) -> None:
        self._c = c
        self._rows: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._changed: dict[tuple[str, str], None] = {}  # in the order first changed
        self._added: dict[str, list[tuple[Any, ...]]] = {table: [] for table in _INSERT}

    def row(self, table: str, key: str) -> dict[str, Any] | None:
        """The row's columns of _SELECT, its state decoded; None when there is no row yet."""
        if (table, key) not in self._rows:
            self._c.execute(_SELECT[table], (key,))
            found = self._c.fetchone()
            self._rows[table, key] = (
                None if found is None else dict(found) | {"state": json.loads(found["state"])}
            )
        return self._rows[table, key]

    def put(self, table: str, key: str, row: dict[str, Any]) -> None:
        self._rows[table, key] = row
        self._changed[table, key] = None

    def execute(self, sql: str, params: tuple[Any, ...]) -> None:
        """A write to a table no other step of the batch reads (the notices): at once."""
        self._c.execute(sql, params)

    def add(self, table: str, values: tuple[Any, ...]) -> None:
        """A row of an insert-only (history) table."""
        self._added[table].append(values)

    def write(self) -> None:
        for table, sql in _UPSERT.items():
            params = [
                _COLUMNS[table](key, self._rows[t, key])  # type: ignore[arg-type]
                for t, key in self._changed
                if t == table
            ]
            if params:
                self._c.executemany(sql, params)
        for table, rows in self._added.items():
            if rows:
                self._c.executemany(_INSERT[table], rows)


def apply_notice(batch: Batch, seq: int, event: Envelope) -> None:
    """A notification raised (breach, ladder step, upgrade), or acknowledged."""
    note = notification_of(event)
    if note is not None:
        batch.execute(
            "INSERT OR IGNORE INTO notices (notification_id, site, role, seq, notice) "
            "VALUES (?, ?, ?, ?, ?)",
            (str(note.notification_id), note.site, note.role.value, seq,
             _dump(note.model_dump(mode="json"))),
        )  # fmt: skip
    elif isinstance(event, EscalationNotificationAcknowledgedEvent):
        data: Any = event.data  # type: ignore[attr-defined]
        batch.execute(
            "UPDATE notices SET acknowledged_at = ?, acknowledged_by = ?, note = ? "
            "WHERE notification_id = ? AND acknowledged_at IS NULL",
            (event.occurred_at.isoformat(), event.actor, data.note, str(data.notification_id)),
        )


def next_row(
    batch: Batch, table: str, key: str, event: Envelope, step: Callable[..., Any]
) -> dict[str, Any] | None:
    """The row after `event`, or None when there is nothing to write: the event is not for this
    table, or its version is already here (republished after the duplicate window)."""
    row = batch.row(table, key)
    if row is not None and event.aggregate_version <= row["version"]:
        return None
    state = step(row["state"] if row else None, event)
    if state is None:
        return None
    changed = (row or {}) | {"site": event.site, "version": event.aggregate_version, "state": state}
    batch.put(table, key, changed)
    return changed
