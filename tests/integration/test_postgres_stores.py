"""The services' event stores on PostgreSQL: one schema per service, created when it is missing.
(The behavioural suites that run on both stores are listed in docs/RELIABILITY.md.)"""

from __future__ import annotations

import json
import threading

import psycopg
import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from propdesk.backup import DESK_FILE, MANIFEST, BackupError, make_backup, sha256
from propdesk.backup_postgres import PostgresCopyError
from propdesk.restore import restore
from shared.eventstore.store import StoreUnreachable, persistence_env
from shared.kernel.settings import Settings
from tests.integration.support import Desk, report_body

pytestmark = [pytest.mark.integration, pytest.mark.parametrize("persistence", ["postgres"])]


def schemas(settings: Settings) -> dict[str, set[str]]:
    """Each schema of the settings' database but PostgreSQL's own, with its tables."""
    found: dict[str, set[str]] = {}
    with psycopg.connect(
        host=settings.postgres_host,
        port=settings.postgres_port,
        user=settings.postgres_user,
        dbname=settings.postgres_dbname,
    ) as conn:
        for schema, table in conn.execute(
            "SELECT n.nspname, c.relname FROM pg_namespace n "
            "LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind = 'r' "
            "WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"
        ):
            found.setdefault(schema, set()).update({table} if table else set())
    return found


async def test_each_service_keeps_its_store_in_a_schema_of_its_own_created_at_start(
    desk: Desk, services, settings: Settings
) -> None:
    reply = await desk.command("hbw", "report", report_body("pg-1", kind="repair"))
    assert reply["ok"]

    found = schemas(settings)
    for service in ("intake", "dispatch"):
        assert {f"{service}_events", f"{service}_tracking"} <= found[service]
    assert not found.get("public")  # nothing outside the services' schemas
    assert not list(settings.data_dir.glob("intake.sqlite3*"))


class Blob(Aggregate):
    def __init__(self, blob: str) -> None:
        self.blob = blob


def test_a_transaction_larger_than_the_socket_takes_is_recorded_not_hung(
    settings: Settings,
) -> None:
    """psycopg's pipeline left part of a large transaction unsent and waited forever for its
    results (shared/eventstore/pg_pipeline.py): a batch of DESK deliveries that recorded a few
    hundred events stopped escalation for good."""
    app = Application(persistence_env(settings, "intake"))
    blobs = [Blob("x" * 3000) for _ in range(600)]
    saving = threading.Thread(target=app.save, args=blobs, daemon=True)
    saving.start()
    saving.join(timeout=30)
    try:
        assert not saving.is_alive(), "the transaction of 600 events hung"
        assert app.recorder.max_notification_id() == 600
    finally:
        if not saving.is_alive():
            app.close()


def test_a_postgresql_that_cannot_be_reached_stops_the_start_with_the_reason(
    settings: Settings,
) -> None:
    wrong = settings.model_copy(update={"postgres_dbname": "no_such_database"})

    with pytest.raises(StoreUnreachable, match="no_such_database"):
        persistence_env(wrong, "intake")


async def test_a_backup_on_postgresql_without_pg_dump_says_where_it_looked_and_holds_nothing(
    settings: Settings, tmp_path, clock
) -> None:
    """The schemas are copied by PostgreSQL's pg_dump (tests/e2e/test_backup_restore.py runs a
    backup and a restore on PostgreSQL); without it nothing is held or written."""
    nowhere = settings.model_copy(update={"postgres_bin": tmp_path / "no-client-programs"})
    with pytest.raises(PostgresCopyError, match=r"pg_dump is not in .*PROPDESK_POSTGRES_BIN"):
        await make_backup(None, nowhere, tmp_path / "backup", clock)  # type: ignore[arg-type]
    assert not (tmp_path / "backup").exists()


async def test_a_backup_with_a_pg_dump_older_than_the_server_says_how_to_name_another(
    desk: Desk, services, settings: Settings, tmp_path, clock
) -> None:
    """Debian 12's pg_dump is 15; the server may be 18. The refusal said only pg_dump's own
    "aborting because of server version mismatch", not that PROPDESK_POSTGRES_BIN names
    the directory of a newer one."""
    old = tmp_path / "pg15"
    old.mkdir()
    (old / "pg_dump").write_text(
        "#!/bin/sh\n"
        "echo 'pg_dump: error: aborting because of server version mismatch' >&2\n"
        "echo 'pg_dump: detail: server version: 18.6; pg_dump version: 15.18' >&2\n"
        "exit 1\n"
    )
    (old / "pg_dump").chmod(0o755)
    assert (await desk.command("hbw", "report", report_body("pg-v")))["ok"]

    with pytest.raises(PostgresCopyError) as refused:
        await make_backup(desk.bus, settings.model_copy(update={"postgres_bin": old}),
                          tmp_path / "backup", clock, say=lambda _: None)  # fmt: skip

    said = str(refused.value)
    assert "server version: 18.6; pg_dump version: 15.18" in said
    assert f"{old / 'pg_dump'} is older than the server" in said
    assert "PROPDESK_POSTGRES_BIN" in said
    assert (await desk.command("hbw", "report", report_body("pg-w")))["ok"]  # released


async def test_a_backup_told_sqlite_of_services_on_postgresql_is_refused_not_made_without_stores(
    desk: Desk, services, settings: Settings, tmp_path, clock
) -> None:
    assert (await desk.command("hbw", "report", report_body("pg-b")))["ok"]
    told_sqlite = settings.model_copy(update={"persistence": "sqlite"})  # the operator's shell

    with pytest.raises(BackupError, match=r"intake holds \d+ records but .* does not exist"):
        await make_backup(desk.bus, told_sqlite, tmp_path / "backup", clock, say=lambda _: None)
    assert not (tmp_path / "backup" / "manifest.json").exists()
    assert (await desk.command("hbw", "report", report_body("pg-c")))["ok"]  # released


async def test_a_restore_of_sqlite_stores_for_services_on_postgresql_is_refused(
    settings: Settings, tmp_path
) -> None:
    """A backup made on SQLite holds its stores as SQLite files: restored for services on
    PostgreSQL, they would start on other, empty stores beside a DESK full of events."""
    backup = tmp_path / "backup"
    backup.mkdir()
    (backup / DESK_FILE).write_text("")
    files = {DESK_FILE: {"bytes": 0, "sha256": sha256(backup / DESK_FILE)}}
    manifest = {"format": 1, "persistence": "sqlite", "files": files, "desk": {"last_seq": 0}}
    (backup / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="PROPDESK_PERSISTENCE=sqlite"):
        await restore(backup, settings, say=lambda _: None)
    assert not settings.data_dir.exists()
