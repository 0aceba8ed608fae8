"""`propdesk sites|credentials|nats`: which sites exist, who holds a credential, and the hub's
nats-server configuration (docs/contract.md §22, deploy/README.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ByteSize, TypeAdapter, ValidationError

from propdesk.cli.common import out, usage
from propdesk.cli.tables import desk_table
from propdesk.trust import Hub, ensure_site_directory
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.identity import is_identity, site_identity, site_of
from shared.messaging.natsconf import Cluster, ServerOptions, Tls
from shared.messaging.subjects import is_valid_site

sites_app = typer.Typer(no_args_is_help=True, help="The site directory: which sites exist.")
credentials_app = typer.Typer(
    no_args_is_help=True, help="Credentials on the bus: one per identity (issue, revoke)."
)
nats_app = typer.Typer(no_args_is_help=True, help="The hub's nats-server configuration.")


DataDir = Annotated[
    Path, typer.Option(envvar="PROPDESK_DATA_DIR", help="The data directory of the hub")
]


def _settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir)


def _apply(hub: Hub, settings: Settings) -> None:
    """Write the server configuration again and have a running server reload it."""
    if hub.options() is None:
        out.print(
            f"no server configuration in {hub.nats_dir}: `propdesk up` writes one when it starts, "
            "`propdesk nats config` one for a production hub"
        )
        return
    hub.prepare(ensure_site_directory(settings))
    if hub.reload_now():
        out.print(f"nats-server reloaded {hub.config_path}")
    else:
        out.print(f"wrote {hub.config_path}; no nats-server of this data directory runs")


# -- sites -------------------------------------------------------------------------------------


@sites_app.command("list")
def sites_list(data_dir: DataDir = Path("var")) -> None:
    """The sites served, with their time zone and whether their desk holds a credential."""
    settings = _settings(data_dir)
    directory = _directory(settings)
    hub = Hub(settings)
    columns = ("site", "name", "timezone", "counts", "desk credential")
    table = desk_table(f"Sites of {settings.sites_path}", columns, whole={"site"})
    for site, config in sorted(directory.sites.items()):
        creds = hub.credentials.path(site_identity(site))
        table.add_row(
            site,
            config.name,
            config.timezone,
            config.sla.counting,
            str(creds) if creds.exists() else "none",
        )
    out.print(table)


@sites_app.command("add")
def sites_add(
    site: Annotated[str, typer.Argument(help="The new site's id: 2–32 of a-z, 0-9 and -")],
    name: Annotated[str, typer.Option(help="The site's name, e.g. 华碧屋村管理处")],
    timezone: Annotated[str | None, typer.Option(help="IANA zone (default: the default's)")] = None,
    data_dir: DataDir = Path("var"),
) -> None:
    """Add a site (from the directory's `default` configuration), issue its desk's credential,
    and have a running hub serve it at once."""
    if not is_valid_site(site):
        usage(f"invalid site id {site!r}: 2–32 of a-z, 0-9 and -, not starting with -")
    settings = _settings(data_dir)
    directory = _directory(settings)
    if site in directory.sites:
        usage(f"site {site} exists already")
    update: dict[str, str] = {"name": name}
    if timezone is not None:
        update["timezone"] = timezone
    try:
        config = directory.default.model_validate(directory.default.model_dump() | update)
    except ValidationError as exc:
        usage(f"invalid site: {exc.errors(include_url=False)[0]['msg']}")
    directory.with_site(site, config).save(settings.sites_path)
    hub = Hub(settings)
    creds = hub.credentials.issue(site_identity(site))
    out.print(f"added {site} ({name}) to {settings.sites_path}")
    out.print(f"its desk's credential: {creds} (give it to the site office; mode 0600)")
    _apply(hub, settings)


# -- credentials -------------------------------------------------------------------------------


@credentials_app.command("list")
def credentials_list(data_dir: DataDir = Path("var")) -> None:
    """Every identity holding a credential, with its public key."""
    hub = Hub(_settings(data_dir))
    # the identity and its key whole (compared with the hub's configuration), the path folded
    columns = ("identity", "public key", "file")
    table = desk_table(f"Credentials in {hub.credentials.directory}", columns, columns[:2])
    for identity in hub.credentials.identities():
        path = hub.credentials.path(identity)
        table.add_row(identity, hub.credentials.public_key(identity) or "", str(path))
    out.print(table)


@credentials_app.command("issue")
def credentials_issue(
    identity: Annotated[str, typer.Argument(help="site-<site>, ops, analytics or a service")],
    rotate: Annotated[
        bool, typer.Option(help="Replace an existing credential (the old key stops working)")
    ] = False,
    data_dir: DataDir = Path("var"),
) -> None:
    """Issue an identity's credential (or a new one, with --rotate) and reload the hub."""
    settings = _settings(data_dir)
    hub = Hub(settings)
    _known(identity, settings)
    path = hub.credentials.path(identity)
    if path.exists() and not rotate:
        usage(f"{identity} holds a credential already ({path}); --rotate replaces it")
    hub.credentials.issue(identity, replace=True)
    out.print(f"issued {identity}: {path} (public key {hub.credentials.public_key(identity)})")
    _apply(hub, settings)


@credentials_app.command("revoke")
def credentials_revoke(
    identity: Annotated[str, typer.Argument(help="site-<site>, ops, analytics or a service")],
    data_dir: DataDir = Path("var"),
) -> None:
    """Revoke an identity's credential: the hub refuses its key and drops its connections."""
    settings = _settings(data_dir)
    hub = Hub(settings)
    _known(identity, settings)
    if not hub.credentials.revoke(identity):
        usage(f"{identity} holds no credential")
    out.print(f"revoked {identity}")
    _apply(hub, settings)


# -- the hub's configuration -------------------------------------------------------------------


@nats_app.command("config")
def nats_config(
    host: Annotated[str, typer.Option(help="Interface clients connect to")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Client port")] = 4222,
    tls_cert: Annotated[Path | None, typer.Option(help="Server certificate (PEM)")] = None,
    tls_key: Annotated[Path | None, typer.Option(help="Its private key (PEM)")] = None,
    tls_ca: Annotated[
        Path | None, typer.Option(help="Require client certificates signed by this CA")
    ] = None,
    sync_always: Annotated[
        bool, typer.Option(help="fsync every JetStream write (production: yes)")
    ] = True,
    http: Annotated[str | None, typer.Option(help="Monitoring, e.g. 127.0.0.1:8222")] = None,
    max_store: Annotated[
        str | None,
        typer.Option(
            help="What JetStream may store, e.g. 200GB: the services alert ops at 80 % and "
            "95 % of it (default: no limit but nats-server's own)"
        ),
    ] = None,
    reporting_replica: Annotated[
        list[str] | None,
        typer.Option(
            envvar="PROPDESK_REPORTING_REPLICAS",
            help="Grant this reporting replica (`serve reporting --replica`); repeat for more",
        ),
    ] = None,
    server_name: Annotated[
        str, typer.Option(help="This server's name (each node of a cluster its own)")
    ] = "propdesk",
    cluster: Annotated[
        str | None,
        typer.Option(help="Make it a node of a cluster: its route port, e.g. 0.0.0.0:6222"),
    ] = None,
    route: Annotated[
        list[str] | None,
        typer.Option(help="Another node's route, e.g. nats-route://nats-2:6222 (repeat it)"),
    ] = None,
    route_ca: Annotated[
        Path | None,
        typer.Option(
            help="Routes over TLS with --tls-cert/--tls-key, peers' certificates signed by this CA"
        ),
    ] = None,
    data_dir: DataDir = Path("var"),
) -> None:
    """Write a hub's nats-server configuration (and every credential it names) for running
    nats-server yourself: `nats-server -c <data-dir>/nats/nats-server.conf`. For a cluster, once
    per node, each with the same credentials directory (deploy/cluster/)."""
    limit = None
    if max_store is not None:
        try:
            limit = int(TypeAdapter(ByteSize).validate_python(max_store))
        except ValidationError:
            usage(f"--max-store {max_store!r} is not a size (e.g. 200GB, 500MiB)")
    if (tls_cert is None) != (tls_key is None):
        usage("--tls-cert and --tls-key go together")
    if tls_ca is not None and tls_cert is None:
        usage("--tls-ca needs --tls-cert and --tls-key")
    try:
        given = ",".join(reporting_replica or ())
        replicas = Settings(reporting_replicas=given).reporting_replicas
    except ValidationError:
        usage("a reporting replica's name is lower-case letters, digits and '-' (up to 32)")
    if (cluster is None) != (not route):
        usage("--cluster and --route go together (a node and the routes to its peers)")
    if route_ca is not None and (tls_cert is None or cluster is None):
        usage("--route-ca needs --cluster, --tls-cert and --tls-key")
    settings = _settings(data_dir)
    hub = Hub(settings)
    tls = node = None
    if tls_cert is not None and tls_key is not None:
        tls = Tls(tls_cert.resolve(), tls_key.resolve(), tls_ca.resolve() if tls_ca else None)
    if cluster is not None and route:
        route_tls = None
        if route_ca is not None and tls is not None:
            route_tls = Tls(tls.cert_file, tls.key_file, route_ca.resolve())
        node = Cluster(listen=cluster, routes=tuple(route), tls=route_tls)
    options = ServerOptions(
        host=host,
        port=port,
        store_dir=hub.nats_dir.resolve(),
        pid_file=hub.pid_file.resolve(),
        sync_always=sync_always,
        http=http,
        tls=tls,
        max_store=limit,
        reporting_replicas=replicas,
        server_name=server_name,
        cluster=node,
    )
    path = hub.prepare(_directory(settings), options)
    out.print(f"wrote {path}")
    names = ", ".join(hub.credentials.identities())
    out.print(f"credentials in {hub.credentials.directory}: {names}")


@nats_app.command("reload")
def nats_reload(data_dir: DataDir = Path("var")) -> None:
    """Write the hub's configuration again, with the options it was last written with and the
    site directory as it is now (a site added by hand gets its desk's credential), and have the
    running server reload it. Run it after editing the site directory by hand, and after an
    upgrade of PropDesk (the services' permissions come from their code)."""
    settings = _settings(data_dir)
    _apply(Hub(settings), settings)


# -- helpers -----------------------------------------------------------------------------------


def _directory(settings: Settings) -> SiteDirectory:
    try:
        return ensure_site_directory(settings)
    except (OSError, ValueError) as exc:
        usage(f"cannot read the site directory: {exc}")


def _known(identity: str, settings: Settings) -> None:
    site = site_of(identity)
    if site is not None:
        if site not in _directory(settings).sites:
            usage(f"no site {site} in {settings.sites_path}: `propdesk sites add {site}` first")
        return
    if not is_identity(identity):
        usage(f"no such identity {identity!r}: site-<site>, ops, analytics or a service")
