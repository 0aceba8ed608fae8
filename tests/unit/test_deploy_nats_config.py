"""deploy/nats-server.conf is what `propdesk nats config` writes for a production hub serving
the example sites, and deploy/cluster/nats-{1,2,3}.conf what it writes for each node of a
three-node cluster serving them (so none can go stale); nats-server accepts each."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import nkeys
import pytest
from typer.testing import CliRunner

from propdesk.cli.main import app
from propdesk.trust import Hub
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.identity import Credentials
from shared.messaging.natsd import nats_server_binary
from tests.pki import TestCA

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
EXAMPLE_CONFIG = DEPLOY / "nats-server.conf"
REGENERATE = ".venv/bin/python -m tests.unit.test_deploy_nats_config"

# The production layout the example stands for (deploy/README.md, Install)
DATA_DIR = "/var/lib/propdesk"
TLS_DIR = "/etc/propdesk/tls"
NATS_CONFIG_ARGS = (
    "--host", "0.0.0.0", "--port", "4222",
    "--tls-cert", f"{TLS_DIR}/server.pem", "--tls-key", f"{TLS_DIR}/server-key.pem",
    "--http", "127.0.0.1:8222", "--sync-always", "--reporting-replica", "b",
)  # fmt: skip
HEADER = f"""\
# EXAMPLE: the nats-server configuration of a production PropDesk hub, as
#
#   propdesk nats config {" ".join(NATS_CONFIG_ARGS[:4])} \\
#     {" ".join(NATS_CONFIG_ARGS[4:8])} \\
#     {" ".join(NATS_CONFIG_ARGS[8:11])} \\
#     {" ".join(NATS_CONFIG_ARGS[11:])} --data-dir {DATA_DIR}
#
# writes it to {DATA_DIR}/nats/nats-server.conf for the sites of deploy/sites.example.json.
# Do not install this file: every installation has keys of its own (each `<public key of …>`
# below stands for one), and `propdesk sites add` and `propdesk credentials issue|revoke`
# rewrite the real file and reload the server (deploy/README.md). A test checks that this
# example is what the generator writes (tests/unit/test_deploy_nats_config.py).
#
"""
PLACEHOLDER = re.compile(r"<public key of ([a-z0-9-]+)>")

# The cluster (deploy/cluster/): three hosts, each running one node with the options above and
# its own name and routes; routes over mutual TLS, the peers' certificates signed by ROUTE_CA.
CLUSTER = DEPLOY / "cluster"
NODES = ("nats-1", "nats-2", "nats-3")
ROUTE_CA = f"{TLS_DIR}/route-ca.pem"


def node_args(node: str) -> tuple[str, ...]:
    routes = [f"nats-route://{peer}.propdesk.internal:6222" for peer in NODES if peer != node]
    return (
        "--server-name", node, "--cluster", "0.0.0.0:6222",
        *(arg for route in routes for arg in ("--route", route)), "--route-ca", ROUTE_CA,
    )  # fmt: skip


def node_header(node: str) -> str:
    args = node_args(node)
    return f"""\
