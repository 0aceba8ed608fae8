"""One writer per store across hosts: a PostgreSQL advisory lock, held for the life of the
process by a connection of its own.

The flock beside a store (`<service>.lock`, shared/eventstore/store.py) keeps a second copy off
one data directory, which is all SQLite needs: its store is a file on that host. A store on
PostgreSQL can be reached from any host, so its writer also takes a session-level advisory lock
in the store's database, keyed by the service: a second intake, dispatch or escalation on any
host finds it taken and refuses (or, as a standby, waits: shared/messaging/service.py). The
server releases the lock when the session ends, however the process ends: at once when it exits
or is killed (a writer starting in that moment waits up to a second for it, `LETTING_GO`),
within the connection's keepalive (~30 s) when its host goes silent.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from typing import Any

from shared.eventstore.store import StoreInUse, postgres_connect

POSTGRES = "eventsourcing.postgres"
# keepalives on the lock's connection: a writer whose host vanished lets go within ~30 s
KEEPALIVE = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 4,
}
# a holder whose session is ending (its process just died: the server has not yet released the
# lock, its backend gone or still ending) is waited for this many times this long, not refused
LETTING_GO = (20, 0.05)


class WriterLockTaken(StoreInUse):
    """Another process holds the store's writer lock."""


def lock_key(service: str) -> int:
    """The advisory lock's key: a signed 64-bit number, the same for every host and release."""
    digest = hashlib.sha256(f"propdesk.store.{service}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class WriterLock:
    """The advisory lock of one service's store on PostgreSQL, on its own connection."""

    def __init__(self, conn: Any, key: int) -> None:
        self._conn: Any | None = conn
        self.key = key

    @classmethod
    def take(cls, env: Mapping[str, str], service: str) -> WriterLock | None:
        """Take the lock of `service`'s store if `env` (eventsourcing's) puts it on PostgreSQL;
        None for other stores. WriterLockTaken when another process holds it."""
        if env.get("PERSISTENCE_MODULE") != POSTGRES:
            return None
        conn = postgres_connect(env, application_name=f"propdesk-{service}-writer", **KEEPALIVE)
        key = lock_key(service)
        tries, pause = LETTING_GO
        for _ in range(tries):
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
            if row and row[0]:
                return cls(conn, key)
            holder = _holder(conn, key)
            # its holder may be letting go: a process that just died (the server releases the
            # lock in a moment, its backend maybe still listed); a live writer still holds it
            # after the last try
            time.sleep(pause)
        conn.close()
        raise WriterLockTaken(
            f"{service}'s store is in use by another process "
            f"({holder or 'a session that has just let go'}, database "
            f"{env['POSTGRES_DBNAME']!r}): one {service} per store; stop that one first, "
            "or start this one as a standby (PROPDESK_STANDBY=true)"
        )

    def release(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
        except Exception:  # a broken connection: its end released the lock already
            pass
        finally:
            self._conn.close()
            self._conn = None


def _holder(conn: Any, key: int) -> str | None:
    """Who holds the lock, as pg_stat_activity names it; None when no live session does (its
    holder's session is ending)."""
    classid, objid = (key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF
    row = conn.execute(
        "SELECT a.application_name, a.client_addr, a.pid FROM pg_locks l "
        "JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.classid = %s::bigint::oid "
        "AND l.objid = %s::bigint::oid AND l.granted",
        (classid, objid),
    ).fetchone()
    if row is None:
        return None
    name, addr, pid = row
    return f"{name or 'a session'} from {addr or 'a local socket'}, backend pid {pid}"
