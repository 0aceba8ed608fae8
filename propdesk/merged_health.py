"""/health and /metrics of `propdesk up` when its services run as child processes
(propdesk/children.py): one answer for the whole system, as when they shared one process.

- `/health` asks each service's child for its own /health (a loopback port the child chose and
  told `up`) and merges them: every service, HTTP 200 only when all are ready; the JetStream
  store's space and the alerts standing as the child that watches them (the first service) says.
  A child restarting or not answering is a service not ready. The console's child is asked for
  its /healthz (propdesk/console_health.py) and counts as one more.
- `/metrics`: the children's counters summed by prometheus_client's multiprocess mode (each child
  writes its own files under PROMETHEUS_MULTIPROC_DIR, a directory `up` makes and removes), the
  states of the merged /health as gauges, each child's CPU time
  (`propdesk_process_cpu_seconds_total{process}`) and `up`'s own process figures.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, ProcessCollector
from prometheus_client.core import CounterMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from propdesk.children import ChildProcess
from propdesk.console_health import CONSOLE, ConsoleUrl, console_health
from propdesk.exposition import HealthServer, LiveGauges
from propdesk.processes import stat
from shared.kernel.clock import Clock
from shared.kernel.settings import Settings
from shared.logging import get_logger

log = get_logger("monitor")
ASK_TIMEOUT = 2.0  # seconds one child's /health may take


class ChildrenMonitor:
    """The health of the children in `parts` (filled as `up` starts them); `names` are the
    services they will hold."""

    def __init__(
        self,
        parts: Sequence[object],
        settings: Settings,
        clock: Clock,
        names: Sequence[str],
        metrics_dir: Path | None,
        console: ConsoleUrl | None = None,
    ) -> None:
        self.parts = parts
        self.console = console  # the console's child, if `up` runs one: asked over HTTP
        self.settings = settings
        self.clock = clock
        self.names = list(names)
        self.registry = CollectorRegistry(auto_describe=False)
        if metrics_dir is not None:
            MultiProcessCollector(self.registry, path=str(metrics_dir))
        ProcessCollector(registry=self.registry)  # `up`'s own process_* figures
        self.registry.register(ChildrenCpu(parts))
        self.registry.register(LiveGauges(self.snapshot_from_thread))
        self.server: HealthServer | None = None

    async def start(self) -> None:
        port = self.settings.metrics_port
        if port is not None:
            self.server = HealthServer(
                self.snapshot_from_thread, self.registry, self.settings.metrics_host, port
            )
            self.server.start()
            log.info("monitor.listening", url=self.server.url)

    async def stop(self) -> None:
        if self.server is not None:
            await asyncio.to_thread(self.server.stop)
            self.server = None

    def snapshot_from_thread(self) -> dict[str, Any]:
        """The merged health, for the HTTP server's threads (it asks the children over HTTP)."""
        services: dict[str, Any] = {}
        jetstream: dict[str, Any] | None = None
        standing: list[dict[str, Any]] = []
        for child in list(self.parts):
            if not isinstance(child, ChildProcess) or child.name not in self.names:
                continue  # the console answers for itself, below
            answer = _ask(child)
            if answer is None:
                services[child.name] = {"ready": False, "state": _state(child)}
                continue
            services.update(answer.get("services", {}))
            if child.alerts or jetstream is None:
                jetstream = answer.get("jetstream")
            standing += answer.get("alerts", [])
        for name in self.names:
            services.setdefault(name, {"ready": False, "state": "starting"})
        if self.console is not None:
            services[CONSOLE] = console_health(self.console())
        ready = bool(services) and all(s["ready"] for s in services.values())
        return {
            "status": "ready" if ready else "not_ready",
            "ready": ready,
            "checked_at": self.clock.now().isoformat(),
            "services": services,
            "jetstream": jetstream or {"level": "ok"},
            "alerts": standing,
        }


class ChildrenCpu(Collector):
    """The CPU time each child has used (Linux /proc), read at each scrape: where `up`'s work
    goes. A restarted child starts again from 0."""

    def __init__(self, parts: Sequence[object]) -> None:
        self.parts = parts

    def collect(self) -> list[CounterMetricFamily]:
        family = CounterMetricFamily(
            "propdesk_process_cpu_seconds", "CPU time of each process `up` runs", labels=["process"]
        )
        for child in list(self.parts):
            if isinstance(child, ChildProcess) and child.pid is not None:
                line = stat(child.pid)
                if line is not None:
                    family.add_metric([child.name], line.cpu_seconds)
        return [family]


def _ask(child: ChildProcess) -> dict[str, Any] | None:
    """A child's own /health, None when it has none (yet) or does not answer."""
    if child.health_url is None or not child.ready:
        return None
    try:
        with urllib.request.urlopen(f"{child.health_url}/health", timeout=ASK_TIMEOUT) as reply:
            return json.loads(reply.read())
    except urllib.error.HTTPError as exc:  # 503: it answers, not ready
        return json.loads(exc.read())
    except (OSError, ValueError):
        return None


def _state(child: ChildProcess) -> str:
    if child.process is None:
        return "starting"
    return "not_answering" if child.alive else "restarting"