# EXAMPLE: node {node} of a three-node PropDesk cluster (JetStream R3), on the host
# {node}.propdesk.internal, as
#
#   propdesk nats config {" ".join(NATS_CONFIG_ARGS[:4])} \\
#     {" ".join(NATS_CONFIG_ARGS[4:8])} \\
#     {" ".join(NATS_CONFIG_ARGS[8:])} \\
#     {" ".join(args[:4])} \\
#     {" ".join(args[4:6])} \\
#     {" ".join(args[6:8])} \\
#     {" ".join(args[8:])} --data-dir {DATA_DIR}
#
# writes it on that host, with the credentials directory the three nodes share
# (PROPDESK_CREDENTIALS_DIR): its accounts are those of ../nats-server.conf, byte for byte.
# Routes go over TLS both ways: each node's server.pem must name its host and allow client
# and server use, signed by route-ca.pem. Do not install this file (../README.md, "A NATS
# cluster"); a test checks that it is what the generator writes
# (tests/unit/test_deploy_nats_config.py).
#
"""


def generate(work: Path, extra: tuple[str, ...] = (), credentials: Path | None = None) -> str:
    """What `propdesk nats config` writes for the example's options (and `extra`) and sites,
    with the installation's own paths and keys written as the production layout and
    placeholders; `credentials`: a credentials directory shared with other nodes."""
    data_dir, tls_dir = work / "propdesk", work / "tls"
    data_dir.mkdir(parents=True)
    shutil.copy(DEPLOY / "sites.example.json", data_dir / "sites.json")
    args = [a.replace(TLS_DIR, str(tls_dir)) for a in (*NATS_CONFIG_ARGS, *extra)]
    env = {"PROPDESK_CREDENTIALS_DIR": str(credentials)} if credentials else None
    result = CliRunner().invoke(
        app, ["nats", "config", *args, "--data-dir", str(data_dir)], env=env
    )
    assert result.exit_code == 0, result.output
    hub = Hub(Settings(data_dir=data_dir, credentials_dir=credentials))
    text = hub.config_path.read_text(encoding="utf-8")
    for identity in hub.credentials.identities():
        key = hub.credentials.public_key(identity)
        assert key is not None and key in text
        text = text.replace(key, f"<public key of {identity}>")
    return text.replace(str(data_dir.resolve()), DATA_DIR).replace(str(tls_dir.resolve()), TLS_DIR)


def generate_example(work: Path) -> str:
    return HEADER + generate(work)


def generate_nodes(work: Path) -> dict[str, str]:
    """Each node's configuration, all from one credentials directory (as the nodes share it)."""
    credentials = work / "credentials"
    return {
        node: node_header(node) + generate(work / node, node_args(node), credentials)
        for node in NODES
    }


@pytest.fixture
def production_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the options on the command line count, not a developer's PROPDESK_* variables."""
    for name in ("SITES_FILE", "CREDENTIALS_DIR", "DATA_DIR", "NATS_CA"):
        monkeypatch.delenv(f"PROPDESK_{name}", raising=False)


def test_the_example_hub_configuration_is_what_propdesk_nats_config_writes(
    tmp_path: Path, production_env: None
) -> None:
    generated = generate_example(tmp_path)

    assert EXAMPLE_CONFIG.read_text(encoding="utf-8") == generated, (
        f"deploy/nats-server.conf is stale: `{REGENERATE}` writes it again"
    )


def test_the_cluster_examples_are_what_propdesk_nats_config_writes_for_each_node(
    tmp_path: Path, production_env: None
) -> None:
    generated = generate_nodes(tmp_path)

    for node, text in generated.items():
        assert (CLUSTER / f"{node}.conf").read_text(encoding="utf-8") == text, (
            f"deploy/cluster/{node}.conf is stale: `{REGENERATE}` writes it again"
        )


def accounts(text: str) -> str:
    return text[text.index("\naccounts: {") :]


def test_each_node_has_the_hubs_accounts_its_own_name_and_routes_to_the_others() -> None:
    """The trust of a cluster is the hub's, on every node; each node is synced on every write
    and joins the other two over TLS that checks their certificates."""
    hub = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    for node in NODES:
        text = (CLUSTER / f"{node}.conf").read_text(encoding="utf-8")
        assert accounts(text) == accounts(hub)
        assert f'server_name: "{node}"' in text
        assert '"sync_interval": "always"' in text
        [cluster] = [line for line in text.splitlines() if line.startswith("cluster: ")]
        block = json.loads(cluster.removeprefix("cluster: "))
        assert block["name"] == "propdesk"
        assert sorted(block["routes"]) == [
            f"nats-route://{peer}.propdesk.internal:6222" for peer in NODES if peer != node
        ]
        assert block["tls"]["verify"] is True and block["tls"]["ca_file"] == ROUTE_CA


def test_a_node_rewritten_after_a_site_is_added_stays_the_same_node(
    tmp_path: Path, production_env: None
) -> None:
    """`propdesk sites add` and `credentials` rewrite a node's file from the options it was
    written with: its name, its routes and their TLS come back as they were."""
    generate(tmp_path, node_args("nats-2"))
    hub = Hub(Settings(data_dir=tmp_path / "propdesk"))
    written = hub.config_path.read_text(encoding="utf-8")

    hub.write(SiteDirectory.load(tmp_path / "propdesk" / "sites.json"))

    assert hub.config_path.read_text(encoding="utf-8") == written


