"""A JetStream cluster on loopback, configured as a production cluster is (deploy/cluster/): for
tests/conftest.py's SecuredCluster and bench/chaos.py's `--nodes 3`."""

from __future__ import annotations

from pathlib import Path

from propdesk.trust import Hub
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.natsconf import Cluster, ServerOptions
from shared.messaging.natsd import free_port


def loopback_cluster(
    root: Path, credentials_dir: Path, sites: SiteDirectory, size: int = 3
) -> dict[str, tuple[Hub, int, Path]]:
    """Each node `nats-1` … `nats-<size>` with its own data directory under `root` and the
    configuration `propdesk nats config --cluster … --route …` writes there (its server name,
    client and route ports, store, every JetStream write synced), the credentials in
    `credentials_dir` shared by all: each node's hub, client port and configuration file."""
    names = [f"nats-{n}" for n in range(1, size + 1)]
    ports = {name: (free_port(), free_port()) for name in names}  # client, route
    nodes = {}
    for name, (port, route) in ports.items():
        hub = Hub(Settings(data_dir=root / name, credentials_dir=credentials_dir))
        peers = tuple(f"nats-route://127.0.0.1:{ports[peer][1]}" for peer in names if peer != name)
        options = ServerOptions(
            port=port,
            store_dir=hub.nats_dir,
            pid_file=hub.pid_file,
            server_name=name,
            sync_always=True,
            cluster=Cluster(listen=f"127.0.0.1:{route}", routes=peers),
        )
        nodes[name] = (hub, port, hub.prepare(sites, options))
    return nodes
