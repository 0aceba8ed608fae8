"""The nats-server configuration of a PropDesk hub: who may connect, and what each may do.

Written by `propdesk up` for its embedded server and by `propdesk nats config` for a production
hub (deploy/README.md); regenerated and reloaded when a site is added or a credential issued or
revoked. Enforcement is the server's own:

- account `HUB` holds JetStream and every service, ops and analytics, each a user with its own
  publish/subscribe permissions (deny by default);
- every site is an account of its own that imports from HUB exactly its own subjects: its
  commands and queries (service imports; nats-server names the calling account to the service in
  `Nats-Request-Info`), its notices and its events (stream imports, live). A site's desk cannot
  address another site's subjects, receive their messages, or publish any event.
- nobody but a service may create a consumer. Ops and analytics read DESK with the direct-get
  API (`$JS.API.DIRECT.GET.DESK`), which creates nothing: a user allowed to create consumers on
  the plain subject `$JS.API.CONSUMER.CREATE.DESK` can re-create a service's durable consumer
  with another filter, found on nats-server 2.15.1 (tests/integration/test_bus_trust.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from shared.messaging import subjects
from shared.messaging.identity import (
    ANALYTICS,
    HUB_ACCOUNT,
    OPS,
    inbox_prefix,
    site_account,
    site_identity,
)
from shared.messaging.instance import instance_subject
from shared.messaging.subjects import ALERTS_ALL, NOTICES, OPS_ALL, SIM_CLOCK_SET, STREAM

JS = "$JS.API"
STREAMS = (STREAM, NOTICES)


@dataclass(frozen=True)
class Grant:
    """What one user may do: subjects it may publish to and subscribe to (nothing else), and
    whether it may answer the requests it receives (`allow_responses`)."""

    publish: tuple[str, ...] = ()
    subscribe: tuple[str, ...] = ()
    responses: bool = False

    def permissions(self) -> dict[str, object]:
        perms: dict[str, object] = {
            "publish": {"allow": list(self.publish) or ["_NOTHING_"]},
            "subscribe": {"allow": list(self.subscribe) or ["_NOTHING_"]},
        }
        if self.responses:
            perms["allow_responses"] = True
        return perms


def service_grant(
    identity: str,
    *,
    publishes: Iterable[str],
    serves: Iterable[str],
    durables: Iterable[str],
    reads: bool = False,
    claims: Iterable[str] = (),
) -> Grant:
    """A service: its own events and notices, its own request subjects, its own durable
    consumers on DESK, and the streams' declaration (each service declares them at start).
    With `reads`, also DESK by direct get (read only, creates nothing): a parked event is retried
    from there, and reporting rebuilds a corrupt view that way. `claims`: the names it claims on
    the bus (default: its identity's; reporting's replicas each their own)."""
    jetstream = [f"{JS}.INFO"]
    for stream in STREAMS:
        jetstream += [f"{JS}.STREAM.{verb}.{stream}" for verb in ("INFO", "CREATE", "UPDATE")]
    for durable in durables:
        jetstream += [
            f"{JS}.CONSUMER.{verb}.{STREAM}.{durable}"
            for verb in ("INFO", "DELETE", "MSG.NEXT", "DURABLE.CREATE", "CREATE")
        ]
        jetstream += [f"{JS}.CONSUMER.CREATE.{STREAM}.{durable}.>", f"$JS.ACK.{STREAM}.{durable}.>"]
    if reads or durables:
        jetstream.append(f"{JS}.DIRECT.GET.{STREAM}")
    # one of each on the bus (shared/messaging/instance.py)
    claim = tuple(claims) or (instance_subject(identity),)
    return Grant(
        publish=(*sorted(set(publishes)), *claim, *jetstream),
        subscribe=(*sorted(set(serves)), *claim, f"{inbox_prefix(identity)}.>"),
        responses=True,
    )


def reader_grant(identity: str, *requests: str, hears: tuple[str, ...] = ()) -> Grant:
    """Ops and analytics: read DESK message by message (direct get), send `requests`, and
    listen to `hears`."""
    return Grant(
        publish=(
            *requests,
            f"{JS}.INFO",
            f"{JS}.STREAM.INFO.{STREAM}",
            f"{JS}.DIRECT.GET.{STREAM}",
        ),
        subscribe=(*hears, f"{inbox_prefix(identity)}.>"),
    )


# ops also watches the consumers' lag (read-only: list and info), and hears the services'
# alerts (the JetStream store filling up, an event parked, DESK recreated: docs/RELIABILITY.md)
OPS_GRANT = reader_grant(
    OPS,
    OPS_ALL,
    SIM_CLOCK_SET,
    f"{JS}.CONSUMER.LIST.{STREAM}",
    f"{JS}.CONSUMER.INFO.{STREAM}.*",
    hears=(ALERTS_ALL,),
)
ANALYTICS_GRANT = reader_grant(ANALYTICS, subjects.query(subjects.COMPANY, ">"))


@dataclass(frozen=True)
class SiteSubjects:
    """Every subject of one site, by kind: what its account imports from HUB."""

    commands: str
    queries: str
    notices: str
    events: str

    @classmethod
    def of(cls, site: str) -> SiteSubjects:
        return cls(
            subjects.site_commands(site),
            subjects.query(site, ">"),
            subjects.notice(site, ">"),
            subjects.site_events(site),
        )


def site_grant(site: str) -> Grant:
    """A site's desk, inside its own account: its requests out, its replies, notices, events in."""
    own = SiteSubjects.of(site)
    return Grant(
        publish=(own.commands, own.queries),
        subscribe=(
            f"{inbox_prefix(site_identity(site))}.>",  # `_INBOX.>` of its own account
            own.notices,
            own.events,
        ),
    )


