"""Fixtures shared by every test folder: a real nats-server on a free loopback port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from shared.natsd import EmbeddedNats, free_port


@pytest.fixture
async def nats_server(tmp_path: Path) -> AsyncIterator[EmbeddedNats]:
    server = EmbeddedNats(tmp_path / "nats", free_port())
    await server.start()
    yield server
    await server.stop()
