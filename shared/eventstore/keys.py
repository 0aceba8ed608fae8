"""Where the keys of a store with personal data come from, and how their file is kept.

`PROPDESK_INTAKE_KEY` (the keys themselves), else `PROPDESK_INTAKE_KEY_FILE`, else the data
directory's `keys/intake.key`, made with a new key when intake first starts without one, so the
quick start needs no setup. A key file is readable by its owner only, never overwritten at start,
and replaced whole (new file, then rename) by `propdesk keys`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from shared.eventstore.files import fsync_path
from shared.eventstore.keyring import KeyRing, KeyRingError, new_key
from shared.kernel.settings import Settings
from shared.logging import get_logger
from shared.messaging.errors import StartRefused

log = get_logger("keys")

# The stores that hold residents' names and phone numbers (R15.1). The others hold only what the
# stream DESK carries, which every subscriber reads: encrypting them would hide nothing.
ENCRYPTED_STORES = ("intake",)


@dataclass(frozen=True)
class KeySource:
    service: str
    file: Path | None  # None: the keys are in PROPDESK_<SERVICE>_KEY
    default: bool = False  # the data directory's own key file, made when missing

    @property
    def variable(self) -> str:
        return f"PROPDESK_{self.service.upper()}_KEY"

    def __str__(self) -> str:
        return self.variable if self.file is None else f"key file {self.file}"


def key_source(settings: Settings, service: str) -> KeySource:
    keys = getattr(settings, f"{service}_key")
    if keys is not None and keys.get_secret_value().strip():
        return KeySource(service, None)
    named = getattr(settings, f"{service}_key_file")
    if named is not None:
        return KeySource(service, named)
    return KeySource(service, settings.data_dir / "keys" / f"{service}.key", default=True)


def load_ring(settings: Settings, service: str) -> tuple[KeyRing, KeySource]:
    """The service's key ring; the default key file is made first if it does not exist."""
    source = key_source(settings, service)
    try:
        if source.file is None:
            return KeyRing.parse(getattr(settings, f"{service}_key").get_secret_value()), source
        if source.default and not source.file.exists():
            ring = KeyRing((new_key(),))
            if create_key_file(source.file, ring.render(service)):
                # an operator must know: the personal data is as safe, and as lost, as this file
                log.warning("keys.created", service=service, file=str(source.file), key=ring.ids[0])
        return read_key_file(source.file), source
    except KeyRingError as exc:
        raise StartRefused(f"{service}'s keys ({source}): {exc}") from None


def read_key_file(path: Path) -> KeyRing:
    try:
        mode = path.stat().st_mode & 0o777
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise KeyRingError("the file does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyRingError(f"the file cannot be read ({exc})") from None
    if mode & 0o007:
        raise KeyRingError(f"every user may read or write it (mode {mode:04o}): chmod 600 it")
    return KeyRing.parse(text)


def create_key_file(path: Path, text: str) -> bool:
    """Write a new key file (directory 0700, file 0600); never replace one that exists.
    Whether this call made it."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = _write_temp(path, text)
    try:
        os.link(temp, path)  # atomic, and fails if the file exists
    except FileExistsError:
        return False
    finally:
        temp.unlink()
    fsync_path(path.parent)
    return True


def replace_key_file(path: Path, text: str) -> None:
    """Replace a key file whole, keeping its owner and (owner- or group-only) mode: a crash leaves
    the old file or the new one, never half of one."""
    old = path.stat()
    temp = _write_temp(path, text)
    try:
        os.chmod(temp, old.st_mode & 0o770)
        if os.geteuid() == 0:
            os.chown(temp, old.st_uid, old.st_gid)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    fsync_path(path.parent)


def _write_temp(path: Path, text: str) -> Path:
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    return temp
