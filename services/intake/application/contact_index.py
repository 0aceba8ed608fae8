"""Intake's blind index of who reported what: a keyed hash (HMAC-SHA256) of each reporter's
normalised phone, name and room → the ticket, so that `ticket.search` finds a caller's tickets
while nothing personal is kept in clear outside the encrypted store.

The index is a projection of intake's own store (its notification log): it follows the store
to its last record before every search, writing its rows and its position in one transaction,
so a ticket is found the moment `report` has answered, and the tickets recorded before the index
existed are indexed on the first search after the upgrade (a fold of the store, which reads only
the records of reported and linked contacts). Each site's hash key is derived from the store's
current key: after `propdesk keys rotate` the index is built again under the new key, and a
copy of the index without the key reveals nothing, not even which tickets share a caller. It is
disposable: delete the file and it is rebuilt.

It also keeps each resident's phones (`residents`: replaced by each `Resident.Registered` or
`Corrected`, so a dropped phone no longer finds them) for `resident.lookup` (docs/RESIDENTS.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import sqlite3
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Mapper
from eventsourcing.utils import resolve_topic

from services.intake.domain import Ticket
from services.intake.domain.resident import Resident
from shared.eventstore.keyring import KeyRing, key_id
from shared.kernel.personal.search_terms import PHONE, phone_term, terms_of

BATCH = 500
_INDEXED = (Ticket.Reported, Ticket.ContactLinked)
_FILED = (Resident.Registered, Resident.Corrected)  # a resident's phones, as the file has them now
_TABLES = (
    "CREATE TABLE IF NOT EXISTS contacts (site TEXT NOT NULL, digest BLOB NOT NULL, "
    "ticket_id TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (site, digest, ticket_id))",
    "CREATE TABLE IF NOT EXISTS residents (site TEXT NOT NULL, digest BLOB NOT NULL, "
    "resident_id TEXT NOT NULL, PRIMARY KEY (site, digest, resident_id))",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


class ContactIndex:
    def __init__(
        self, path: Path, ring: KeyRing, recorder: ApplicationRecorder, mapper: Mapper
    ) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._recorder, self._mapper = recorder, mapper
        self._secret = base64.b64decode(ring.current)
        self._key_id = key_id(ring.current)
        self._lock = threading.Lock()  # searches come from worker threads
        for sql in _TABLES:
            self._db.execute(sql)
        if self._meta("key_id") != self._key_id:
            self._restart()

    def close(self) -> None:
        self._db.close()

    def digest(self, site: str, field: str, term: str) -> bytes:
        site_key = hmac.new(self._secret, b"propdesk contact index\x00" + site.encode(), "sha256")
        return hmac.new(site_key.digest(), f"{field}\x00{term}".encode(), hashlib.sha256).digest()

    def find(
        self, site: str, terms: Iterable[tuple[str, str]], limit: int, among: UUID | None = None
    ) -> tuple[list[UUID], bool]:
        """The tickets of `site` (or only the ticket `among`) that every (field, term) names,
        newest contact first, at most `limit`, and whether there were more."""
        digests = list(dict.fromkeys(self.digest(site, field, term) for field, term in terms))
        sql = (
            # newest contact first; of two at the same time, the later recorded
            "SELECT ticket_id, MAX(received_at) AS at, MAX(rowid) AS n FROM contacts "
            "WHERE site = ? AND "
            f"digest IN ({', '.join('?' * len(digests))})"
        )
        params: list[Any] = [site, *digests]
        if among is not None:
            sql += " AND ticket_id = ?"
            params.append(str(among))
        sql += (
            " GROUP BY ticket_id HAVING COUNT(DISTINCT digest) = ? ORDER BY at DESC, n DESC LIMIT ?"
        )
        params += [len(digests), limit + 1]
        with self._lock:
            self._catch_up()
            rows = self._db.execute(sql, params).fetchall()
        return [UUID(r[0]) for r in rows[:limit]], len(rows) > limit

    def catch_up(self) -> int:
        """Index every record the store has gained; returns the position reached."""
        with self._lock:
            return self._catch_up()

    def _catch_up(self) -> int:
        position = int(self._meta("position") or 0)
        last = self._recorder.max_notification_id() or 0
        if position > last:  # a store restored from an older backup: start again
            self._restart()
            position = 0
        while position < last:
            found = self._recorder.select_notifications(
                start=position, limit=BATCH, inclusive_of_start=False
            )
            if not found:
                break
            rows = [row for n in found for row in self._rows(n)]
            filed = [self._mapper.to_domain_event(n) for n in found if _is(n, _FILED)]
            position = found[-1].id
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR IGNORE INTO contacts VALUES (?, ?, ?, ?)", rows)
                for event in filed:
                    self._file(event)
                self._set("position", str(position))
        return position

    def _rows(self, notification: Any) -> list[tuple[str, bytes, str, str]]:
        # the stored topic says what a record is without decrypting it; only contacts are read
        if not _is(notification, _INDEXED):
            return []
        event = self._mapper.to_domain_event(notification)
        at: datetime = event.received_at
        return [
            (event.site, self.digest(event.site, field, term), str(event.originator_id),
             at.astimezone(UTC).isoformat())
            for field, term in terms_of(event.reporter)
        ]  # fmt: skip

    def find_residents(self, site: str, phone: str) -> list[UUID]:
        """The residents of `site` whose file has this phone (its term: search_terms.py)."""
        digest = self.digest(site, PHONE, phone)
        with self._lock:
            self._catch_up()
            rows = self._db.execute(
                "SELECT resident_id FROM residents WHERE site = ? AND digest = ?", (site, digest)
            ).fetchall()
        return [UUID(r[0]) for r in rows]

    def _file(self, event: Any) -> None:
        """A resident's phones are what their latest file says: a corrected one no longer finds
        them by the phones it dropped."""
        resident = str(event.originator_id)
        self._db.execute("DELETE FROM residents WHERE resident_id = ?", (resident,))
        phones = {phone_term(p) for p in event.details.get("phones", [])}
        self._db.executemany(
            "INSERT OR IGNORE INTO residents VALUES (?, ?, ?)",
            [(event.site, self.digest(event.site, PHONE, p), resident) for p in phones if p],
        )

    def _restart(self) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM contacts")
            self._db.execute("DELETE FROM residents")
            self._set("position", "0")
            self._set("key_id", self._key_id)

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


def _is(notification: Any, kinds: tuple[type, ...]) -> bool:
    """The stored topic says what a record is without decrypting it."""
    return issubclass(resolve_topic(notification.topic), kinds)
