"""Staff accounts and sessions of the console (docs/CONSOLE.md).

Every member of a site's staff list signs in with a password of their own, stored as an scrypt
hash. Until they choose one, the documented first-run password lets them in once, to choose it.
A session is a random token held in a cookie; only its hash is stored. It ends after
`IDLE` without use, or `LONGEST` after sign-in, whichever comes first.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

FIRST_RUN_PASSWORD = "propdesk-first"  # README: valid once, changed at the first sign-in
MIN_LENGTH = 8
IDLE = timedelta(minutes=30)
# wrong passwords: after this many for one staff id within the window, sign-in waits it out
ATTEMPTS = 5
ATTEMPT_WINDOW = timedelta(minutes=15)
LONGEST = timedelta(hours=10)

# scrypt's cost: n=2**14, r=8 needs 16 MiB and ~50 ms here, enough for a loopback desk
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str, salt: bytes | None = None) -> str:
    """`scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    given = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(given.hex(), digest)


def password_problem(new: str, repeated: str, staff_id: str) -> str | None:
    """Why a new password is refused (zh-CN), or None."""
    if new != repeated:
        return "两次输入的新密码不一致"
    if len(new) < MIN_LENGTH:
        return f"新密码至少 {MIN_LENGTH} 位"
    if new == FIRST_RUN_PASSWORD or new.lower() == staff_id.lower():
        return "新密码不能是初始密码或工号"
    return None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the store keeps of a session's token: a leaked store signs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Session:
    """One signed-in member of staff at one site."""

    site: str
    staff_id: str
    csrf: str
    started_at: datetime
    last_seen: datetime
    must_change_password: bool

    def expired(self, now: datetime) -> bool:
        return now - self.last_seen > IDLE or now - self.started_at > LONGEST

    def csrf_matches(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(self.csrf, given or "")


class Attempts:
    """Wrong passwords per staff id in a sliding window (in memory: a restart forgets them)."""

    def __init__(self) -> None:
        self._failed: dict[tuple[str, str], list[datetime]] = {}

    def blocked(self, key: tuple[str, str], now: datetime) -> bool:
        recent = [t for t in self._failed.get(key, []) if now - t < ATTEMPT_WINDOW]
        self._failed[key] = recent
        return len(recent) >= ATTEMPTS

    def failed(self, key: tuple[str, str], now: datetime) -> None:
        self._failed.setdefault(key, []).append(now)

    def cleared(self, key: tuple[str, str]) -> None:
        self._failed.pop(key, None)
