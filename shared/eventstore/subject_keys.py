"""Per-subject keys, for personal data that the law may ask to erase from an event store that
never forgets (crypto-shredding, docs/VIOLATIONS.md "Erasure"). A subject's data is sealed with a
key of its own before it is stored in an event (which the store's key ring encrypts again);
erasing the subject deletes its key, and every copy of the sealed data, in the store and in its
backups, can no longer be read.

The keys are a small SQLite file (`<data-dir>/keys/intake-subjects.sqlite3`, whatever the
persistence), written with `secure_delete` so that a deleted key's bytes are overwritten. It is a
secret like the key file: `propdesk backup` copies it, after the stores; a backup made before an
erasure still holds the key until that backup is destroyed.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


def subject_keys_file(data_dir: Path) -> Path:
    return data_dir / "keys" / "intake-subjects.sqlite3"


class SubjectKeys:
    """One AES-256-GCM key per subject id (e.g. a violation case's id), until erased."""

    def __init__(self, path: Path | str = ":memory:") -> None:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA secure_delete = ON")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS subject_keys "
                "(subject TEXT PRIMARY KEY, key BLOB NOT NULL)"
            )
        if path != ":memory:":
            os.chmod(path, 0o600)

    def close(self) -> None:
        self._db.close()

    def _key(self, subject: str) -> bytes | None:
        row = self._db.execute("SELECT key FROM subject_keys WHERE subject = ?", (subject,))
        found = row.fetchone()
        return None if found is None else bytes(found[0])

    def seal(self, subject: str, data: dict[str, Any]) -> str:
        """`data` encrypted with the subject's key (made, and committed, the first time)."""
        with self._lock:
            key = self._key(subject)
            if key is None:
                key = AESGCM.generate_key(bit_length=256)
                self._db.execute("INSERT INTO subject_keys VALUES (?, ?)", (subject, key))
        nonce = os.urandom(NONCE_BYTES)
        sealed = nonce + AESGCM(key).encrypt(nonce, json.dumps(data).encode(), subject.encode())
        return base64.b64encode(sealed).decode()

    def open(self, subject: str, sealed: str) -> dict[str, Any] | None:
        """The data, or None once the subject was erased."""
        with self._lock:
            key = self._key(subject)
        if key is None:
            return None
        raw = base64.b64decode(sealed)
        try:
            plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], subject.encode())
        except InvalidTag:
            return None
        return json.loads(plain)

    def erase(self, subject: str) -> bool:
        """Delete the subject's key: whether there was one."""
        with self._lock:
            cursor = self._db.execute("DELETE FROM subject_keys WHERE subject = ?", (subject,))
            return cursor.rowcount > 0
