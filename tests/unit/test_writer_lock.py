"""One writer per store on PostgreSQL, across hosts: the advisory lock a writer holds for its
life (shared/eventstore/writer_lock.py), against the tests' real server (tests/postgres.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from shared.eventstore.store import StoreInUse, postgres_connect
from shared.eventstore.writer_lock import WriterLock, WriterLockTaken, lock_key
from tests.postgres import TestPostgres, eventsourcing_env


@pytest.fixture(scope="module")
def env(postgres_server: TestPostgres) -> Iterator[dict[str, str]]:
    """eventsourcing's environment of a store in a database of the session's PostgreSQL server
    (tests/postgres.py)."""
    store = postgres_server.database()
    yield eventsourcing_env(store)
    postgres_server.drop(store["postgres_dbname"])


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

    backend = second._conn.info.backend_pid
    second._conn.close()  # the process died: the server ends its session, and the lock
    ended(env, backend)  # with it (under load that takes the server a moment: wait for it)
    third = WriterLock.take(env, "dispatch")
    third.release()


def ended(env: dict[str, str], backend: int, within: float = 10.0) -> None:
    """Wait until the server has ended the session of `backend`."""
    with postgres_connect(env) as conn:
        deadline = time.monotonic() + within
        while conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (backend,)).fetchone():
            assert time.monotonic() < deadline, f"backend {backend} still running"
            time.sleep(0.02)


def test_a_store_on_sqlite_takes_no_advisory_lock() -> None:
    assert WriterLock.take({"PERSISTENCE_MODULE": "eventsourcing.sqlite"}, "intake") is None
