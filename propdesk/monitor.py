"""Health, metrics and alerts of one PropDesk process (`propdesk up --clock simulated`: every
service; `propdesk serve X`: one; `propdesk up` merges its children's: propdesk/merged_health.py),
over HTTP when a port is given (`--metrics-port`, PROPDESK_METRICS_PORT):

- `GET /health`: JSON, HTTP 200 when every service of the process is ready, else 503: each
  service's readiness, connection, consumers' lag, parked events, relay backlog, store size
  (reporting: its views), the JetStream store's space, and the alerts standing; the web
  console, when the process runs it, counts as one more service (propdesk/console_health.py);
- `GET /metrics`: Prometheus' text format (prometheus_client): the counters of
shared/messaging/metrics.py
  and, read at each scrape, the same states as /health.

Whether or not it serves HTTP, the monitor looks at the JetStream store every
`health_interval` seconds and raises an alert when it crosses 80 % or 95 % of its limit: a line
at error level, `propdesk_jetstream_alert_level`, and an OpsAlert to ops on desk.alert.<service>
(shared/messaging/alerts.py); once when the level rises, and once (info) when it is back to ok.

The HTTP side is propdesk/exposition.py: each request runs the async snapshot on the process's
event loop and waits for it at most `ANSWER_TIMEOUT` seconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, ProcessCollector

from propdesk.console_health import CONSOLE, ConsoleUrl, console_health
from propdesk.exposition import HealthServer, LiveGauges
from shared.contracts.ops import OpsAlert
from shared.kernel.clock import Clock
from shared.kernel.settings import Settings
from shared.logging import get_logger
from shared.messaging import alerts, health, metrics
from shared.messaging.service import Service
from shared.messaging.tasks import cancel_and_wait

log = get_logger("monitor")
ANSWER_TIMEOUT = 5.0  # seconds a /health or /metrics request waits for the snapshot
SPACE = "jetstream_space"


class Monitor:
    """The health of the services in `services` (a list the caller may still be filling as
    they start; `names` are those it will hold)."""

    def __init__(
        self,
        services: Sequence[Service],
        settings: Settings,
        clock: Clock,
        *,
        names: Iterable[str] = (),
        store_dir: Path | None = None,
        alerts: bool = True,
        console: ConsoleUrl | None = None,
    ) -> None:
        self.services = services
        self.console = console  # the web console this process runs, if any: asked over HTTP
        self.raises_alerts = (
            alerts  # raises the JetStream store's alerts (one process of an `up` does)
        )
        self.names = list(names)
        self.settings = settings
        self.clock = clock
        self.store_dir = store_dir  # the JetStream store, when on this machine: its disk
        self.registry = CollectorRegistry(auto_describe=False)
        for instrument in metrics.INSTRUMENTS:
            self.registry.register(instrument)
        ProcessCollector(registry=self.registry)
        self.registry.register(LiveGauges(self.snapshot_from_thread))
        self.levels: dict[str, str] = {}  # alert kind -> the level last raised
        self.server: HealthServer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._watching: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Serve HTTP (if a port is set) and start watching; before the services start, so a
        port in use stops the start and /health says `starting` meanwhile."""
        self._loop = asyncio.get_running_loop()
        port = self.settings.metrics_port
        if port is not None:
            self.server = HealthServer(
                self.snapshot_from_thread, self.registry, self.settings.metrics_host, port
            )
            self.server.start()
            log.info("monitor.listening", url=self.server.url)
        if self.raises_alerts:
            self._watching = asyncio.create_task(self._watch())

    async def stop(self) -> None:
        if self._watching is not None:
            await cancel_and_wait([self._watching])
            self._watching = None
        if self.server is not None:
            await asyncio.to_thread(self.server.stop)  # a request in flight may need the loop
            self.server = None

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.settings.health_interval)
            try:
                await self.snapshot()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # keep watching; the next look may succeed
                log.warning("monitor.look_failed", error=repr(exc))

    # -- the snapshot --------------------------------------------------------------------------

    async def snapshot(self) -> dict[str, Any]:
        """The process's health, as /health answers it; raises the alerts it shows."""
        services = {s.name: await health.service_health(s) for s in list(self.services)}
        for name in self.names:
            services.setdefault(name, {"ready": False, "state": "starting"})
        if self.console is not None:  # served on this loop: asked from a thread
            services[CONSOLE] = await asyncio.to_thread(console_health, self.console())
        ready = bool(services) and all(s["ready"] for s in services.values())
        space = await health.jetstream_space(self._js(), self.store_dir)
        if self.raises_alerts:
            await self._raise_space_alert(space)
        standing = [
            {"kind": kind, "level": level} for kind, level in self.levels.items() if level != "ok"
        ]
        return {
            "status": "ready" if ready else "not_ready",
            "ready": ready,
            "checked_at": self.clock.now().isoformat(),
            "services": services,
            "jetstream": space,
            "alerts": standing,
        }

    def snapshot_from_thread(self, timeout: float = ANSWER_TIMEOUT) -> dict[str, Any]:
        """The snapshot, for the HTTP server's threads."""
        if self._loop is None:
            raise RuntimeError("the monitor is not started")
        future = asyncio.run_coroutine_threadsafe(self.snapshot(), self._loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    def _connected(self) -> Service | None:
        return next((s for s in self.services if s.ready and s.js is not None), None)

    def _js(self) -> Any:
        service = self._connected()
        return service.js if service is not None else None

    # -- alerts --------------------------------------------------------------------------------

    async def _raise_space_alert(self, space: dict[str, Any]) -> None:
        level = space["level"]
        if space["used_ratio"] is None or self.levels.get(SPACE, "ok") == level:
            return
        self.levels[SPACE] = level  # before any await: two snapshots raise it once
        used = f"{space['used_ratio']:.0%}"
        if space["account_ratio"] is not None and space["account_ratio"] == space["used_ratio"]:
            stored, limit = space["used_bytes"], space["limit_bytes"]
            message = f"JetStream stores {stored} of its {limit} bytes ({used})"
        else:
            message = f"the disk of the JetStream store is {used} full"
        if level == "ok":
            log.info("jetstream.space_ok", message=message, used_ratio=space["used_ratio"])
        else:
            log.error(
                "jetstream.space_low", level=level, message=message,
                used_ratio=space["used_ratio"], used_bytes=space["used_bytes"],
                limit_bytes=space["limit_bytes"], disk_ratio=space["disk_ratio"],
            )  # fmt: skip
            metrics.ALERTS.labels(kind=SPACE, level=level).inc()
        await self._tell_ops(SPACE, level, message, space)

    async def _tell_ops(self, kind: str, level: str, message: str, data: dict[str, Any]) -> None:
        service = self._connected()
        if service is None or service.nc is None:
            return  # the log line and the metric stand; nobody on the bus to tell
        details = {k: v for k, v in data.items() if isinstance(v, int | float | str) or v is None}
        alert = OpsAlert(
            kind=kind, level=level, service=service.name, at=self.clock.now(),
            message=message, details=details,
        )  # fmt: skip
        try:
            await alerts.publish(service.nc, alert)
        except Exception as exc:  # the alert stands in the log and the metric
            log.warning("monitor.alert_not_sent", kind=kind, error=repr(exc))


def store_dir_of(settings: Settings) -> Path | None:
    """The JetStream store of the data directory's hub, when it is on this machine."""
    nats = settings.data_dir / "nats"
    return nats if nats.is_dir() else None
