"""The console's own store (`<data dir>/console/accounts.sqlite3`): each member of staff's
password hash, and the sessions, by the hash of their token. Nothing of it goes on the bus."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime
from pathlib import Path

from services.console.domain.accounts import Session

_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    site TEXT NOT NULL, staff_id TEXT NOT NULL, password_hash TEXT NOT NULL,
    changed_at TEXT NOT NULL, PRIMARY KEY (site, staff_id));
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY, site TEXT NOT NULL, staff_id TEXT NOT NULL, csrf TEXT NOT NULL,
    started_at TEXT NOT NULL, last_seen TEXT NOT NULL, must_change INTEGER NOT NULL);
"""


class AccountStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()  # scrypt runs in threads; one writer at a time
        path.chmod(0o600)

    def close(self) -> None:
        self._db.close()

    def password_hash(self, site: str, staff_id: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT password_hash FROM accounts WHERE site = ? AND staff_id = ?",
                (site, staff_id),
            ).fetchone()
        return row[0] if row else None

    def set_password(self, site: str, staff_id: str, password_hash: str, now: datetime) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO accounts VALUES (?, ?, ?, ?) ON CONFLICT (site, staff_id) "
                "DO UPDATE SET password_hash = excluded.password_hash, "
                "changed_at = excluded.changed_at",
                (site, staff_id, password_hash, now.isoformat()),
            )

    def save_session(self, token_hash: str, session: Session) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    token_hash, session.site, session.staff_id, session.csrf,
                    session.started_at.isoformat(), session.last_seen.isoformat(),
                    int(session.must_change_password),
                ),
            )  # fmt: skip

    def session(self, token_hash: str) -> Session | None:
        with self._lock:
            row = self._db.execute(
                "SELECT site, staff_id, csrf, started_at, last_seen, must_change FROM sessions "
                "WHERE token_hash = ?",
                (token_hash,),
            ).fetchone()
        if row is None:
            return None
        site, staff_id, csrf, started, seen, must_change = row
        return Session(
            site, staff_id, csrf, datetime.fromisoformat(started), datetime.fromisoformat(seen),
            bool(must_change),
        )  # fmt: skip

    def touch(self, token_hash: str, now: datetime) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE sessions SET last_seen = ? WHERE token_hash = ?",
                (now.isoformat(), token_hash),
            )

    def end_session(self, token_hash: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))

    def end_sessions_of(self, site: str, staff_id: str, keep: str) -> None:
        with self._lock:
            self._db.execute(
                "DELETE FROM sessions WHERE site = ? AND staff_id = ? AND token_hash != ?",
                (site, staff_id, keep),
            )

    def forget(self, site: str, staff_id: str) -> bool:
        """The person's password and sessions gone: the first-run password works for them again
        (`propdesk console reset-password`). Whether they had chosen a password."""
        with self._lock:
            gone = self._db.execute(
                "DELETE FROM accounts WHERE site = ? AND staff_id = ?", (site, staff_id)
            ).rowcount
            self._db.execute(
                "DELETE FROM sessions WHERE site = ? AND staff_id = ?", (site, staff_id)
            )
        return bool(gone)