@dataclass(frozen=True)
class Tls:
    cert_file: Path
    key_file: Path
    ca_file: Path | None = None  # with it, clients must also present a certificate it signed

    def block(self) -> dict[str, object]:
        """nats-server's `tls` block: the certificate, and the CA peers must be signed by."""
        block: dict[str, object] = {
            "cert_file": str(self.cert_file),
            "key_file": str(self.key_file),
        }
        if self.ca_file is not None:
            block |= {"ca_file": str(self.ca_file), "verify": True}
        return block


@dataclass(frozen=True)
class Cluster:
    """This server as one node of a JetStream cluster (deploy/cluster/): the port its peers'
    routes connect to, and theirs. With `tls` (its CA required), a route must present a
    certificate that CA signed: nothing else joins the cluster and sees every account."""

    listen: str  # host:port of this node's route port
    routes: tuple[str, ...]  # nats-route://host:port of every other node
    name: str = "propdesk"
    tls: Tls | None = None

    def block(self) -> dict[str, object]:
        block: dict[str, object] = {
            "name": self.name,
            "listen": self.listen,
            "routes": list(self.routes),
        }
        if self.tls is not None:
            block["tls"] = self.tls.block()
        return block


@dataclass(frozen=True)
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 4222
    store_dir: Path = Path("nats")
    server_name: str = "propdesk"
    pid_file: Path | None = None
    sync_always: bool = False  # fsync every JetStream write (production: deploy/README.md)
    http: str | None = None  # monitoring endpoint, e.g. 127.0.0.1:8222
    # bytes JetStream may store, for the server and for HUB: the services read it in their
    # account info and alert ops as the store fills (docs/RELIABILITY.md); None: no limit but
    # nats-server's own (a share of the disk)
    max_store: int | None = None
    tls: Tls | None = None
    # the reporting replicas besides the first that the hub grants their own durable consumers
    # and ops subjects (docs/RELIABILITY.md, More than one of each)
    reporting_replicas: tuple[str, ...] = ()
    cluster: Cluster | None = None  # None: one server alone
    extra: Mapping[str, object] = field(default_factory=dict)


