"""Where each service keeps its eventsourcing store: one SQLite file per service, or one
PostgreSQL schema per service (named after it, created if missing) in one database.

Every store is held by one process at a time (`<service>.lock` in the data directory): the
service while it runs, or `propdesk keys` while it re-encrypts intake's; a second copy of a
service on the same data directory refuses to start. A store with personal data (intake's) is
encrypted with its key ring, whatever the persistence (shared/eventstore/keyring.py)."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Mapper, MapperDeserialisationError

from shared.eventstore import pg_pipeline
from shared.eventstore.keyring import KeyRing
from shared.eventstore.keys import ENCRYPTED_STORES, key_source, load_ring
from shared.kernel.settings import Settings
from shared.messaging.errors import StartRefused

LOCK_FILE = "STORE_LOCK_FILE"  # in a store's environment: the lock its application holds


def store_env(settings: Settings, service: str, *, ring: KeyRing | None = None) -> dict[str, str]:
    """The eventsourcing environment of one service's own store, with its lock and, if it holds
    personal data, its keys (`ring`, else the configured ones)."""
    env = persistence_env(settings, service)
    if service in ENCRYPTED_STORES:
        if ring is None:
            ring, source = load_ring(settings, service)
        else:
            source = key_source(settings, service)
        env |= ring.env(str(source))
    env[LOCK_FILE] = str(lock_path(settings.data_dir, service))
    return env


def lock_path(data_dir: Path, service: str) -> Path:
    """The lock of everything a service keeps in the data directory (its store, escalation's
    schedule, reporting's views): held by the one process that has them open."""
    return data_dir / f"{service}.lock"


def persistence_env(settings: Settings, service: str) -> dict[str, str]:
    """Where a service's store is, without its keys: to look at the records as they are stored."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if settings.persistence == "postgres":
        env = postgres_env(settings) | {"POSTGRES_SCHEMA": service}
        create_schema(env)
        return env
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(settings.data_dir / f"{service}.sqlite3"),
        "SQLITE_LOCK_TIMEOUT": "10",
    }


def postgres_env(settings: Settings) -> dict[str, str]:
    """The configured PostgreSQL database as eventsourcing's environment, without a schema."""
    pg_pipeline.mend()  # before any store writes through psycopg's pipeline
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": settings.postgres_dbname,
        "POSTGRES_HOST": settings.postgres_host,
        "POSTGRES_PORT": str(settings.postgres_port),
        "POSTGRES_USER": settings.postgres_user,
        "POSTGRES_PASSWORD": settings.postgres_password,
    }


def postgres_connect(env: Mapping[str, str], **options: Any) -> Any:
    """A connection of its own (autocommit) to the PostgreSQL database of a store's
    environment (eventsourcing's, as `persistence_env` makes it)."""
    import psycopg  # only with PostgreSQL

    return psycopg.connect(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=env.get("POSTGRES_PORT", "5432"),
        user=env["POSTGRES_USER"],
        password=env.get("POSTGRES_PASSWORD", ""),
        connect_timeout=10,
        autocommit=True,
        **options,
    )


def create_schema(env: Mapping[str, str]) -> None:
    """The store's schema, if it is missing (eventsourcing creates its tables, not the schema).
    A server that cannot be reached stops the start with the reason."""
    import psycopg  # only with PostgreSQL
    from psycopg import errors, sql

    schema = env["POSTGRES_SCHEMA"]
    try:
        with postgres_connect(env) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    except (errors.UniqueViolation, errors.DuplicateSchema):
        pass  # another process created it at the same moment
    except psycopg.Error as exc:
        raise StoreUnreachable(
            f"{schema}'s store: PostgreSQL database {env['POSTGRES_DBNAME']!r} on "
            f"{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']} as {env['POSTGRES_USER']!r}: "
            f"{str(exc).strip()} (PROPDESK_POSTGRES_*)"
        ) from None


class StoreUnreachable(RuntimeError):
    """The store's PostgreSQL cannot be reached, or refuses the schema: exit 1, so that systemd
    tries again (a server still starting), not EX_CONFIG."""


class StoreInUse(RuntimeError):
    """Another process holds the store (the service, or `propdesk keys`)."""


class StoreUnreadable(StartRefused):
    """The store holds records its keys cannot read."""


class StoreLock:
    """An exclusive advisory lock (flock) on a file beside the store, released when the process
    ends, however it ends."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def take(cls, path: str | None, name: str) -> StoreLock | None:
        if not path:
            return None
        # read-only and readable by all: it holds nothing, and the service's user can take it
        # even when root made it (root running `propdesk keys`)
        fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreInUse(
                f"{name}'s store is in use by another process (it holds {path}): "
                f"stop that process first; one {name} per data directory"
            ) from None
        return cls(Path(path), fd)

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def check_readable(name: str, recorder: ApplicationRecorder, mapper: Mapper) -> None:
    """Read the store's first and last events, so that keys which cannot read the store stop the
    start with the reason instead of failing every command and every relay batch later."""
    last = recorder.max_notification_id()
    if not last:
        return
    for position in dict.fromkeys((1, last)):
        for notification in recorder.select_notifications(start=position, limit=1):
            try:
                mapper.to_domain_event(notification)
            except MapperDeserialisationError as exc:
                raise StoreUnreadable(
                    f"{name}'s store cannot be read: {exc.__cause__ or exc}. Give {name} the key "
                    "the store was encrypted with; if that key is lost, so is the personal data "
                    "it encrypted (deploy/README.md, Keys)"
                ) from None
