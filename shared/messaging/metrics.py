"""The Prometheus instruments every service process counts with (prometheus_client).

What is counted as it happens lives here: requests by service, kind, verb and outcome with their
latency, events applied by each consumer, views rebuilt, alerts raised. What is a state (lag,
backlog, parked events, store size, JetStream space) is read when scraped, from the health
snapshot (shared/messaging/health.py, propdesk/monitor.py). The instruments belong to no registry:
each
monitor's registry (one per process) registers them, so tests can run several in one process.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TypeVar

from prometheus_client import Counter, Histogram

T = TypeVar("T")

REQUESTS = Counter(
    "propdesk_requests",
    "Requests answered, by service, kind (command, query, ops, sim), verb and outcome "
    "(ok or the error code)",
    ["service", "kind", "verb", "outcome"],
    registry=None,
)
REQUEST_SECONDS = Histogram(
    "propdesk_request_seconds",
    "Time from receiving a request to its reply, by service, kind and verb",
    ["service", "kind", "verb"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=None,
)
EVENTS_APPLIED = Counter(
    "propdesk_events_applied",
    "Messages of DESK applied by a consumer (its own transaction committed), by service and "
    "durable consumer",
    ["service", "consumer"],
    registry=None,
)
VIEW_REPAIRS = Counter(
    "propdesk_view_repairs",
    "Reporting views found corrupt and rebuilt from DESK, by projection and when found "
    "(start, running)",
    ["projection", "found"],
    registry=None,
)
COMMAND_BATCH = Histogram(
    "propdesk_command_batch",
    "Commands committed together in one transaction of a service's store (group commit)",
    ["service"],
    buckets=(1, 2, 4, 8, 16, 32, 64, 128),
    registry=None,
)
ALERTS = Counter(
    "propdesk_alerts",
    "Alerts raised to ops, by kind and level",
    ["kind", "level"],
    registry=None,
)

INSTRUMENTS = (REQUESTS, REQUEST_SECONDS, EVENTS_APPLIED, COMMAND_BATCH, VIEW_REPAIRS, ALERTS)

KINDS = {"cmd": "command", "qry": "query", "ops": "ops", "sim": "sim"}


def request_labels(subject: str) -> tuple[str, str]:
    """(kind, verb) of a request subject, without its site: `desk.cmd.hbw.intake.report` →
    (command, report); `desk.qry.hbw.ticket.get` → (query, ticket.get);
    `desk.ops.reporting.checksum` → (ops, checksum). Only subjects a service subscribed to
    arrive, so the verbs are the router's: a bounded set."""
    parts = subject.split(".")
    kind = KINDS.get(parts[1], "other") if len(parts) > 1 else "other"
    skip = {"command": 4, "query": 3, "ops": 3, "sim": 2}.get(kind, 1)
    return kind, ".".join(parts[skip:]) or subject


def request_answered(service: str, subject: str, outcome: str, seconds: float) -> None:
    count, seconds_of = _request_series(service, subject, outcome)
    count.inc()
    seconds_of.observe(seconds)


@functools.lru_cache(maxsize=1024)  # a subscriber's few subjects and outcomes, every request
def _request_series(service: str, subject: str, outcome: str) -> tuple[Counter, Histogram]:
    kind, verb = request_labels(subject)
    return (
        REQUESTS.labels(service=service, kind=kind, verb=verb, outcome=outcome),
        REQUEST_SECONDS.labels(service=service, kind=kind, verb=verb),
    )


def commands_committed(service: str, count: int) -> None:
    COMMAND_BATCH.labels(service=service).observe(count)


def counting_applied(
    service: str, consumer: str, apply: Callable[[Sequence[T]], None]
) -> Callable[[Sequence[T]], None]:
    """`apply` (an inbox's), counting the messages of each batch it committed."""
    counter = EVENTS_APPLIED.labels(service=service, consumer=consumer)

    def counted(batch: Sequence[T]) -> None:
        apply(batch)
        counter.inc(len(batch))

    return counted
