"""Fixtures shared by every test folder: a real nats-server on a free loopback port, closed as
`propdesk up` closes it (every identity with its own credential, docs/contract.md §22)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from propdesk.trust import Hub
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteConfig, SiteDirectory
from shared.messaging.natsd import EmbeddedNats, free_port

# The sites the tests' bus knows: each has a desk identity and an account of its own.
BUS_SITES = SiteDirectory(sites={site: SiteConfig() for site in ("hbw", "tech-park", "ohs", "lgp")})


class SecuredNats(EmbeddedNats):
    """The embedded server with its hub: credentials and the generated configuration."""

    def __init__(self, root: Path, sites: SiteDirectory, max_store: int | None = None) -> None:
        self.bus_settings = Settings(data_dir=root)
        self.hub = Hub(self.bus_settings)
        port = free_port()
        config = self.hub.prepare(sites, self.hub.embedded_options(port, max_store))
        sites.save(self.bus_settings.sites_path)
        super().__init__(self.hub.nats_dir, port, config=config)

    @property
    def credentials_dir(self) -> Path:
        return self.bus_settings.credentials_path

    @property
    def sites_file(self) -> Path:
        return self.bus_settings.sites_path


def bus_root(tmp_path: Path) -> Path:
    return tmp_path / "bus"


@pytest.fixture
async def nats_server(tmp_path: Path) -> AsyncIterator[SecuredNats]:
    server = SecuredNats(bus_root(tmp_path), BUS_SITES)
    await server.start()
    yield server
    await server.stop()
