"""`propdesk backup`: a consistent copy of a running hub's data directory — the services' stores,
reporting's views, the stream DESK, the site directory, the credentials and intake's keys —
into a directory of its own, with a manifest (propdesk/restore.py puts it back).

Consistency (docs/RELIABILITY.md, "Backups"):

1. reporting's views are copied first (each SQLite file with its backup API: one snapshot);
   each reflects DESK up to a position the stream reaches;
2. intake, dispatch and escalation are held together (desk.ops.<service>.hold,
   shared/eventstore/holding.py): each has published everything it recorded and records nothing
   more;
3. their stores are copied (SQLite files, or with PostgreSQL a `pg_dump` of their schemas:
   propdesk/backup_postgres.py), and DESK's last sequence is noted; then they are released;
4. DESK is read up to that sequence (as ops, by direct get: its messages never change) into
   `desk.jsonl`, one message a line with its subject and `Nats-Msg-Id`.

So DESK's copy holds every event of the stores' copies and nothing they do not know, and every
consumer's position is one DESK's copy reaches. Commands wait while the stores are copied.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nats.errors import NoRespondersError

from propdesk import backup_postgres
from services.reporting.ops.registry import PROJECTIONS
from shared.eventstore.keys import key_source
from shared.eventstore.subject_keys import subject_keys_file
from shared.kernel.clock import Clock
from shared.kernel.settings import Settings
from shared.messaging import subjects
from shared.messaging.client import Bus
from shared.messaging.identity import OPS
from shared.messaging.reader import read_stream
from shared.messaging.subjects import STREAM

FORMAT = 1
MANIFEST = "manifest.json"
CONSOLE_ACCOUNTS = Path("console") / "accounts.sqlite3"  # services/console's own store
DESK_FILE = "desk.jsonl"
WRITERS = ("intake", "dispatch", "escalation")  # the services a backup holds
HOLD_SECONDS = 120.0
MSG_ID = "Nats-Msg-Id"  # the one header the relays set (the event id); the rest is the stream's

Say = Callable[[str], None]


class BackupError(Exception):
    """The backup cannot be made (or restored) as asked."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def copy_sqlite(source: Path, target: Path) -> None:
    """One snapshot of a SQLite file (its write-ahead log included), written as one file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one file, no log beside it
        found = dst.execute("PRAGMA quick_check").fetchone()[0]
    if found != "ok":
        raise BackupError(f"the copy of {source.name} does not check: {found}")
    os.chmod(target, 0o600)


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def copy_private(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    os.chmod(target, 0o600)


def copy_tree(source: Path, target: Path, pattern: str = "*") -> None:
    """The files matching `pattern` under `source`, its folders included, readable by the owner
    only."""
    for path in sorted(source.rglob(pattern)):
        if path.is_file():
            folder = private_dir(target / path.parent.relative_to(source))
            copy_private(path, folder / path.name)


async def make_backup(
    bus: Bus, settings: Settings, out: Path, clock: Clock, say: Say = print
) -> dict[str, Any]:
    """Write the backup of `settings.data_dir` into `out` (new or empty); returns its manifest."""
    if settings.persistence == "postgres":
        backup_postgres.tool(settings, "pg_dump")  # missing: say so before anything is held
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty")
    made = not out.exists()
    try:
        return await _write_backup(bus, settings, out, clock, say)
    except BaseException:
        # a backup that failed (NATS away, a writer not held, pg_dump refused) leaves nothing: no
        # half backup that looks like one, and the same command, corrected, runs again
        if made:
            shutil.rmtree(out, ignore_errors=True)
        else:
            for left in out.iterdir():
                if left.is_dir():
                    shutil.rmtree(left)
                else:
                    left.unlink()
        raise


async def _write_backup(
    bus: Bus, settings: Settings, out: Path, clock: Clock, say: Say
) -> dict[str, Any]:
    data = settings.data_dir
    private_dir(out)
    stores = private_dir(out / "stores")
    for projection in PROJECTIONS.values():
        if projection.path(data).exists():
            copy_sqlite(projection.path(data), stores / projection.file)
    held, last = await _copy_held(bus, settings, out, say)
    messages = await _read_desk(bus, out / DESK_FILE, last)
    say(f"DESK: {messages} messages up to sequence {last}")
    _copy_secrets(settings, out, say)
    files = {
        str(p.relative_to(out)): {"bytes": p.stat().st_size, "sha256": sha256(p)}
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }
    manifest = {
        "format": FORMAT,
        "made_at": clock.now().isoformat(),
        "data_dir": str(data.resolve()),
        "persistence": settings.persistence,  # where the writers' stores were (restore checks)
        "desk": {"file": DESK_FILE, "last_seq": last, "messages": messages},
        "held": held,
        "files": files,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.chmod(out / MANIFEST, 0o600)
    return manifest


async def _copy_held(
    bus: Bus, settings: Settings, out: Path, say: Say
) -> tuple[dict[str, Any], int]:
    """Hold every writer, copy their stores, note DESK's last sequence, release them."""
    held: dict[str, Any] = {}
    try:
        for service in WRITERS:
            try:
                reply = await bus.request(
                    subjects.ops(service, "hold"), {"seconds": HOLD_SECONDS}, timeout=30
                )
            except NoRespondersError:  # not running: its store does not change either
                say(f"{service} is not running: its store is copied as it is")
                held[service] = None
                continue
            if not reply.get("ok"):
                raise BackupError(f"{service} could not be held: {reply['error']['message']}")
            held[service] = reply
        if settings.persistence == "postgres":
            await backup_postgres.dump(settings, WRITERS, out / backup_postgres.DUMP)
            say(f"PostgreSQL: schemas {', '.join(WRITERS)} of {settings.postgres_dbname!r}")
        else:
            _copy_stores(settings.data_dir, out / "stores", held)
        ops = await bus.connection(OPS)
        last = (await ops.jetstream().stream_info(STREAM)).state.last_seq
    finally:
        ran_out = []
        for service, reply in held.items():
            if reply is not None:
                try:
                    released = await bus.request(subjects.ops(service, "release"), {}, timeout=10)
                except Exception:  # it lets go by itself in the end
                    released = {}
                if not released.get("released"):
                    ran_out.append(service)
    if ran_out:  # something may have been written while the others were copied
        raise BackupError(
            f"the hold of {', '.join(ran_out)} ran out (or was lost) before the copies were "
            f"done; back up again (the stores took more than {HOLD_SECONDS:g} s to copy?)"
        )
    return held, last


