"""When each ticket's board next needs a decision: an index kept from the escalation store.

A projection of the escalation application's own notification log, with its position, in one
SQLite transaction (the view mechanism every projection uses): after a crash it catches up from
where it stood. `due(now)` reads the rows due by `now` through an index on the time, so checking
what is due costs time in proportion to what is due, not to how many clocks are open.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Notification
from eventsourcing.sqlite import SQLiteCursor
from eventsourcing.utils import resolve_topic

from services.escalation.domain.boards import BOARD_EVENTS
from shared.eventstore.views import SQLiteView

LOG = "escalation"  # the tracking name: the escalation store's notification log


class Followed(Protocol):
    """What the schedule follows: a store's notification log, and when a board is next due."""

    recorder: ApplicationRecorder

    def next_due(self, board_id: UUID) -> datetime | None: ...


def is_board_event(topic: str) -> bool:
    """Whether a stored event's topic names an event of a board (domain/boards.py: a ticket's
    `TicketClocks`, old topics included, an emergency event's `IncidentWatch`, a violation
    case's `CaseDeadlines`, a promise's `PromiseWatch`, a maintenance notice's `NoticeWatch`)."""
    event_class = resolve_topic(topic)
    return isinstance(event_class, type) and issubclass(event_class, BOARD_EVENTS)


@dataclass(frozen=True)
class Dues:
    """When some boards are next due, as of one notification of the log (its id is `seq`)."""

    seq: int
    rows: list[tuple[UUID, datetime | None]]


class Schedule(SQLiteView):
    """The due boards and the log position they reflect, on the one view mechanism
    (shared/eventstore/views.py): a batch already applied is skipped, rows and position are
    written in one transaction."""

    STREAM = LOG
    TABLES = (
        "CREATE TABLE IF NOT EXISTS due (board_id TEXT PRIMARY KEY, due_at REAL NOT NULL)",
        "CREATE INDEX IF NOT EXISTS due_by_time ON due (due_at)",
    )
    CHECKED = (("due", "board_id"),)
    # Derived from escalation's store, which commits with its fsync first: a power loss that
    # takes the schedule's last commits makes it read the store again from its position, and a
    # due time whose correction (`set_due`) was lost is found due early, decides nothing and is
    # set right by the tick. An fsync a commit was ~0.1 ms of CPU, one or two commits a contact.
    PRAGMAS = SQLiteView.DERIVED

    def __init__(self, db_name: str) -> None:
        super().__init__(db_name)
        self.create_table()

    def catch_up(self, app: Followed, batch: int = 500) -> int:
        """Follow the store's notification log; returns how many notifications were followed.
        What the application has just recorded and that follows the position without a gap
        (its `recent`, shared/eventstore/recent.py: every write of the store is the one
        writer's, under its lock) is not read back from the store; otherwise the log is read
        from the position, as ever."""
        recent = getattr(app, "recent", None)
        followed = 0
        while recent is not None and (kept := recent.after(self.position(), batch)):
            self._index(app, [r.notification for r in kept])
            followed += len(kept)
        if followed:
            return followed
        while True:
            notifications = app.recorder.select_notifications(self.position() + 1, batch)
            if not notifications:
                return followed
            self._index(app, notifications)
            followed += len(notifications)

    def _index(self, app: Followed, notifications: Sequence[Notification]) -> None:
        boards = {UUID(str(n.originator_id)) for n in notifications if is_board_event(n.topic)}
        self.apply([Dues(notifications[-1].id, [(b, app.next_due(b)) for b in boards])])

    def _apply_rows(self, c: SQLiteCursor, deliveries: Sequence[Any]) -> None:
        for dues in deliveries:
            for board_id, due_at in dues.rows:
                self._set(c, board_id, due_at)

    def set_due(self, rows: Iterable[tuple[UUID, datetime | None]]) -> None:
        """Boards whose due time a decision changed (the log's position is not theirs to move)."""
        with self.datastore.transaction(commit=True) as c:
            for board_id, due_at in rows:
                self._set(c, board_id, due_at)

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
