"""deploy/nats-server.conf is what `propdesk nats config` writes for a production hub serving
the example sites (so it cannot go stale), and nats-server accepts it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

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


def generate_example(work: Path) -> str:
    """What `propdesk nats config` writes for the example's options and sites, with the
    installation's own paths and keys written as the production layout and placeholders."""
    data_dir, tls_dir = work / "propdesk", work / "tls"
    data_dir.mkdir(parents=True)
    shutil.copy(DEPLOY / "sites.example.json", data_dir / "sites.json")
    args = [a.replace(TLS_DIR, str(tls_dir)) for a in NATS_CONFIG_ARGS]
    result = CliRunner().invoke(app, ["nats", "config", *args, "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    hub = Hub(Settings(data_dir=data_dir))
    text = hub.config_path.read_text(encoding="utf-8")
    for identity in hub.credentials.identities():
        key = hub.credentials.public_key(identity)
        assert key is not None and key in text
        text = text.replace(key, f"<public key of {identity}>")
    text = text.replace(str(data_dir.resolve()), DATA_DIR).replace(str(tls_dir.resolve()), TLS_DIR)
    return HEADER + text


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


def test_nats_server_accepts_the_example_with_real_keys_and_certificate(tmp_path: Path) -> None:
    """nats-server -t loads every file the configuration names: a throwaway certificate and a
    key of each identity stand in for the installation's."""
    ca = TestCA(tmp_path / "tls")
    server = ca.server()
    shutil.move(server.cert, tmp_path / "tls" / "server.pem")
    shutil.move(server.key, tmp_path / "tls" / "server-key.pem")
    credentials = Credentials(tmp_path / "credentials")

    def real_key(match: re.Match[str]) -> str:
        credentials.issue(match[1])
        key = credentials.public_key(match[1])
        assert key is not None
        return key

    text = PLACEHOLDER.sub(real_key, EXAMPLE_CONFIG.read_text(encoding="utf-8"))
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
