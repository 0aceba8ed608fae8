"""Encryption at rest of a store that holds personal data (R15.1): a ring of AES-GCM keys, used as
eventsourcing's cipher, so every event and snapshot is encrypted before it reaches the database.

The ring's first key encrypts; every key of the ring decrypts. Each encrypted record begins with a
header that names its key, so a new key can be added while the records of older ones are still
read, and a store can be re-encrypted with the new key later (`propdesk keys rotate`). A record
without the header is the plaintext JSON a store held before it was encrypted, and is read as it is.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from eventsourcing.cryptography import AESCipher
from eventsourcing.persistence import Cipher
from eventsourcing.utils import Environment

# NUL never begins the JSON of an event's state, so the header cannot be mistaken for plaintext.
MAGIC = b"\x00pd1"
ID_BYTES = 4
HEADER = len(MAGIC) + ID_BYTES
KEY_BYTES = 32  # AES-256
CIPHER_TOPIC = "shared.eventstore.keyring:KeyRingCipher"
OLD_KEYS = "CIPHER_OLD_KEYS"  # beside eventsourcing's CIPHER_KEY: the keys that only decrypt
KEYS_FROM = "CIPHER_KEYS_FROM"  # where the keys came from, for the operator reading an error


class KeyRingError(ValueError):
    """A key that is not a key, or a record no key of the ring can read."""


def new_key() -> str:
    """A fresh random AES-256 key, base64."""
    return AESCipher.create_key(KEY_BYTES)


def key_id(key: str) -> str:
    """A key's public name (8 hex digits): a hash of the key, so naming it reveals nothing."""
    return hashlib.sha256(b"propdesk key id\x00" + _decode(key)).digest()[:ID_BYTES].hex()


def _decode(key: str) -> bytes:
    try:
        raw = base64.b64decode(key, validate=True)
    except (binascii.Error, ValueError):
        raise KeyRingError("a key is not base64 (`propdesk keys generate` makes one)") from None
    if len(raw) not in AESCipher.KEY_SIZES:
        raise KeyRingError(f"a key has {len(raw)} bytes; an AES key has 16, 24 or 32")
    return raw


@dataclass(frozen=True)
class KeyRing:
    """Base64 keys, the current (encrypting) one first."""

    keys: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> KeyRing:
        """Keys separated by spaces, commas or lines; `#` starts a comment to the end of a line."""
        words = re.split(r"[\s,]+", "\n".join(line.split("#")[0] for line in text.splitlines()))
        keys = tuple(dict.fromkeys(w for w in words if w))
        if not keys:
            raise KeyRingError("no key given")
        ids = [key_id(k) for k in keys]
        if len(set(ids)) != len(ids):
            raise KeyRingError("two keys share an id")  # never by chance with a handful of keys
        return cls(keys)

    @property
    def current(self) -> str:
        return self.keys[0]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(key_id(k) for k in self.keys)

    def with_new_key(self, key: str) -> KeyRing:
        return KeyRing((key, *self.keys))

    def without(self, ids: set[str]) -> KeyRing:
        """The ring less the keys named; the current key always stays."""
        return KeyRing(tuple(k for i, k in enumerate(self.keys) if i == 0 or key_id(k) not in ids))

    def render(self, service: str) -> str:
        """The ring as a key file: one key per line, each with its id."""
        lines = [
            f"# PropDesk: the keys of {service}'s store. The first encrypts, every key decrypts.",
            "# Losing a key loses the personal data it encrypts. Change with `propdesk keys`.",
        ]
        for i, key in enumerate(self.keys):
            lines.append(f"{key}  # {key_id(key)}{' current' if i == 0 else ''}")
        return "\n".join(lines) + "\n"

    def env(self, source: str) -> dict[str, str]:
        """eventsourcing's environment for this ring's cipher."""
        return {
            "CIPHER_TOPIC": CIPHER_TOPIC,
            AESCipher.CIPHER_KEY: self.current,
            OLD_KEYS: " ".join(self.keys[1:]),
            KEYS_FROM: source,
        }


def record_key(stored: bytes) -> str | None:
    """The id of the key a stored record is encrypted with; None for legacy plaintext."""
    if stored.startswith(MAGIC):
        return stored[len(MAGIC) : HEADER].hex()
    if stored[:1] == b"{":
        return None
    raise KeyRingError("a record is neither encrypted by PropDesk nor plaintext JSON")


class KeyRingCipher(Cipher):
    """eventsourcing's Cipher over a KeyRing (CIPHER_KEY, CIPHER_OLD_KEYS): the AES-GCM of
    eventsourcing's `cryptography`-based AESCipher, behind a header naming the key."""

    def __init__(self, environment: Environment) -> None:
        current = environment.get(AESCipher.CIPHER_KEY) or ""
        self.ring = KeyRing.parse(f"{current} {environment.get(OLD_KEYS) or ''}")
        self._ciphers = {
            key_id(key): AESCipher(Environment(env={AESCipher.CIPHER_KEY: key}))
            for key in self.ring.keys
        }
        self.current_id = key_id(self.ring.current)
        self.source = environment.get(KEYS_FROM) or "the keys given"
        self._header = MAGIC + bytes.fromhex(self.current_id)

    def encrypt(self, plaintext: bytes) -> bytes:
        return self._header + self._ciphers[self.current_id].encrypt(plaintext)

    def decrypt(self, ciphertext: bytes) -> bytes:
        kid = record_key(ciphertext)
        if kid is None:
            return ciphertext  # written before the store was encrypted
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise KeyRingError(
                f"a record is encrypted with key {kid}, which is not among the keys of "
                f"{self.source} ({', '.join(self.ring.ids)})"
            )
        try:
            return cipher.decrypt(ciphertext[HEADER:])
        except ValueError as exc:
            raise KeyRingError(f"a record encrypted with key {kid} is damaged ({exc})") from None
