"""Fixtures shared by every test folder: a real nats-server on a free loopback port, closed as
`propdesk up` closes it (every identity with its own credential, docs/contract.md §22)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from propdesk.trust import Hub
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteConfig, SiteDirectory
from shared.messaging.natsd import EmbeddedCluster, EmbeddedNats, free_port
from shared.messaging.relay import Relay
from tests.postgres import TestPostgres

# pytest-xdist's workers get COLUMNS=80, which rich's consoles (propdesk/cli/common.py, made at
# import) would keep for good; without it they read the width when they print, as in one process
# (the CLI tests give theirs through CliRunner's env)
os.environ.pop("COLUMNS", None)
from tests.support.cluster import loopback_cluster

# Every relay of the tests checks the batches it takes from what its application has just
# recorded against the store (shared/messaging/relay.py `check_recent`): the same notifications,
# translated alike. A difference fails the test during which a relay saw it.
Relay.check_recent = True


@pytest.fixture(autouse=True)
def _relays_published_what_the_store_holds() -> Iterator[None]:
    Relay.mismatches.clear()
    yield
    assert Relay.mismatches == [], Relay.mismatches


# The sites the tests' bus knows: each has a desk identity and an account of its own.
BUS_SITES = SiteDirectory(sites={site: SiteConfig() for site in ("hbw", "tech-park", "ohs", "lgp")})


class BusFiles:
    """Where a secured bus keeps what its clients need: the credentials and the sites file."""

    bus_settings: Settings

    @property
    def credentials_dir(self) -> Path:
        return self.bus_settings.credentials_path

    @property
    def sites_file(self) -> Path:
        return self.bus_settings.sites_path


class SecuredNats(BusFiles, EmbeddedNats):
    """The embedded server with its hub: credentials and the generated configuration."""

    def __init__(self, root: Path, sites: SiteDirectory, max_store: int | None = None) -> None:
        self.bus_settings = Settings(data_dir=root)
        self.hub = Hub(self.bus_settings)
        port = free_port()
        config = self.hub.prepare(sites, self.hub.embedded_options(port, max_store))
        sites.save(self.bus_settings.sites_path)
        super().__init__(self.hub.nats_dir, port, config=config)


class SecuredCluster(BusFiles, EmbeddedCluster):
    """Three nodes of one JetStream cluster on loopback, closed as a production cluster is
    (tests/support/cluster.py): one credentials directory for all, and for each node its own
    data directory with its configuration."""

    def __init__(self, root: Path, sites: SiteDirectory, size: int = 3) -> None:
        self.bus_settings = Settings(data_dir=root)
        root.mkdir(parents=True, exist_ok=True)
        sites.save(self.bus_settings.sites_path)
        nodes = {
            name: EmbeddedNats(hub.nats_dir, port, config=config)
            for name, (hub, port, config) in loopback_cluster(
                root, self.credentials_dir, sites, size
            ).items()
        }
        super().__init__(nodes)


def bus_root(tmp_path: Path) -> Path:
    return tmp_path / "bus"


@pytest.fixture
async def nats_server(tmp_path: Path) -> AsyncIterator[SecuredNats]:
    server = SecuredNats(bus_root(tmp_path), BUS_SITES)
    await server.start()
    yield server
    await server.stop()


# -- the services' stores: SQLite, or the session's PostgreSQL (tests/postgres.py) -----------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TestPostgres]:
    """One real PostgreSQL server for the session, started by the first test that needs it."""
    server = TestPostgres()
    yield server
    server.stop()


@pytest.fixture
def persistence() -> str:
    """Where the services keep their event stores: SQLite unless a module parametrizes this over
    tests.postgres.STORES (as eventsourcing's own recorder tests run on each store)."""
    return "sqlite"


@pytest.fixture
def store_settings(persistence: str, request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """The Settings fields of the test's store: none for SQLite (its files are in the data
    directory); for PostgreSQL, a fresh database of the session's server, dropped afterwards."""
    if persistence == "sqlite":
        yield {}
        return
    server: TestPostgres = request.getfixturevalue("postgres_server")
    store = server.database()
    yield store
    server.drop(store["postgres_dbname"])
