"""What the notification channel has been given and what it has sent, in SQLite beside
escalation's store (`escalation-notify.sqlite3`, under the store's lock): one row per
notification, one per delivery (notification, attempt, route). A delivery is marked `sending`
before it leaves and `sent` after, so each attempt goes to each route once; a crash between the
two leaves `sending`, and the one send that follows carries the same idempotency key."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from shared.contracts.escalation_events import Notification

_TABLES = (
    "CREATE TABLE IF NOT EXISTS notices (notification_id TEXT PRIMARY KEY, site TEXT NOT NULL, "
    "notice TEXT NOT NULL, attempt INTEGER NOT NULL DEFAULT 0, sent_at TEXT, "
    "acknowledged INTEGER NOT NULL DEFAULT 0, closed INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX IF NOT EXISTS open_notices ON notices (closed, notification_id)",
    "CREATE TABLE IF NOT EXISTS deliveries (notification_id TEXT NOT NULL, "
    "attempt INTEGER NOT NULL, target TEXT NOT NULL, state TEXT NOT NULL, tries INTEGER NOT NULL, "
    "at TEXT NOT NULL, error TEXT, PRIMARY KEY (notification_id, attempt, target))",
)


@dataclass(frozen=True)
class Tracked:
    notice: Notification
    attempt: int  # the last attempt begun (0: none yet)
    sent_at: datetime | None  # when it was begun


@dataclass(frozen=True)
class Delivered:
    state: str  # sending, sent, failed, given_up
    tries: int
    at: datetime


class Tracking:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        for sql in _TABLES:
            self._db.execute(sql)

    def close(self) -> None:
        self._db.close()

    def add(self, notice: Notification) -> bool:
        """A notification raised; False when it was given before (a republish)."""
        with self._lock:
            done = self._db.execute(
                "INSERT OR IGNORE INTO notices (notification_id, site, notice) VALUES (?, ?, ?)",
                (str(notice.notification_id), notice.site, notice.model_dump_json()),
            )
        return done.rowcount == 1

    def acknowledge(self, notification_id: str) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE notices SET acknowledged = 1, closed = 1 WHERE notification_id = ?",
                (notification_id,),
            )

    def close_notice(self, notification_id: str) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE notices SET closed = 1 WHERE notification_id = ?", (notification_id,)
            )

    def open(self) -> list[Tracked]:
        with self._lock:
            rows = self._db.execute(
                "SELECT notice, attempt, sent_at FROM notices WHERE closed = 0 ORDER BY rowid"
            ).fetchall()
        return [Tracked(Notification.model_validate_json(n), a, _time(s)) for n, a, s in rows]

    def begin(self, notification_id: str, attempt: int, at: datetime) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE notices SET attempt = ?, sent_at = ? WHERE notification_id = ?",
                (attempt, at.isoformat(), notification_id),
            )

    def delivery(self, notification_id: str, attempt: int, target: str) -> Delivered | None:
        with self._lock:
            row = self._db.execute(
                "SELECT state, tries, at FROM deliveries WHERE notification_id = ? AND "
                "attempt = ? AND target = ?",
                (notification_id, attempt, target),
            ).fetchone()
        return Delivered(row[0], row[1], datetime.fromisoformat(row[2])) if row else None

    def mark(self, notification_id: str, attempt: int, target: str, state: str, at: datetime,
             error: str | None = None) -> None:  # fmt: skip
        """Record a delivery's state; `sending` counts one more try."""
        with self._lock:
            self._db.execute(
                "INSERT INTO deliveries (notification_id, attempt, target, state, tries, at, "
                "error) VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO UPDATE SET "
                "state = excluded.state, at = excluded.at, error = excluded.error, "
                "tries = tries + (excluded.state = 'sending')",
                (notification_id, attempt, target, state, at.isoformat(), error),
            )

    def deliveries(self, notification_id: str) -> list[tuple[int, str, str, int]]:
        """(attempt, target, state, tries) of one notification, in order: for ops and tests."""
        with self._lock:
            return self._db.execute(
                "SELECT attempt, target, state, tries FROM deliveries WHERE notification_id = ? "
                "ORDER BY attempt, target",
                (notification_id,),
            ).fetchall()


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
