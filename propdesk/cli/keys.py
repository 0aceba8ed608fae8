"""`propdesk keys`: the keys of the stores that hold personal data (intake's), for operators.

`generate` prints a new key; `status` counts the records under each key; `rotate` adds a new key
and re-encrypts every record with it while the service is stopped; `retire` drops the keys no
record needs any more. Where keys live and how they are kept: shared/eventstore/keys.py,
deploy/README.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from eventsourcing.persistence import PersistenceError
from rich.table import Table

from propdesk.cli.common import err_whole as err
from propdesk.cli.common import out_whole as out
from propdesk.cli.common import usage
from shared.eventstore.desk_app import DeskApplication
from shared.eventstore.keyring import KeyRing, KeyRingError, key_id, new_key
from shared.eventstore.keys import ENCRYPTED_STORES, KeySource, key_source, load_ring, read_key_file
from shared.eventstore.keys import replace_key_file as replace_file
from shared.eventstore.rekey import Census, census, reencrypt
from shared.eventstore.store import StoreInUse, persistence_env, store_env
from shared.kernel.clock import SystemClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.errors import StartRefused

keys_app = typer.Typer(
    no_args_is_help=True, help="The keys of the stores with personal data (intake's)."
)

ServiceName = Annotated[
    str, typer.Argument(help=f"The service: {', '.join(ENCRYPTED_STORES)}", show_default=False)
]
DataDir = Annotated[
    Path, typer.Option(envvar="PROPDESK_DATA_DIR", help="The service's data directory")
]


@keys_app.command("generate")
def generate() -> None:
    """Print a new random AES-256 key (base64), e.g. for PROPDESK_INTAKE_KEY; its id to stderr."""
    key = new_key()
    print(key)
    err.print(f"key id {key_id(key)}")


@keys_app.command("status")
def status(service: ServiceName, data_dir: DataDir = Path("var")) -> None:
    """The service's keys and how many stored records each encrypts (safe while it runs)."""
    settings, source = _settings(service, data_dir)
    ring = _ring(source, settings, service)
    counts = _census(settings, service)
    table = Table("key", "", "events", "snapshots", title=f"{service}'s store ({source})")
    for i, kid in enumerate(ring.ids if ring else ()):
        table.add_row(kid, "current" if i == 0 else "", *_counts(counts, kid))
    missing = {k for k in counts.key_ids() if k is not None} - set(ring.ids if ring else ())
    for kid in sorted(missing):
        table.add_row(kid, "[red]not among the keys[/red]", *_counts(counts, kid))
    if None in counts.key_ids():
        table.add_row("plaintext", "[yellow]written before encryption[/yellow]", *_counts(counts))
    out.print(table)
    if missing:
        err.print("[red]records under keys not given cannot be read[/red]")
        raise typer.Exit(1)


@keys_app.command("rotate")
def rotate(
    service: ServiceName,
    data_dir: DataDir = Path("var"),
    keep_key: Annotated[
        bool,
        typer.Option(
            "--keep-key",
            help="Add no new key: re-encrypt with the current one (keys set in "
            "PROPDESK_INTAKE_KEY, or a store that still holds plaintext)",
        ),
    ] = False,
) -> None:
    """With the service stopped: add a new current key to its key file (the old ones stay, to
    read), then re-encrypt every stored record with it in one transaction."""
    settings, source = _settings(service, data_dir)
    try:
        ring, source = load_ring(settings, service)
    except StartRefused as exc:
        _refuse(str(exc))
    if source.file is None and not keep_key:
        usage(
            f"the keys are in {source.variable}, which this command cannot change: put a new "
            f"key (`propdesk keys generate`) first in {source.variable}, keep the old ones after "
            "it, and run `propdesk keys rotate --keep-key`"
        )
    rotated = ring if keep_key else ring.with_new_key(new_key())
    app = _open(settings, service, rotated)
    try:
        if rotated is not ring:
            assert source.file is not None
            replace_file(source.file, rotated.render(service))  # before any record needs it
        changed = reencrypt(app)
    except PersistenceError as exc:
        _refuse(f"nothing was re-encrypted ({exc}); the key file is fine as it is: run again")
    finally:
        app.close()
    current = rotated.ids[0]
    was = changed.events + changed.snapshots
    before = ", ".join(f"{k or 'plaintext'}: {n}" for k, n in sorted(was.items(), key=str)) or "-"
    out.print(
        f"{service}: {changed.events.total()} events, {changed.snapshots.total()} snapshots "
        f"re-encrypted with key {current} (they were under: {before}); every record is now under "
        f"key {current}."
    )
    old = [k for k in rotated.ids if k != current]
    if old:
        out.print(
            f"The keys {', '.join(old)} are no longer needed by the store; keep them while a "
            f"backup made before now may be restored, then `propdesk keys retire {service}`."
        )


@keys_app.command("retire")
def retire(service: ServiceName, data_dir: DataDir = Path("var")) -> None:
    """Drop from the key file every old key that no stored record needs. A backup written while
    such a key was in use can no longer be read afterwards."""
    settings, source = _settings(service, data_dir)
    ring = _ring(source, settings, service)
    if ring is None:
        _refuse(f"{service} has no keys yet ({source} does not exist)")
    needed = _census(settings, service).key_ids()
    unused = {k for k in ring.ids[1:] if k not in needed}
    if not unused:
        out.print(f"{service}: every key of {source} is still needed; nothing retired.")
        return
    kept = ring.without(unused)
    if source.file is None:
        out.print(f"No record needs {', '.join(sorted(unused))}: remove them from {source}.")
        return
    replace_file(source.file, kept.render(service))
    out.print(
        f"{service}: retired {', '.join(sorted(unused))}; {source} keeps {', '.join(kept.ids)}."
    )


# -- helpers -----------------------------------------------------------------------------------


def _settings(service: str, data_dir: Path) -> tuple[Settings, KeySource]:
    if service not in ENCRYPTED_STORES:
        usage(f"{service!r} keeps no personal data; only {', '.join(ENCRYPTED_STORES)} has keys")
    settings = Settings(data_dir=data_dir)
    return settings, key_source(settings, service)


def _ring(source: KeySource, settings: Settings, service: str) -> KeyRing | None:
    """The ring as configured, or None when the default key file is still to be made."""
    try:
        if source.file is None:
            return load_ring(settings, service)[0]
        if source.default and not source.file.exists():
            return None
        return read_key_file(source.file)
    except (KeyRingError, StartRefused) as exc:
        _refuse(f"{service}'s keys ({source}): {exc}")


def _census(settings: Settings, service: str) -> Census:
    if settings.persistence == "sqlite" and not (settings.data_dir / f"{service}.sqlite3").exists():
        return Census()
    return census(service, persistence_env(settings, service))


def _counts(counts: Census, kid: str | None = None) -> tuple[str, str]:
    return str(counts.events[kid]), str(counts.snapshots[kid])


def _open(settings: Settings, service: str, ring: KeyRing) -> DeskApplication:
    """The service's own application on its store, held against the service starting."""
    from propdesk.runtime import SERVICES

    app_class: type[DeskApplication] = getattr(SERVICES[service], "app_class")  # noqa: B009
    try:
        return app_class(store_env(settings, service, ring=ring), SystemClock(), SiteDirectory())
    except StoreInUse as exc:
        _refuse(f"{exc}. Stop {service} (systemctl stop propdesk-{service}) and run this again.")
    except StartRefused as exc:
        _refuse(str(exc))


def _refuse(message: str) -> NoReturn:
    err.print(f"[red]refused:[/red] {message}")
    raise typer.Exit(1)