def _copy_stores(data: Path, stores: Path, held: dict[str, Any]) -> None:
    for service in WRITERS:
        store = data / f"{service}.sqlite3"
        if store.exists():
            copy_sqlite(store, stores / store.name)
        elif (held[service] or {}).get("records"):  # a store elsewhere: not backed up
            raise BackupError(
                f"{service} holds {held[service]['records']} records but {store} does not "
                "exist: is its store in PostgreSQL (PROPDESK_PERSISTENCE), or is this not "
                "its data directory?"
            )


async def _read_desk(bus: Bus, path: Path, last: int) -> int:
    """DESK's messages 1..`last` as JSON lines: seq, subject, msg_id, data (text, or data_b64
    for bytes that are not UTF-8)."""
    count = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        if last:
            ops = await bus.connection(OPS)
            async for batch in read_stream(ops, STREAM, last):
                for m in batch:
                    line: dict[str, Any] = {"seq": m.seq, "subject": m.subject}
                    line["msg_id"] = m.headers.get(MSG_ID)
                    try:
                        line["data"] = m.data.decode("utf-8")
                    except UnicodeDecodeError:
                        line["data_b64"] = base64.b64encode(m.data).decode()
                    f.write(json.dumps(line, ensure_ascii=False) + "\n")
                    count += 1
        f.flush()
        os.fsync(f.fileno())
    return count


def _copy_secrets(settings: Settings, out: Path, say: Say) -> None:
    """The site directory, every identity's credential, intake's key file, and the web console's
    staff accounts (password hashes), so nobody must choose a password again after a restore."""
    if settings.sites_path.exists():
        copy_private(settings.sites_path, out / "sites.json")
    accounts = settings.data_dir / CONSOLE_ACCOUNTS
    if accounts.exists():
        copy_sqlite(accounts, private_dir(out / accounts.parent.name) / accounts.name)
    creds = settings.credentials_path
    if creds.is_dir():  # with revoked/: a restored hub must not issue those again
        copy_tree(creds, out / "credentials", "*.nk")
    source = key_source(settings, "intake")
    if source.file is None:
        say("intake's keys are in PROPDESK_INTAKE_KEY: keep them with this backup yourself")
    elif source.file.exists():
        copy_private(source.file, private_dir(out / "keys") / "intake.key")
    offenders = subject_keys_file(settings.data_dir)  # offenders' per-case keys (erasable)
    if offenders.exists():
        copy_sqlite(offenders, private_dir(out / "keys") / offenders.name)
