"""Every command and query subject the services serve, fuzzed (docs/contract.md §2, §3): whatever
the body, a reply in the contract's shape within a second, never `unavailable` (a retry cannot
change how a body is judged); `invalid` for every body the contract refuses; nothing written for
a refused command; and the service still answers afterwards.

The subjects are read off the services' routers (tests/served.py), so a new one is fuzzed without
being listed here. One hub and one set of services serve the whole module; the number of examples
per subject is PROPDESK_FUZZ_EXAMPLES (default 20: about 15 s on a 2-core machine)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from nats.errors import TimeoutError as NatsTimeout

from propdesk.runtime import SERVICES
from shared.contracts.replies import ErrorReply
from shared.kernel.clock import SimulatedClock
from shared.kernel.settings import Settings
from shared.messaging.client import Bus
from shared.messaging.desk_service import DeskService
from shared.messaging.service import Service
from shared.messaging.subjects import STREAM
from tests.conftest import BUS_SITES, SecuredNats
from tests.integration.fuzz_bodies import Fuzz, bodies
from tests.integration.support import START
from tests.served import Served, served_requests

pytestmark = pytest.mark.integration

SITE = "hbw"
IN_TIME = 1.0  # seconds: a bad body's reply
# the well-formed request after it only shows the service still serves: its reply may wait for a
# commit on a loaded CI machine (once over a second, at a load average of 11), not its point
STILL_IN_TIME = 5.0
EXAMPLES = int(os.environ.get("PROPDESK_FUZZ_EXAMPLES", "20"))

# A well-formed request to each service and the answer it gets when all is well: the service is
# still serving after a bad body (`None`: ok). Nothing exists, so commands find nothing.
NOBODY = "00000000-0000-4000-8000-000000000000"
STILL_SERVING = {
    "intake": ("desk.ops.intake.access_log", {"site": SITE, "month": "2026-11"}, None),
    "dispatch": (
        f"desk.cmd.{SITE}.dispatch.arrive",
        {"staff_id": "S01", "work_order_id": NOBODY},
        "not_found",
    ),
    "escalation": (
        f"desk.cmd.{SITE}.escalation.resume",
        {"staff_id": "S01", "ticket_id": NOBODY},
        "not_found",
    ),
    "reporting": (f"desk.qry.{SITE}.ticket.list", {}, None),
}


@dataclass
class Hub:
    bus: Bus
    services: dict[str, Service]

    async def last_seq(self) -> int:
        nc = await self.bus.connection("ops")
        return (await nc.jetstream().stream_info(STREAM)).state.last_seq

    async def stored(self, service: str) -> int | None:
        """The last record in the service's own store (None: it keeps none of its own)."""
        running = self.services[service]
        if not isinstance(running, DeskService):
            return None
        return await running.offload(running.app.recorder.max_notification_id)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def hub(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Hub]:
    root: Path = tmp_path_factory.mktemp("fuzz")
    server = SecuredNats(root / "bus", BUS_SITES)
    await server.start()
    settings_ = Settings(
        data_dir=root / "data",
        credentials_dir=server.credentials_dir,
        sites_file=server.sites_file,
    )
    clock = SimulatedClock(START)  # so that escalation serves desk.sim.clock.set as well
    started = {name: cls(settings_, clock, BUS_SITES) for name, cls in SERVICES.items()}
    bus = Bus(server.url, server.bus_settings, name="fuzz")
    try:
        for service in started.values():
            await service.start(server.url)
        yield Hub(bus, started)
    finally:
        await bus.close()
        for service in reversed(list(started.values())):
            await service.stop()
        await server.stop()


def test_every_service_has_a_request_to_show_it_still_serves() -> None:
    assert set(STILL_SERVING) == set(SERVICES)
    assert {served.service for served in served_requests()} == set(SERVICES)


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("served", served_requests(), ids=lambda served: served.address)
@settings(
    max_examples=EXAMPLES,
    deadline=None,  # the reply's own deadline is IN_TIME
    # No shrinking: a failing body is told by its kind and its first bytes, and shrinking one
    # that waits IN_TIME for a reply that never comes would take minutes.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
async def test_every_request_is_answered_in_the_contracts_shape(
    hub: Hub, served: Served, data: st.DataObject
) -> None:
    fuzz: Fuzz = data.draw(bodies(served.model), label="body")
    before = await hub.last_seq(), await hub.stored(served.service)

    reply = await request(hub, served.subject(SITE), fuzz.raw)

    if reply["ok"] is not True:
        ErrorReply.model_validate(reply)  # the shape of section 3
        # "retry" only where a retry can change the outcome: never for a body
        assert reply["error"]["code"] != "unavailable", reply
    if fuzz.invalid:
        assert reply["ok"] is False and reply["error"]["code"] == "invalid", reply
    if served.is_command:  # no random body is a command that can be carried out
        assert reply["ok"] is False, reply
    if reply["ok"] is False:
        assert (await hub.last_seq(), await hub.stored(served.service)) == before
    elif served.subject(SITE).endswith(".hold"):  # a backup's hold, as ops asked: let it go
        await request(hub, served.subject(SITE).removesuffix(".hold") + ".release", {})
    subject, body, code = STILL_SERVING[served.service]
    after = await request(hub, subject, body, STILL_IN_TIME)
    assert after["ok"] is (code is None) and after.get("error", {}).get("code") == code, after


async def request(
    hub: Hub, subject: str, raw: bytes | dict[str, Any], in_time: float = IN_TIME
) -> dict[str, Any]:
    try:
        return await hub.bus.request(subject, raw, timeout=in_time)
    except NatsTimeout:
        raise AssertionError(f"no reply on {subject} within {in_time} s") from None
