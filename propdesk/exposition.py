"""How a process's health is shown: /health as JSON and /metrics in Prometheus' text format,
served by the standard library's WSGI server from a thread (prometheus_client's own exporter
serves /metrics alone). The states of /health become gauges at each scrape; the counters are
shared/messaging/metrics.py's. Both call `snapshot` (propdesk/monitor.py), which runs on the event
loop."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry, make_wsgi_app
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from shared.messaging import health

Snapshot = Callable[[], dict[str, Any]]  # the health of the process, from any thread


class LiveGauges(Collector):
    """The states of /health as gauges, read at each scrape."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def describe(self) -> list[GaugeMetricFamily]:
        return list(_families().values())

    def collect(self) -> list[GaugeMetricFamily]:
        return gauges(self.snapshot())


def _families() -> dict[str, GaugeMetricFamily]:
    def family(name: str, text: str, *labels: str) -> GaugeMetricFamily:
        return GaugeMetricFamily(name, text, labels=list(labels))

    return {
        "ready": family("propdesk_service_ready", "1 when the service is ready", "service"),
        "connected": family("propdesk_nats_connected", "1 when connected to NATS", "service"),
        "lag": family(
            "propdesk_consumer_lag",
            "Messages of DESK a durable consumer has not confirmed applying",
            "service",
            "consumer",
        ),
        "parked": family("propdesk_parked_events", "Events set aside by the consumers", "service"),
        "backlog": family(
            "propdesk_relay_backlog", "Store records the relay has not published", "service"
        ),
        "store": family(
            "propdesk_store_bytes", "Bytes of a store's file (with its WAL)", "service", "file"
        ),
        "rebuilding": family(
            "propdesk_view_rebuilding", "1 while a corrupt view is rebuilt", "projection"
        ),
        "js_used": family("propdesk_jetstream_used_bytes", "Bytes JetStream stores (account)"),
        "js_limit": family("propdesk_jetstream_limit_bytes", "The account's JetStream limit"),
        "js_ratio": family(
            "propdesk_jetstream_used_ratio", "The fuller of: account limit, the store's disk"
        ),
        "js_level": family(
            "propdesk_jetstream_alert_level", "0 ok, 1 warning (80 %), 2 critical (95 %)"
        ),
        "desk": family("propdesk_desk_messages", "Messages in the stream DESK"),
    }


def gauges(snapshot: dict[str, Any]) -> list[GaugeMetricFamily]:
    """The gauges of a /health snapshot (unknown values are left out, not zero)."""
    f = _families()
    for name, s in snapshot["services"].items():
        f["ready"].add_metric([name], int(bool(s.get("ready"))))
        if s.get("connected") is not None:  # the console has no connection of its own to tell
            f["connected"].add_metric([name], int(s["connected"]))
        for consumer, c in s.get("consumers", {}).items():
            if c.get("lag") is not None:
                f["lag"].add_metric([name, consumer], c["lag"])
        if s.get("parked") is not None:
            f["parked"].add_metric([name], s["parked"])
        if s.get("relay_backlog") is not None:
            f["backlog"].add_metric([name], s["relay_backlog"])
        for file, size in s.get("store_files", {}).items():
            f["store"].add_metric([name, file], size)
        for projection, view in s.get("views", {}).items():
            f["rebuilding"].add_metric([projection], int(view["state"] == "rebuilding"))
    js = snapshot["jetstream"]
    for key, field in (("js_used", "used_bytes"), ("js_limit", "limit_bytes"),
                       ("js_ratio", "used_ratio"), ("desk", "desk_messages")):  # fmt: skip
        if js.get(field) is not None:
            f[key].add_metric([], js[field])
    f["js_level"].add_metric([], health.LEVEL_VALUES[js["level"]])
    return list(f.values())


# -- HTTP ----------------------------------------------------------------------------------------


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Every scrape would be a line on stderr: not logged."""


class HealthServer:
    """/health (the `snapshot`) and /metrics (the `registry`) on host:port (0: any free one),
    from a thread of its own."""

    def __init__(
        self, snapshot: Snapshot, registry: CollectorRegistry, host: str, port: int
    ) -> None:
        self.snapshot = snapshot
        self._metrics = make_wsgi_app(registry)
        self._server = make_server(host, port, self._app, _Server, handler_class=_Quiet)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_port

    @property
    def url(self) -> str:
        return f"http://{self._server.server_name}:{self.port}"

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="propdesk-health", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ.get("PATH_INFO") or "/"
        if path == "/metrics":
            return self._metrics(environ, start_response)
        if path != "/health":
            return _reply(start_response, "404 Not Found", {"error": "try /health or /metrics"})
        try:
            snapshot = self.snapshot()
        except Exception as exc:  # the process does not answer in time: that is its health
            snapshot = {"status": "not_answering", "ready": False, "error": repr(exc)}
        code = "200 OK" if snapshot["ready"] else "503 Service Unavailable"
        return _reply(start_response, code, snapshot)


def _reply(start_response: Any, status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body, ensure_ascii=False, indent=2).encode()
    start_response(
        status,
        [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(data))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [data]
