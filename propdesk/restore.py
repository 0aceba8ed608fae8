"""`propdesk restore`: a backup (propdesk/backup.py) into an empty data directory, ready for
`propdesk up` (or, with `propdesk nats config`, for a hub's nats-server: its JetStream store is
the data directory's `nats/`, the same place).

The files are checked against the manifest first, then copied; writers' stores that were
PostgreSQL schemas go into the configured database (empty schemas of those names or none) with
`pg_restore` (propdesk/backup_postgres.py). DESK is published again into an
empty stream on an embedded nats-server of the new data directory, in order, each message by
the service that owns its event type, with its `Nats-Msg-Id`: the stream gives every message its
old sequence (checked one by one), so every consumer's recorded position means what it meant.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nats.aio.client import Client

from propdesk import backup_postgres
from propdesk.backup import (
    DESK_FILE,
    FORMAT,
    MANIFEST,
    MSG_ID,
    WRITERS,
    BackupError,
    Say,
    copy_private,
    copy_tree,
    private_dir,
    sha256,
)
from propdesk.trust import EPOCH, Hub, ensure_site_directory
from shared.kernel.clock import SimulatedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.bus import ensure_stream
from shared.messaging.client import Bus
from shared.messaging.identity import SERVICE_IDENTITIES
from shared.messaging.natsd import EmbeddedNats, free_port
from shared.messaging.subjects import STREAM, event_type_of

_STORES = {"sqlite": "SQLite files", "postgres": "a dump of PostgreSQL schemas"}


def read_manifest(backup: Path) -> dict[str, Any]:
    """The manifest, once every file it names is there with its size and checksum."""
    try:
        manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{backup} holds no readable {MANIFEST}: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{backup} is a backup of format {manifest.get('format')}, not {FORMAT}")
    for name, expected in manifest["files"].items():
        path = backup / name
        if not path.is_file() or sha256(path) != expected["sha256"]:
            raise BackupError(f"{path} is missing or not the file that was backed up")
    return manifest


async def restore(backup: Path, settings: Settings, say: Say = print) -> int:
    """Restore `backup` into `settings.data_dir` (new or empty); returns DESK's message count."""
    manifest = read_manifest(backup)
    made_on = manifest.get("persistence", "sqlite")  # backups before PostgreSQL's: SQLite
    if settings.persistence != made_on:  # the services would start on other, empty stores
        raise BackupError(
            f"the backup's event stores are {_STORES[made_on]}: restore it, and run the "
            f"restored hub, with PROPDESK_PERSISTENCE={made_on}"
            + (" and the PROPDESK_POSTGRES_* of the database to fill" * (made_on == "postgres"))
        )
    data = settings.data_dir
    if data.exists() and any(data.iterdir()):
        raise BackupError(f"{data} is not empty: restore into a new data directory")
    creds, sites = settings.credentials_path, settings.sites_path
    if (creds.is_dir() and any(creds.iterdir())) or sites.exists():
        # PROPDESK_CREDENTIALS_DIR or PROPDESK_SITES_FILE name places outside it
        raise BackupError(f"{creds} or {sites} exists already: nothing is overwritten")
    if made_on == "postgres":  # refused before anything is written
        backup_postgres.tool(settings, "pg_restore")
        backup_postgres.make_room(settings, WRITERS)
    private_dir(data)
    for store in sorted((backup / "stores").glob("*.sqlite3")):
        copy_private(store, data / store.name)
    if (backup / "sites.json").exists():
        copy_private(backup / "sites.json", settings.sites_path)
    for folder, target in (
        ("credentials", settings.credentials_path),
        ("keys", data / "keys"),
        ("console", data / "console"),  # the web console's staff accounts
    ):
        if (backup / folder).is_dir():
            copy_tree(backup / folder, target)
    if made_on == "postgres":
        await backup_postgres.restore(settings, backup / backup_postgres.DUMP)
        say(f"PostgreSQL: schemas {', '.join(WRITERS)} into {settings.postgres_dbname!r}")
    count = await _republish(backup / DESK_FILE, settings, manifest["desk"]["last_seq"])
    say(f"DESK: {count} messages published again, sequences 1 to {count}")
    return count


async def _republish(path: Path, settings: Settings, last: int) -> int:
    hub = Hub(settings)
    sites = ensure_site_directory(settings)
    port = free_port()
    options = hub.embedded_options(port, settings.jetstream_max_store)
    natsd = EmbeddedNats(hub.nats_dir, port, config=hub.prepare(sites, options))
    await natsd.start()
    try:
        async with Bus(natsd.url, settings, name="propdesk-restore") as bus:
            # each message published by the service that owns it, as it was first
            connections = {name: await bus.connection(name) for name in SERVICE_IDENTITIES}
            js = connections["intake"].jetstream()
            await ensure_stream(js)
            if (await js.stream_info(STREAM)).state.last_seq:
                raise BackupError(f"{STREAM} of {hub.nats_dir} is not empty")
            return await _publish_all(path, connections, last)
    finally:
        await natsd.stop()


async def _publish_all(path: Path, connections: dict[str, Client], last: int) -> int:
    owners = event_owners()
    seen: set[str] = set()
    count = 0
    for line in _lines(path):
        event_type = ".".join(line["subject"].split(".")[3:])
        owner = owners.get(event_type)
        if owner is None:
            raise BackupError(f"no service publishes {event_type!r} (message {line['seq']})")
        headers = {}
        msg_id = line.get("msg_id")
        if msg_id and msg_id not in seen:  # the same id again (a republish after the
            headers[MSG_ID] = msg_id  # duplicate window) must be stored again, not dropped
            seen.add(msg_id)
        data = line["data"].encode() if "data" in line else base64.b64decode(line["data_b64"])
        js = connections[owner].jetstream()
        ack = await js.publish(line["subject"], data, stream=STREAM, headers=headers or None)
        if ack.seq != line["seq"]:
            raise BackupError(f"message {line['seq']} was stored as {ack.seq}: restore anew")
        count += 1
    if count != last:
        raise BackupError(f"{path.name} holds {count} messages, the manifest {last}")
    return count


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        for text in f:
            if text.strip():
                yield json.loads(text)


def event_owners() -> dict[str, str]:
    """Each event type on DESK (`ticket.reported` …) and the service that publishes it, read
    off the services' routers as their grants are (propdesk/trust.py)."""
    from propdesk.runtime import SERVICES  # the runtime imports this module's callers

    owners = {}
    clock = SimulatedClock(EPOCH)  # sim.clock.set's subject included: it publishes no event
    for name in SERVICE_IDENTITIES:
        router = SERVICES[name](Settings(), clock, SiteDirectory(strict=False)).router()
        for publisher in router.publishers:
            event_type = event_type_of(publisher.subject.broker_address)
            if event_type:
                owners[event_type] = name
    return owners
