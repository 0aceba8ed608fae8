"""The JetStream store filling up is an alert to ops, not warning lines: past 80 % of the hub's
limit `warning`, past 95 % `critical`, each once, on desk.alert.<service>, in /health and in
/metrics; raised by the process's own look every `health_interval`, scraped or not."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from propdesk.monitor import Monitor
from services.intake.entrypoint import IntakeService
from shared.kernel.settings import Settings
from shared.messaging.bus import access_for, connect
from shared.messaging.client import Bus
from shared.messaging.identity import OPS
from shared.messaging.subjects import ALERTS_ALL, NOTICES
from tests.conftest import BUS_SITES, SecuredNats
from tests.integration.health_support import health, metrics, value
from tests.integration.support import START, eventually

pytestmark = pytest.mark.integration

LIMIT = 1_000_000  # bytes the hub's JetStream may store


@pytest.fixture
async def small_hub(tmp_path: Path) -> AsyncIterator[SecuredNats]:
    server = SecuredNats(tmp_path / "bus", BUS_SITES, max_store=LIMIT)
    await server.start()
    yield server
    await server.stop()


async def test_the_store_filling_up_raises_a_warning_then_a_critical_alert_to_ops(
    small_hub: SecuredNats, tmp_path: Path
) -> None:
    from shared.kernel.clock import FixedClock

    settings = Settings(
        data_dir=tmp_path / "data",
        credentials_dir=small_hub.credentials_dir,
        sites_file=small_hub.sites_file,
        metrics_port=0,
        health_interval=0.1,
    )
    intake = IntakeService(settings, FixedClock(START))
    await intake.start(small_hub.url)
    monitor = Monitor([intake], settings, FixedClock(START))
    await monitor.start()
    assert monitor.server is not None
    base = f"http://127.0.0.1:{monitor.server.port}"
    heard: list[dict] = []
    ops = Bus(small_hub.url, small_hub.bus_settings)
    listening = await ops.connection(OPS)

    async def hear(msg) -> None:
        heard.append(json.loads(msg.data))

    await listening.subscribe(ALERTS_ALL, cb=hear)
    await listening.flush()
    # something else fills the store: notices, as escalation writes them
    filler = await connect(access_for("escalation", small_hub.url, small_hub.bus_settings), "x")
    js = filler.jetstream()
    try:
        _, body = await health(base)
        assert body["jetstream"]["limit_bytes"] == LIMIT
        assert body["jetstream"]["level"] == "ok"

        await _fill(js, 0.85)
        await eventually(lambda: _heard(heard, "warning"))  # the monitor's own look
        status, body = await health(base)
        assert status == 200  # ready still: an alert, not an outage
        assert body["jetstream"]["level"] == "warning"
        assert body["alerts"] == [{"kind": "jetstream_space", "level": "warning"}]
        page = await metrics(base)
        assert value(page, "propdesk_jetstream_alert_level") == 1
        assert value(page, "propdesk_jetstream_limit_bytes") == LIMIT

        await _fill(js, 0.96)
        await eventually(lambda: _heard(heard, "critical"))
        assert [a["level"] for a in heard] == ["warning", "critical"]  # once each
        assert heard[-1]["service"] == "intake" and heard[-1]["kind"] == "jetstream_space"
        assert value(await metrics(base), "propdesk_jetstream_alert_level") == 2
    finally:
        await filler.close()
        await ops.close()
        await monitor.stop()
        await intake.stop()


async def _heard(heard: list[dict], level: str) -> bool:
    return any(a["level"] == level for a in heard)


async def _fill(js, share: float) -> None:
    """Publish notices until the account stores `share` of its limit."""
    while (await js.account_info()).storage < share * LIMIT:
        await js.publish("desk.ntf.hbw.filler", b"x" * 10_000, stream=NOTICES)
    await asyncio.sleep(0)
