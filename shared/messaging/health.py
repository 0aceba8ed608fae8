"""What a service process can tell about itself, read when asked: each service's readiness, its
consumers' lag, its parked events, its relay's backlog and its stores' size, and the JetStream
store's space. propdesk/monitor.py serves it as /health and /metrics and raises the alerts.

Everything here is read-only and bounded in time: a consumer or the account that does not
answer within `TIMEOUT` is reported as unknown (None, with the error), never waited for.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

from nats.js import JetStreamContext

from shared.messaging.service import Service
from shared.messaging.subjects import STREAM

TIMEOUT = 2.0  # seconds for one JetStream API request

# The JetStream store's alert levels, highest first: (level, share of the limit used).
SPACE_LEVELS: tuple[tuple[str, float], ...] = (("critical", 0.95), ("warning", 0.80))
LEVEL_VALUES = {"ok": 0, "warning": 1, "critical": 2}


async def service_health(service: Service) -> dict[str, Any]:
    """One service: ready, connected, consumers (lag), parked, relay backlog, store size."""
    ready = service.ready
    connected = service.nc is not None and service.nc.is_connected
    report: dict[str, Any] = {"ready": ready, "connected": connected}
    js = service.js if connected else None
    report["consumers"] = {d: await consumer_lag(js, d) for d in service.durables()}
    report["parked"] = await _parked(service) if ready else None
    relay = getattr(service, "relay", None)
    report["relay_backlog"] = await service.offload(relay.backlog) if ready and relay else None
    files = {path.name: size for path in service.store_files() if (size := _size(path)) is not None}
    report["store_bytes"] = sum(files.values())
    report["store_files"] = files
    return report | await service.health()  # also while not ready: it may say why


async def consumer_lag(js: JetStreamContext | None, durable: str) -> dict[str, Any]:
    """The messages of DESK a durable consumer has not yet confirmed applying: not yet delivered
    (`pending`) and delivered but not acknowledged (`unacked`); `lag` is both."""
    if js is None:
        return {"lag": None, "error": "not connected"}
    try:
        info = await js.consumer_info(STREAM, durable, timeout=TIMEOUT)
    except Exception as exc:  # no such consumer (yet), no answer: unknown, not fatal
        return {"lag": None, "error": f"{type(exc).__name__}: {exc}".strip(": ")}
    pending, unacked = info.num_pending or 0, info.num_ack_pending or 0
    return {"lag": pending + unacked, "pending": pending, "unacked": unacked}


async def _parked(service: Service) -> int | None:
    """Events a consumer of the service could not apply and set aside (shared/messaging/inbox.py's
    parking, when the service has it: `parked_count()`, plain or async)."""
    count = getattr(service, "parked_count", None)
    if count is None:
        return 0
    if asyncio.iscoroutinefunction(count):
        return int(await count())
    return int(await service.offload(count))


def _size(path: Path) -> int | None:
    """A SQLite file's bytes, with its write-ahead log; None when there is no such file."""
    total, found = 0, False
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            total += p.stat().st_size
            found = True
        except OSError:
            continue
    return total if found else None


async def jetstream_space(js: JetStreamContext | None, store_dir: Path | None) -> dict[str, Any]:
    """How full the JetStream store is: the account's bytes stored against its limit
    (`$JS.API.INFO`; set by `--jetstream-max-store`), and, when the store is on this machine,
    the disk it is on. `used_ratio` is the fuller of the two, `level` its alert level."""
    report: dict[str, Any] = {"used_bytes": None, "limit_bytes": None, "account_ratio": None}
    if js is not None:
        try:
            account = await asyncio.wait_for(js.account_info(), TIMEOUT)
            desk = await asyncio.wait_for(js.stream_info(STREAM), TIMEOUT)
        except Exception as exc:
            report["error"] = f"{type(exc).__name__}: {exc}".strip(": ")
        else:
            limit = account.limits.max_storage
            report["used_bytes"] = account.storage
            report["limit_bytes"] = limit if limit and limit > 0 else None
            if report["limit_bytes"]:
                report["account_ratio"] = round(account.storage / limit, 4)
            report["desk_messages"] = desk.state.messages
            report["desk_bytes"] = desk.state.bytes
    report["disk_ratio"] = _disk_ratio(store_dir)
    ratios = [r for r in (report["account_ratio"], report["disk_ratio"]) if r is not None]
    report["used_ratio"] = max(ratios) if ratios else None
    report["level"] = space_level(report["used_ratio"])
    return report


def space_level(ratio: float | None) -> str:
    if ratio is not None:
        for level, threshold in SPACE_LEVELS:
            if ratio >= threshold:
                return level
    return "ok"


def _disk_ratio(store_dir: Path | None) -> float | None:
    if store_dir is None or not store_dir.is_dir():
        return None
    usage = shutil.disk_usage(store_dir)
    return round((usage.total - usage.free) / usage.total, 4) if usage.total else None
