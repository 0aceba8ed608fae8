"""Who is on the bus: every connection to NATS has an identity, and every identity a key.

Identities (docs/contract.md §22):

- one per PropDesk service (`intake`, `dispatch`, `escalation`, `reporting`): publish their own
  events, answer their own subjects, manage the streams;
- `site-<site>`: the desk of one site office, in an account of its own (`SITE_<site>`) that sees
  only that site's commands, queries, notices and events;
- `ops`: replay, verify, export, the simulated clock; no desk commands;
- `analytics`: reads DESK and the company's reports; no commands.

Each identity authenticates with an NKey: an Ed25519 key pair whose seed (`SU…`) is kept in
`<credentials dir>/<identity>.nk`, readable by its owner only; the server knows only the public
key (`U…`). A client loads the seed file with nats-py's `nkeys_seed=` (or the `nats` CLI's
`--nkey`).
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import nkeys

from shared.messaging.subjects import is_valid_site

SERVICE_IDENTITIES = ("intake", "dispatch", "escalation", "reporting")
OPS = "ops"
ANALYTICS = "analytics"
SITE_PREFIX = "site-"
HUB_ACCOUNT = "HUB"  # the services' account: JetStream, the streams, every service's subjects
SEED_SUFFIX = ".nk"
REQUEST_INFO = "Nats-Request-Info"  # set by nats-server on a request that crossed accounts


def site_identity(site: str) -> str:
    return f"{SITE_PREFIX}{site}"


def site_of(identity: str) -> str | None:
    """The site of a desk identity (`site-hbw` → `hbw`), else None."""
    if identity.startswith(SITE_PREFIX) and is_valid_site(identity[len(SITE_PREFIX) :]):
        return identity[len(SITE_PREFIX) :]
    return None


def site_account(site: str) -> str:
    """The NATS account of a site's desk, as nats-server names the caller of a request."""
    return f"SITE_{site}"


def inbox_prefix(identity: str) -> str:
    """Where an identity receives its replies. In the services' account every user has a prefix
    of its own: nobody there may subscribe to `_INBOX.>`, where every other user's replies pass
    (pulled messages included). A site's desk has an account of its own, whose `_INBOX.>` holds
    only its own replies, so it keeps the default (and the `nats` CLI works as it is)."""
    return "_INBOX" if site_of(identity) is not None else f"_INBOX_{identity}"


def is_identity(name: str) -> bool:
    return name in (*SERVICE_IDENTITIES, OPS, ANALYTICS) or site_of(name) is not None


def caller_account(headers: dict[str, str] | None) -> str | None:
    """The account that sent a request, when it came from another account (a site's desk):
    nats-server writes it into `Nats-Request-Info` and overwrites whatever the caller put there.
    None for a request from inside the services' own account."""
    raw = (headers or {}).get(REQUEST_INFO)
    if not raw:
        return None
    try:
        account = json.loads(raw).get("acc")
    except (ValueError, AttributeError):
        return ""  # present but unreadable: never taken for "from inside"
    return account if isinstance(account, str) else ""


class Credentials:
    """The seed files of a deployment, one per identity, in one directory (mode 0700)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, identity: str) -> Path:
        if not is_identity(identity):
            raise ValueError(f"no such identity {identity!r}")
        return self.directory / f"{identity}{SEED_SUFFIX}"

    def public_key(self, identity: str) -> str | None:
        """The identity's public key (`U…`), or None when it holds no credential."""
        path = self.path(identity)
        if not path.exists():
            return None
        return public_key_of(path)

    def issue(self, identity: str, *, replace: bool = False) -> Path:
        """Create the identity's seed file, unless it has one (or `replace`: a new key, so the
        old one stops working once the server configuration is written and reloaded). Issuing
        explicitly (`replace`) reinstates a revoked identity."""
        path = self.path(identity)
        if path.exists() and not replace:
            return path
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)
        seed = nkeys.encode_seed(os.urandom(32), nkeys.PREFIX_BYTE_USER)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(seed + b"\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        with contextlib.suppress(FileNotFoundError):
            self._revoked(identity).unlink()
        return path

    def issue_unless_revoked(self, identity: str) -> Path | None:
        """What `propdesk up` does for every identity: issue a missing credential, but never
        one an operator revoked (until they issue it again)."""
        if self.is_revoked(identity):
            return None
        return self.issue(identity)

    def revoke(self, identity: str) -> bool:
        """Delete the identity's seed and remember it was revoked (so no restart issues it
        again): once the configuration is reloaded, the server refuses the key and drops its
        connections. The revoked seed is kept in `revoked/`, readable by the owner only, for
        the record of which key it was."""
        path = self.path(identity)
        if not path.exists():
            return False
        marker = self._revoked(identity)
        marker.parent.mkdir(mode=0o700, exist_ok=True)
        os.replace(path, marker)
        return True

    def is_revoked(self, identity: str) -> bool:
        return self._revoked(identity).exists()

    def _revoked(self, identity: str) -> Path:
        return self.directory / "revoked" / self.path(identity).name

    def identities(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        found = (p.name.removesuffix(SEED_SUFFIX) for p in self.directory.glob(f"*{SEED_SUFFIX}"))
        return sorted(name for name in found if is_identity(name))


def public_key_of(seed_file: Path) -> str:
    seed = seed_file.read_bytes().strip()
    try:
        return nkeys.from_seed(bytearray(seed)).public_key.decode()
    except Exception as exc:  # nkeys raises its own errors for every kind of bad seed
        raise ValueError(f"{seed_file} holds no NKey user seed: {exc}") from None
