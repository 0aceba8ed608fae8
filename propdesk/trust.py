"""The trust of one PropDesk hub: a credential for every identity, and the nats-server
configuration that lets each do its own work and nothing else (shared/messaging/natsconf.py).

Everything lives under the data directory:

    <data-dir>/credentials/<identity>.nk   one NKey seed per identity (0600, directory 0700)
    <data-dir>/nats/nats-server.conf       the generated server configuration
    <data-dir>/nats/nats-server.json       the options it was generated with (host, port, TLS…)
    <data-dir>/nats/nats-server.pid        the running server's pid, for reloads

A service's grant is read off its own router (the subjects it serves and publishes) and its
durable consumers, so the permissions cannot drift from the code.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

from shared.kernel.clock import SimulatedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.identity import (
    ANALYTICS,
    OPS,
    SERVICE_IDENTITIES,
    Credentials,
    site_identity,
)
from shared.messaging.instance import instance_subject
from shared.messaging.natsconf import (
    ANALYTICS_GRANT,
    OPS_GRANT,
    Cluster,
    Grant,
    ServerOptions,
    Tls,
    render,
    service_grant,
)
from shared.messaging.natsd import signal_reload

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def default_directory() -> SiteDirectory:
    """The sites `propdesk up` serves when nobody chose: the demo's three (README, Operating
    it), never whatever site id a command names."""
    from propdesk.demo.sites import SITES

    return SiteDirectory.model_validate(SITES)


def ensure_site_directory(settings: Settings, *, write_default: bool = False) -> SiteDirectory:
    """The site directory at settings.sites_path. `propdesk up` (`write_default`) writes the
    default sites into the data directory the first time; everything else needs the file."""
    path = settings.sites_path
    if not path.exists():
        if settings.sites_file is not None or not write_default:
            raise ValueError(
                f"no site directory at {path}: list your sites there (deploy/sites.example.json "
                "is an example), or run `propdesk up` once for the default one"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        default_directory().save(path)
    return SiteDirectory.load(path)


def service_grants(replicas: tuple[str, ...] = ()) -> dict[str, Grant]:
    """Each service's grant, from the subjects its router serves and publishes. The simulated
    clock's subject is included: a service cannot know at configuration time how it will run.
    A replicable service (reporting) is granted what each of `replicas` serves and consumes too:
    its own durable consumers, ops subjects and claim."""
    from propdesk.runtime import SERVICES  # the runtime starts the hub: import it late

    grants = {}
    clock = SimulatedClock(EPOCH)
    for name in SERVICE_IDENTITIES:
        kind = SERVICES[name]
        copies = [
            kind(Settings(replica=replica), clock, SiteDirectory(strict=False))
            for replica in (None, *(replicas if kind.replicable else ()))
        ]
        routers = [copy.router() for copy in copies]
        grants[name] = service_grant(
            name,
            publishes=[p.subject.broker_address for r in routers for p in r.publishers],
            serves=[s.subject.broker_address for r in routers for s in r.subscribers],
            durables=[durable for copy in copies for durable in copy.durables()],
            reads=kind.reads_stream,
            claims=[instance_subject(copy.ops_name) for copy in copies],
        )
    return grants


class Hub:
    """The credentials and the server configuration of the hub whose data directory this is."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.credentials = Credentials(settings.credentials_path)
        self.nats_dir = settings.data_dir / "nats"

    @property
    def config_path(self) -> Path:
        return self.nats_dir / "nats-server.conf"

    @property
    def options_path(self) -> Path:
        return self.nats_dir / "nats-server.json"

    @property
    def pid_file(self) -> Path:
        return self.nats_dir / "nats-server.pid"

    def embedded_options(self, port: int, max_store: int | None = None) -> ServerOptions:
        """`propdesk up`'s own server: loopback only."""
        return ServerOptions(
            host="127.0.0.1",
            port=port,
            store_dir=self.nats_dir,
            pid_file=self.pid_file,
            max_store=int(max_store) if max_store is not None else None,
            reporting_replicas=self.settings.reporting_replicas,
        )

    def options(self) -> ServerOptions | None:
        if not self.options_path.exists():
            return None
        data = json.loads(self.options_path.read_text(encoding="utf-8"))
        tls = data.pop("tls", None)
        cluster = data.pop("cluster", None)
        options = ServerOptions(**{k: v for k, v in data.items() if k != "extra"})
        options = replace(
            options,
            store_dir=Path(options.store_dir),
            pid_file=Path(options.pid_file) if options.pid_file else None,
            reporting_replicas=tuple(options.reporting_replicas),
            tls=_tls(tls),
        )
        if cluster:
            cluster |= {"routes": tuple(cluster["routes"]), "tls": _tls(cluster["tls"])}
            options = replace(options, cluster=Cluster(**cluster))
        return options

    def issue_all(self, sites: SiteDirectory) -> None:
        """A credential for every identity that has none: each service, ops, analytics, and
        the desk of every listed site. Existing credentials are kept (a restart changes none),
        and a revoked one stays revoked until an operator issues it again."""
        for identity in (*SERVICE_IDENTITIES, OPS, ANALYTICS):
            self.credentials.issue_unless_revoked(identity)
        for site in sites.sites:
            self.credentials.issue_unless_revoked(site_identity(site))

    def write(self, sites: SiteDirectory, options: ServerOptions | None = None) -> Path:
        """Write the configuration for `sites` with `options` (default: those last written)."""
        options = options or self.options()
        if options is None:
            raise ValueError(f"no server options at {self.options_path}: run `propdesk up` first")
        users = dict(service_grants(options.reporting_replicas))
        users |= {OPS: OPS_GRANT, ANALYTICS: ANALYTICS_GRANT}
        hub_users = {}
        for identity, grant in users.items():
            key = self.credentials.public_key(identity)
            if key is not None:
                hub_users[identity] = (key, grant)
        desks = {site: self.credentials.public_key(site_identity(site)) for site in sites.sites}
        self.nats_dir.mkdir(parents=True, exist_ok=True)
        _write(self.config_path, render(options, hub_users, desks))
        _write(self.options_path, json.dumps(_plain(asdict(options)), indent=2) + "\n")
        return self.config_path

    def prepare(self, sites: SiteDirectory, options: ServerOptions | None = None) -> Path:
        """Credentials for every identity of `sites`, and the configuration that names them."""
        self.issue_all(sites)
        return self.write(sites, options)

    async def reload(self) -> bool:
        """Signal the running server (by its pid file) to read the configuration again;
        False when no server of this data directory runs."""
        try:
            pid = int(self.pid_file.read_text().strip())
            os.kill(pid, 0)
        except (OSError, ValueError):
            return False
        await signal_reload(pid)
        return True

    def reload_now(self) -> bool:
        return asyncio.run(self.reload())


def _tls(data: dict[str, str] | None) -> Tls | None:
    if not data:
        return None
    ca = data.get("ca_file")
    return Tls(Path(data["cert_file"]), Path(data["key_file"]), Path(ca) if ca else None)


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "extra"}
    if isinstance(value, Path):
        return str(value)
    return value


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