def render(
    options: ServerOptions,
    hub_users: Mapping[str, tuple[str, Grant]],
    sites: Mapping[str, str | None],
) -> str:
    """The configuration text. `hub_users`: identity → (public key, grant) in HUB; `sites`:
    site → its desk's public key (None: the site exists but holds no credential)."""
    lines = [
        "# PropDesk hub, written by propdesk (shared/messaging/natsconf.py). Do not edit by hand:",
        "# `propdesk sites add` and `propdesk credentials issue|revoke` rewrite it.",
        f"server_name: {_q(options.server_name)}",
        f"host: {_q(options.host)}",
        f"port: {options.port}",
    ]
    if options.pid_file is not None:
        lines.append(f"pid_file: {_q(str(options.pid_file))}")
    if options.http:
        lines.append(f"http: {_q(options.http)}")
    jetstream: dict[str, object] = {"store_dir": str(options.store_dir)}
    if options.max_store is not None:
        jetstream["max_file_store"] = options.max_store
    if options.sync_always:
        jetstream["sync_interval"] = "always"
    lines.append(f"jetstream: {_obj(jetstream)}")
    if options.tls is not None:
        lines.append(f"tls: {_obj(options.tls.block())}")
    if options.cluster is not None:
        lines.append(f"cluster: {_obj(options.cluster.block())}")
    for key, value in options.extra.items():
        lines.append(f"{key}: {json.dumps(value)}")
    lines.append("accounts: {")
    lines.append(_hub(hub_users, sites, options.max_store))
    for site, key in sorted(sites.items()):
        lines.append(_site_account(site, key))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _hub(
    users: Mapping[str, tuple[str, Grant]],
    sites: Mapping[str, str | None],
    max_store: int | None = None,
) -> str:
    entries = [
        f"      # {identity}\n      {_obj({'nkey': key, 'permissions': grant.permissions()})}"
        for identity, (key, grant) in sorted(users.items())
    ]
    exports = []
    for site in sorted(sites):
        only, own = [site_account(site)], SiteSubjects.of(site)
        exports += [
            {"service": own.commands, "accounts": only},
            {"service": own.queries, "accounts": only},
            {"stream": own.notices, "accounts": only},
            {"stream": own.events, "accounts": only},
        ]
    # with a limit, the account's own: what `$JS.API.INFO` tells the services
    jetstream = "enabled" if max_store is None else _obj({"max_file": max_store, "max_mem": -1})
    return (
        f"  {HUB_ACCOUNT}: {{\n    jetstream: {jetstream}\n    users: [\n"
        + "\n".join(entries)
        + "\n    ]\n    exports: [\n"
        + "\n".join(f"      {_obj(e)}" for e in exports)
        + "\n    ]\n  }"
    )


def _site_account(site: str, key: str | None) -> str:
    users = [{"nkey": key, "permissions": site_grant(site).permissions()}] if key else []
    own = SiteSubjects.of(site)
    imports = [
        {"service": {"account": HUB_ACCOUNT, "subject": own.commands}, "share": True},
        {"service": {"account": HUB_ACCOUNT, "subject": own.queries}, "share": True},
        {"stream": {"account": HUB_ACCOUNT, "subject": own.notices}},
        {"stream": {"account": HUB_ACCOUNT, "subject": own.events}},
    ]
    return (
        f"  # the desk of site {site}\n  {site_account(site)}: {{\n"
        f"    users: [{', '.join(_obj(u) for u in users)}]\n    imports: [\n"
        + "\n".join(f"      {_obj(i)}" for i in imports)
        + "\n    ]\n  }"
    )


def _q(text: str) -> str:
    return json.dumps(text)


def _obj(value: object) -> str:
    """JSON is valid nats-server configuration syntax; keys and strings quoted, so `$JS…` and
    `>` are never read as variables or operators."""
    return json.dumps(value, ensure_ascii=False)
