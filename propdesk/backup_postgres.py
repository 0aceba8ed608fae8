"""The writers' stores in a backup when they are PostgreSQL schemas (`PROPDESK_PERSISTENCE=
postgres`): `propdesk backup` dumps the schemas of intake, dispatch and escalation with `pg_dump`
while the three are held (propdesk/backup.py), so the dump agrees with `DESK`'s copy as the SQLite
files do; `propdesk restore` puts them into a database whose schemas of those names are empty or
missing, with `pg_restore` in one transaction.

PostgreSQL's own client programs do the copying (custom format: compressed, every table, index and
sequence of the schemas, read in one snapshot). They come with the server's packages
(postgresql-client); `PROPDESK_POSTGRES_BIN` names their directory when they are not on PATH.
They must be of the server's major version or newer: an older `pg_dump` refuses, and says so.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from shared.eventstore.store import postgres_connect, postgres_env
from shared.kernel.settings import Settings

DUMP = Path("stores") / "postgres.dump"  # in the backup's directory


class PostgresCopyError(Exception):
    """pg_dump or pg_restore is missing, refused, or the target is not empty."""


def tool(settings: Settings, name: str) -> str:
    """The path of a PostgreSQL client program (`pg_dump`, `pg_restore`), or why not."""
    where = str(settings.postgres_bin) if settings.postgres_bin else None
    found = shutil.which(name, path=where)
    if found is None:
        place = f"in {settings.postgres_bin}" if where else "on PATH"
        raise PostgresCopyError(
            f"{name} is not {place}: install PostgreSQL's client programs (of the server's "
            "major version) or name their directory with PROPDESK_POSTGRES_BIN"
        )
    return found


def _env(settings: Settings) -> dict[str, str]:
    """The database as libpq's variables (the password never on a command line)."""
    return os.environ | {
        "PGHOST": settings.postgres_host,
        "PGPORT": str(settings.postgres_port),
        "PGUSER": settings.postgres_user,
        "PGPASSWORD": settings.postgres_password,
        "PGDATABASE": settings.postgres_dbname,
        "PGCONNECT_TIMEOUT": "10",
    }


async def _run(settings: Settings, name: str, *args: str) -> None:
    program = tool(settings, name)
    process = await asyncio.create_subprocess_exec(
        program, *args,
        env=_env(settings), stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, errors = await process.communicate()
    if process.returncode != 0:
        said = errors.decode(errors="replace").strip().splitlines()
        failed = f"{name} failed ({process.returncode}): {' / '.join(said[-3:])}"
        if any("version mismatch" in line for line in said):
            failed += (
                f"; {program} is older than the server: install the client programs of the "
                "server's major version (or newer) and name their directory with "
                "PROPDESK_POSTGRES_BIN"
            )
        raise PostgresCopyError(failed)


async def dump(settings: Settings, schemas: Sequence[str], target: Path) -> None:
    """The schemas, in one snapshot, into `target` (custom format, readable by the owner only)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    chosen = [f"--schema={schema}" for schema in schemas]
    await _run(settings, "pg_dump", "--format=custom", "--no-owner", "--no-privileges",
               *chosen, f"--file={target}")  # fmt: skip
    os.chmod(target, 0o600)


def make_room(settings: Settings, schemas: Sequence[str]) -> None:
    """Refuse a database whose schemas of these names hold any table; drop the empty ones
    (a service's first start creates its schema before any table), so the dump creates them."""
    from psycopg import sql  # only with PostgreSQL

    with postgres_connect(postgres_env(settings)) as conn:
        rows = conn.execute(
            "SELECT table_schema, count(*) FROM information_schema.tables "
            "WHERE table_schema = ANY(%s) GROUP BY table_schema ORDER BY table_schema",
            [list(schemas)],
        ).fetchall()
        if rows:
            held = ", ".join(f"{schema} ({count} tables)" for schema, count in rows)
            raise PostgresCopyError(
                f"database {settings.postgres_dbname!r} already holds {held}: restore into a "
                "database whose schemas "
                f"{', '.join(schemas)} are empty or missing; nothing was changed"
            )
        for schema in schemas:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {}").format(sql.Identifier(schema)))


async def restore(settings: Settings, source: Path) -> None:
    """The dump into the configured database, in one transaction (all of it or nothing)."""
    into = f"--dbname={settings.postgres_dbname}"
    await _run(settings, "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
               "--single-transaction", into, str(source))  # fmt: skip