@pytest.mark.parametrize(
    "args",
    [
        ("--cluster", "0.0.0.0:6222"),  # a node with no peer
        ("--route", "nats-route://nats-2:6222"),  # peers of no node
        (
            "--cluster",
            "0.0.0.0:6222",
            "--route",
            "nats-route://nats-2:6222",
            "--route-ca",
            "ca.pem",
        ),
    ],
)
def test_a_cluster_node_needs_its_port_its_peers_and_a_certificate_for_route_tls(
    tmp_path: Path, production_env: None, args: tuple[str, ...]
) -> None:
    result = CliRunner().invoke(app, ["nats", "config", *args, "--data-dir", str(tmp_path)])

    assert result.exit_code == 2, result.output
    assert not (tmp_path / "nats" / "nats-server.conf").exists()


def test_the_example_says_what_production_needs() -> None:
    """TLS on every interface, every JetStream write synced, monitoring on loopback only, and a
    desk account for each example site, each with its own key."""
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    assert 'host: "0.0.0.0"' in text and "tls: {" in text
    assert '"sync_interval": "always"' in text
    assert 'http: "127.0.0.1:8222"' in text
    sites = SiteDirectory.load(DEPLOY / "sites.example.json").sites
    keys = PLACEHOLDER.findall(text)
    assert len(keys) == len(set(keys))  # one user per identity
    assert {f"site-{site}" for site in sites} <= set(keys)
    assert {"intake", "dispatch", "escalation", "reporting", "ops", "analytics"} <= set(keys)


@pytest.mark.parametrize("example", ["nats-server.conf", *(f"cluster/{n}.conf" for n in NODES)])
def test_nats_server_accepts_the_example_with_real_keys_and_certificate(
    tmp_path: Path, example: str
) -> None:
    """nats-server -t loads every file the configuration names: a throwaway certificate and a
    key of each identity stand in for the installation's."""
    ca = TestCA(tmp_path / "tls")
    server = ca.server()
    shutil.move(server.cert, tmp_path / "tls" / "server.pem")
    shutil.move(server.key, tmp_path / "tls" / "server-key.pem")
    shutil.copy(ca.cert, tmp_path / "tls" / "route-ca.pem")
    credentials = Credentials(tmp_path / "credentials")

    def real_key(match: re.Match[str]) -> str:
        credentials.issue(match[1])
        key = credentials.public_key(match[1])
        assert key is not None
        return key

    text = PLACEHOLDER.sub(real_key, (DEPLOY / example).read_text(encoding="utf-8"))
    text = text.replace(TLS_DIR, str(tmp_path / "tls")).replace(DATA_DIR, str(tmp_path / "data"))
    config = tmp_path / "nats-server.conf"
    config.write_text(text, encoding="utf-8")

    checked = subprocess.run(
        [nats_server_binary(), "-t", "-c", str(config)], capture_output=True, text=True, timeout=30
    )

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "is valid" in checked.stdout + checked.stderr


if __name__ == "__main__":  # write deploy/nats-server.conf again
    import os
    import tempfile

    for name in ("SITES_FILE", "CREDENTIALS_DIR", "DATA_DIR", "NATS_CA"):
        os.environ.pop(f"PROPDESK_{name}", None)
    with tempfile.TemporaryDirectory() as work:
        EXAMPLE_CONFIG.write_text(generate_example(Path(work)), encoding="utf-8")
        print(f"wrote {EXAMPLE_CONFIG}")
        CLUSTER.mkdir(exist_ok=True)
        for node, text in generate_nodes(Path(work) / "cluster").items():
            (CLUSTER / f"{node}.conf").write_text(text, encoding="utf-8")
            print(f"wrote {CLUSTER / node}.conf")


def test_credentials_list_shows_each_identity_and_public_key_whole_on_a_narrow_terminal(
    tmp_path: Path,
) -> None:
    """An operator compares the public keys with the hub's configuration: at 120 columns they
    were cut to an ellipsis ("UBDH74GS…LN…"), and so were the identities ("site-tech-p…")."""
    shutil.copy(DEPLOY / "sites.example.json", tmp_path / "sites.json")
    runner = CliRunner()
    made = runner.invoke(app, ["nats", "config", "--data-dir", str(tmp_path)])
    assert made.exit_code == 0, made.output

    shown = runner.invoke(
        app, ["credentials", "list", "--data-dir", str(tmp_path)], env={"COLUMNS": "100"}
    )

    assert shown.exit_code == 0, shown.output
    assert "…" not in shown.output
    for seed in (tmp_path / "credentials").glob("*.nk"):
        public = nkeys.from_seed(seed.read_bytes().strip()).public_key.decode()
        assert seed.stem in shown.output and public in shown.output
