"""Health and metrics of a process running the services in-process, over HTTP: what /health and
/metrics say, and how real traffic changes them (a command counted by verb and outcome, lag
while a consumer is stopped, parked events, a view repaired)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from propdesk.monitor import Monitor
from services.console.entrypoint import ConsoleProcess
from services.reporting.ops.registry import PROJECTIONS
from shared.kernel.settings import Settings
from tests.integration.health_support import health, metrics, value
from tests.integration.support import Desk, eventually, report_body
from tests.integration.test_view_repair import corrupt

pytestmark = pytest.mark.integration


@pytest.fixture
async def monitored(services, settings: Settings, clock) -> AsyncIterator[str]:
    """A monitor over the running services, serving HTTP on a free port: its base URL."""
    monitor = Monitor(
        list(services.values()), settings.model_copy(update={"metrics_port": 0}), clock
    )
    await monitor.start()
    assert monitor.server is not None
    yield f"http://127.0.0.1:{monitor.server.port}"
    await monitor.stop()


async def report(desk: Desk, ref: str, **overrides: Any) -> dict[str, Any]:
    return await desk.command("hbw", "report", report_body(ref, **overrides))


async def test_health_says_ready_with_each_services_consumers_relay_and_store(
    desk: Desk, monitored: str
) -> None:
    assert (await report(desk, "h-1"))["ok"]

    async def settled() -> dict[str, Any] | None:
        """The view has the event and the relay has recorded that it published it (the view may
        hear of it a moment before the relay's own bookkeeping is done)."""
        status, body = await health(monitored)
        viewed = body["services"]["reporting"]["consumers"]["reporting-tickets"]["lag"] == 0
        relayed = body["services"]["intake"]["relay_backlog"] == 0
        return body if status == 200 and viewed and relayed else None

    body = await eventually(settled)
    assert body["status"] == "ready"
    assert set(body["services"]) == {"intake", "dispatch", "reporting"}
    intake = body["services"]["intake"]
    assert intake["ready"] and intake["connected"]
    assert intake["consumers"]["intake-work-done"]["lag"] == 0
    assert intake["parked"] == 0
    assert intake["relay_backlog"] == 0
    assert intake["store_files"]["intake.sqlite3"] > 0
    reporting = body["services"]["reporting"]
    assert set(reporting["consumers"]) == {"reporting-tickets", "reporting-analytics"}
    assert reporting["views"] == {"tickets": {"state": "ok"}, "analytics": {"state": "ok"}}
    assert body["jetstream"]["used_bytes"] > 0
    assert body["jetstream"]["desk_messages"] == 1
    assert body["jetstream"]["level"] == "ok"


async def test_a_command_is_counted_by_verb_and_outcome_with_its_latency(
    desk: Desk, monitored: str
) -> None:
    labels = {"service": "intake", "kind": "command", "verb": "report"}
    before = await metrics(monitored)

    assert (await report(desk, "m-1"))["ok"]
    refused = await report(desk, "m-2", channel="carrier-pigeon")
    assert refused["error"]["code"] == "invalid"

    after = await metrics(monitored)
    for outcome in ("ok", "invalid"):
        name = "propdesk_requests_total"
        assert value(after, name, **labels, outcome=outcome) == (
            value(before, name, **labels, outcome=outcome) + 1
        )
    timed = "propdesk_request_seconds_count"
    assert value(after, timed, **labels) == value(before, timed, **labels) + 2
    assert value(after, "propdesk_service_ready", service="intake") == 1


async def test_lag_appears_while_a_consumer_is_stopped_and_is_gone_once_it_runs_again(
    desk: Desk, services, monitored: str
) -> None:
    reporting = services["reporting"]
    applied = {"service": "reporting", "consumer": "reporting-tickets"}
    lag = {"service": "reporting", "consumer": "reporting-tickets"}
    before = await metrics(monitored)
    await reporting._unfollow("tickets")  # its inbox stops, as a switch stops it

    for n in range(3):
        assert (await report(desk, f"lag-{n}"))["ok"]

    async def lagging() -> bool:
        return value(await metrics(monitored), "propdesk_consumer_lag", **lag) == 3

    await eventually(lagging)
    _, body = await health(monitored)
    assert body["services"]["reporting"]["consumers"]["reporting-tickets"]["lag"] == 3

    reporting._follow_anew("tickets")

    async def caught_up() -> bool:
        _, body = await health(monitored)  # lag 0, not unknown while the consumer is made anew
        return body["services"]["reporting"]["consumers"]["reporting-tickets"]["lag"] == 0

    await eventually(caught_up)
    after = await metrics(monitored)
    name = "propdesk_events_applied_total"
    assert value(after, name, **applied) == value(before, name, **applied) + 3


async def test_parked_events_are_read_from_the_service_when_it_has_them(
    services, monitored: str
) -> None:
    # the inbox's parking (another change) gives a service `parked_count()`; health reads it
    services["dispatch"].parked_count = lambda: 2
    _, body = await health(monitored)
    assert body["services"]["dispatch"]["parked"] == 2
    assert body["services"]["intake"]["parked"] == 0
    found = await metrics(monitored)
    assert value(found, "propdesk_parked_events", service="dispatch") == 2


async def test_a_view_repaired_after_corruption_shows_in_health_and_metrics(
    desk: Desk, services, settings: Settings, monitored: str
) -> None:
    reporting = services["reporting"]
    for n in range(10):
        assert (await report(desk, f"v-{n}"))["ok"]

    async def in_view() -> bool:
        return reporting.view.position() == await desk.stream_count() == 10

    await eventually(in_view)
    before = await metrics(monitored)
    corrupt(PROJECTIONS["tickets"].path(settings.data_dir))
    await desk.query("hbw", "ticket.list", {})  # finds it

    async def repaired() -> dict | None:
        status, body = await health(monitored)
        view = body["services"]["reporting"]["views"]["tickets"]
        return body if status == 200 and "last_repair" in view else None

    body = await eventually(repaired)
    view = body["services"]["reporting"]["views"]["tickets"]
    assert view["state"] == "ok"
    assert view["last_repair"]["position"] == 10
    labels = {"projection": "tickets", "found": "running"}
    name = "propdesk_view_repairs_total"
    assert value(await metrics(monitored), name, **labels) == value(before, name, **labels) + 1


async def test_the_console_of_the_process_is_in_health_and_makes_it_503_once_it_stops_answering(
    services, settings: Settings, clock, nats_server
) -> None:
    console = ConsoleProcess(settings, clock)
    await console.start(nats_server.url)
    monitor = Monitor(
        list(services.values()), settings.model_copy(update={"metrics_port": 0}), clock,
        console=lambda: console.url or None,
    )  # fmt: skip
    await monitor.start()
    assert monitor.server is not None
    base = f"http://127.0.0.1:{monitor.server.port}"
    try:

        async def ready() -> dict[str, Any] | None:
            status, body = await health(base)
            return body if status == 200 else None

        body = await eventually(ready)
        assert body["services"]["console"] == {"ready": True, "url": console.url}
        assert value(await metrics(base), "propdesk_service_ready", service="console") == 1

        await console.stop()  # its port closed: refused
        status, body = await health(base)
        assert status == 503
        down = body["services"]["console"]
        assert (down["ready"], down["state"], down["url"]) == (False, "not_answering", console.url)
        assert "ConnectionRefusedError" in down["error"]
        assert all(body["services"][name]["ready"] for name in services)  # the console alone
        page = await metrics(base)
        assert value(page, "propdesk_service_ready", service="console") == 0
        assert ("propdesk_nats_connected", (("service", "console"),)) not in page
    finally:
        await monitor.stop()
        await console.stop()
