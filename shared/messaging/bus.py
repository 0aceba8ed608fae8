"""The event backbone: the one place that declares the JetStream streams, and the one place
that connects to NATS (every client PropDesk ships connects through `connect`)."""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import nats
from faststream.nats.security import NatsCredentials, NatsNKey, NatsSecurity
from nats.aio.client import Client
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError, ServiceUnavailableError

from shared.kernel.settings import Settings
from shared.messaging.identity import Credentials, inbox_prefix
from shared.messaging.subjects import EVENTS_ALL, NOTICES, NOTICES_ALL, STREAM

DUPLICATE_WINDOW = timedelta(hours=2)

DESK_STREAM = StreamConfig(
    name=STREAM,
    description="PropDesk domain events; history is kept for replay",
    subjects=[EVENTS_ALL],
    retention=RetentionPolicy.LIMITS,
    storage=StorageType.FILE,
    discard=DiscardPolicy.OLD,
    max_age=0,  # no age limit
    max_msgs=-1,
    max_bytes=-1,
    duplicate_window=DUPLICATE_WINDOW.total_seconds(),
    deny_delete=True,
    deny_purge=True,
    num_replicas=1,
    allow_direct=True,  # ops and analytics read it with direct gets, creating no consumer
)


# Notifications to roles: kept 90 days so a desk that was offline can catch up; the escalation
# events on DESK are the permanent record.
NOTICES_STREAM = StreamConfig(
    name=NOTICES,
    description="PropDesk notifications to roles (desk.ntf.<site>.<role>)",
    subjects=[NOTICES_ALL],
    retention=RetentionPolicy.LIMITS,
    storage=StorageType.FILE,
    discard=DiscardPolicy.OLD,
    max_age=timedelta(days=90).total_seconds(),
    duplicate_window=DUPLICATE_WINDOW.total_seconds(),
    num_replicas=1,
)


@dataclass(frozen=True)
class BusAccess:
    """How one identity reaches the bus: the server URLs (`tls://…` for TLS; several, comma
    separated, for a cluster), its credential file, the CA that signed the server's
    certificate (default: the system's), and a client certificate with its key for a hub that
    requires one (`propdesk nats config --tls-ca`)."""

    url: str
    identity: str
    creds: Path | None
    ca: Path | None = None
    cert: Path | None = None
    key: Path | None = None

    @property
    def servers(self) -> list[str]:
        return [u.strip() for u in self.url.split(",") if u.strip()]

    def _tls(self) -> ssl.SSLContext | None:
        tls_urls = any(u.startswith("tls://") for u in self.servers)
        if self.ca is None and self.cert is None and not tls_urls:
            return None
        context = ssl.create_default_context(cafile=str(self.ca) if self.ca else None)
        if self.cert is not None:
            context.load_cert_chain(self.cert, self.key)
        return context

    def options(self) -> dict[str, Any]:
        """nats-py's connect() options for this identity."""
        options: dict[str, Any] = {
            "servers": self.servers,
            "inbox_prefix": inbox_prefix(self.identity),
        }
        if self.creds is not None:
            key = "user_credentials" if self.creds.suffix == ".creds" else "nkeys_seed"
            options[key] = str(self.creds)
        tls = self._tls()
        if tls is not None:
            options["tls"] = tls
        return options

    def security(self) -> NatsSecurity | None:
        """The same for FastStream's broker (which also documents it in AsyncAPI)."""
        tls = self._tls()
        if self.creds is None:
            return NatsSecurity(ssl_context=tls) if tls else None
        if self.creds.suffix == ".creds":
            return NatsCredentials(str(self.creds), ssl_context=tls)
        return NatsNKey.from_file(self.creds, ssl_context=tls)


class MissingCredential(ValueError):
    """An identity has no credential file where it was looked for."""


def access_for(identity: str, url: str, settings: Settings, creds: Path | None = None) -> BusAccess:
    """An identity's access: the credential file `creds` if given (a client's --creds or
    PROPDESK_CREDS), else the identity's own file in the credentials directory
    (`<data-dir>/credentials/<identity>.nk`)."""
    if creds is None:
        creds = Credentials(settings.credentials_path).path(identity)
    if not creds.is_file():
        raise MissingCredential(
            f"no credential for {identity} at {creds}: `propdesk up` issues one per identity "
            "in <data-dir>/credentials (or give --creds FILE / PROPDESK_CREDS)"
        )
    return BusAccess(url, identity, creds, settings.nats_ca, settings.nats_cert, settings.nats_key)


# How a connection notices a server that hangs, or that a network cut off without a reset: its
# sockets stay open and silent, so only unanswered pings tell. nats-py's defaults (a ping every
# 120 s, two unanswered) left intake publishing into a frozen node for minutes while the other
# nodes of the cluster had elected a new leader; with these a silent server is given up after
# 6–8 s and the connection moves to another node (docs/RELIABILITY.md, "A node that hangs").
STALE_AFTER = {"ping_interval": 2, "max_outstanding_pings": 3}


async def connect(access: BusAccess, name: str, **overrides: Any) -> Client:
    """A connection as `access`'s identity; a service's reconnects forever by default."""
    options: dict[str, Any] = {
        "name": name,
        "max_reconnect_attempts": -1,
        "reconnect_time_wait": 0.5,
        "connect_timeout": 5,
        **STALE_AFTER,
    }
    return await nats.connect(**(access.options() | options | overrides))


# A cluster that has just started answers "JetStream temporarily unavailable" (or nothing) until
# its nodes have elected a meta leader, a few seconds; so does one that lost its leader.
LEADERLESS_WAIT = 30.0


async def ensure_stream(js: JetStreamContext, replicas: int = 1) -> None:
    """Create DESK and NOTICES, or bring existing ones to the declared configuration, held by
    `replicas` servers (Settings.stream_replicas; an R1 stream updated to R3 is replicated by
    the cluster). Never fewer than they have: one service started without the setting must not
    take a cluster's copies away."""
    for config in (DESK_STREAM, NOTICES_STREAM):
        await _declare(js, replace(config, num_replicas=replicas))


async def _declare(js: JetStreamContext, config: StreamConfig) -> None:
    deadline = asyncio.get_running_loop().time() + LEADERLESS_WAIT
    while True:
        try:
            try:
                held = (await js.stream_info(config.name)).config.num_replicas or 1
            except NotFoundError:
                await js.add_stream(config)
            else:
                replicas = max(held, config.num_replicas or 1)
                await js.update_stream(replace(config, num_replicas=replicas))
            return
        except (ServiceUnavailableError, NatsTimeout):
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.25)
