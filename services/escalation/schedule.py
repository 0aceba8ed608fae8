"""When each ticket's board next needs a decision: an index kept from the escalation store.

A projection of the escalation application's own notification log, with its position, in one
SQLite transaction (eventsourcing's tracking recorder): after a crash it catches up from where it
stood. `due(now)` reads the rows due by `now` through an index on the time, so checking what is due
costs time in proportion to what is due, not to how many clocks are open.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder
from eventsourcing.utils import resolve_topic

from services.escalation.domain import Board

LOG = "escalation"  # the tracking name: the escalation store's notification log


class Followed(Protocol):
    """What the schedule follows: a store's notification log, and when a board is next due."""

    recorder: ApplicationRecorder

    def next_due(self, board_id: UUID) -> datetime | None: ...


def is_board_event(topic: str) -> bool:
    """Whether a stored event's topic names an event of a `Board` (old topics included)."""
    event_class = resolve_topic(topic)
    return isinstance(event_class, type) and issubclass(event_class, Board.Event)


class Schedule(SQLiteTrackingRecorder):
    def __init__(self, db_name: str) -> None:
        super().__init__(SQLiteDatastore(db_name=db_name, lock_timeout=10))
        self.create_table()

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS due (board_id TEXT PRIMARY KEY, due_at REAL NOT NULL)",
            "CREATE INDEX IF NOT EXISTS due_by_time ON due (due_at)",
        ]

    def position(self) -> int:
        return self.max_tracking_id(LOG) or 0

    def catch_up(self, app: Followed, batch: int = 500) -> int:
        """Follow the store's notification log; returns how many notifications were read."""
        read = 0
        while True:
            start = self.position() + 1
            notifications = app.recorder.select_notifications(start, batch)
            if not notifications:
                return read
            boards = {n.originator_id for n in notifications if is_board_event(n.topic)}
            self.set_due(
                ((UUID(str(b)), app.next_due(UUID(str(b)))) for b in boards),
                Tracking(LOG, notifications[-1].id),
            )
            read += len(notifications)

    def set_due(
        self, rows: Iterable[tuple[UUID, datetime | None]], tracking: Tracking | None = None
    ) -> None:
        with self.datastore.transaction(commit=True) as c:
            for board_id, due_at in rows:
                self._set(c, board_id, due_at)
            if tracking is not None:
                self._insert_tracking(c, tracking)

    @staticmethod
    def _set(c: SQLiteCursor, board_id: UUID, due_at: datetime | None) -> None:
        if due_at is None:
            c.execute("DELETE FROM due WHERE board_id = ?", (str(board_id),))
            return
        c.execute(
            "INSERT INTO due (board_id, due_at) VALUES (?, ?) "
            "ON CONFLICT (board_id) DO UPDATE SET due_at = excluded.due_at",
            (str(board_id), due_at.timestamp()),
        )

    def due(self, now: datetime, limit: int = 256) -> list[UUID]:
        """Boards with a decision due by `now`, earliest first."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT board_id FROM due WHERE due_at <= ? ORDER BY due_at LIMIT ?",
                (now.timestamp(), limit),
            )
            return [UUID(row["board_id"]) for row in c.fetchall()]

    def next_due(self) -> datetime | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT MIN(due_at) AS at FROM due")
            row = c.fetchone()
        at = row["at"] if row else None
        return None if at is None else datetime.fromtimestamp(at, tz=UTC)

    def open_count(self) -> int:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT COUNT(*) AS n FROM due")
            return int(c.fetchone()["n"])

    def close(self) -> None:
        self.datastore.close()
