"""The console's own store (`<data dir>/console/accounts.sqlite3`): each member of staff's
password hash, the sessions by the hash of their token, the one-time password of a reset (its
hash) and the record of resets. Nothing of it goes on the bus. Tables are created if missing, so
a store written before resets existed gains theirs when opened."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from services.console.domain.accounts import Session
from services.console.domain.password_reset import OneTimePassword, PasswordReset

_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    site TEXT NOT NULL, staff_id TEXT NOT NULL, password_hash TEXT NOT NULL,
    changed_at TEXT NOT NULL, PRIMARY KEY (site, staff_id));
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY, site TEXT NOT NULL, staff_id TEXT NOT NULL, csrf TEXT NOT NULL,
    started_at TEXT NOT NULL, last_seen TEXT NOT NULL, must_change INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS one_time_passwords (
    site TEXT NOT NULL, staff_id TEXT NOT NULL, password_hash TEXT NOT NULL,
    expires_at TEXT NOT NULL, used_at TEXT, PRIMARY KEY (site, staff_id));
CREATE TABLE IF NOT EXISTS password_resets (
    site TEXT NOT NULL, staff_id TEXT NOT NULL, reset_by TEXT NOT NULL, reset_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS password_resets_by_site ON password_resets (site, reset_at);
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

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """Several statements as one (the connection otherwise commits each by itself)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def password_hash(self, site: str, staff_id: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT password_hash FROM accounts WHERE site = ? AND staff_id = ?",
                (site, staff_id),
            ).fetchone()
        return row[0] if row else None

    def set_password(self, site: str, staff_id: str, password_hash: str, now: datetime) -> None:
        """The person's own password; a reset's one-time password is spent with it."""
        with self._lock, self._transaction():
            self._db.execute(
                "INSERT INTO accounts VALUES (?, ?, ?, ?) ON CONFLICT (site, staff_id) "
                "DO UPDATE SET password_hash = excluded.password_hash, "
                "changed_at = excluded.changed_at",
                (site, staff_id, password_hash, now.isoformat()),
            )
            self._db.execute(
                "DELETE FROM one_time_passwords WHERE site = ? AND staff_id = ?", (site, staff_id)
            )

    def chosen_passwords(self, site: str) -> set[str]:
        """The staff ids of the site who have chosen a password of their own."""
        with self._lock:
            rows = self._db.execute("SELECT staff_id FROM accounts WHERE site = ?", (site,))
            return {row[0] for row in rows}

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

    def reset(
        self, site: str, staff_id: str, one_time: OneTimePassword, by: str, now: datetime
    ) -> bool:
        """In one transaction: the person's password and sessions gone, `one_time` theirs
        instead, the reset recorded. Whether they had chosen a password."""
        with self._lock, self._transaction():
            had = self._db.execute(
                "DELETE FROM accounts WHERE site = ? AND staff_id = ?", (site, staff_id)
            ).rowcount
            self._db.execute(
                "DELETE FROM sessions WHERE site = ? AND staff_id = ?", (site, staff_id)
            )
            self._db.execute(
                "INSERT OR REPLACE INTO one_time_passwords VALUES (?, ?, ?, ?, NULL)",
                (site, staff_id, one_time.password_hash, one_time.expires_at.isoformat()),
            )
            self._db.execute(
                "INSERT INTO password_resets VALUES (?, ?, ?, ?)",
                (site, staff_id, by, now.isoformat()),
            )
        return bool(had)

    def one_time_password(self, site: str, staff_id: str) -> OneTimePassword | None:
        """The person's reset password, while they have not chosen one: used or not."""
        return self.one_time_passwords(site, staff_id).get(staff_id)

    def one_time_passwords(
        self, site: str, staff_id: str | None = None
    ) -> dict[str, OneTimePassword]:
        """The site's reset passwords not yet replaced by a chosen one (or only `staff_id`'s)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT staff_id, password_hash, expires_at, used_at FROM one_time_passwords "
                "WHERE site = ? AND staff_id = coalesce(?, staff_id)",
                (site, staff_id),
            ).fetchall()
        return {
            staff: OneTimePassword(
                hashed, datetime.fromisoformat(expires),
                datetime.fromisoformat(used) if used else None,
            )
            for staff, hashed, expires, used in rows
        }  # fmt: skip

    def use_one_time_password(
        self, site: str, staff_id: str, password_hash: str, now: datetime
    ) -> bool:
        """Spend it: True for exactly one caller, while it is unused and still this one (a new
        reset between the check and now replaced it)."""
        with self._lock:
            return self._db.execute(
                "UPDATE one_time_passwords SET used_at = ? WHERE site = ? AND staff_id = ? "
                "AND password_hash = ? AND used_at IS NULL",
                (now.isoformat(), site, staff_id, password_hash),
            ).rowcount == 1  # fmt: skip

    def resets(self, site: str, limit: int = 20) -> list[PasswordReset]:
        """The site's latest resets, newest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT staff_id, reset_by, reset_at FROM password_resets WHERE site = ? "
                "ORDER BY reset_at DESC, rowid DESC LIMIT ?",
                (site, limit),
            ).fetchall()
        return [
            PasswordReset(site, staff, by, datetime.fromisoformat(at)) for staff, by, at in rows
        ]
