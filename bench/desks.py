"""The desk clients of bench/scale.py and bench/scale_up.py: reports from one or many clients at
once, their rates and latencies, and the ratios issue 15 sets its targets in."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

from nats.aio.client import Client

from bench.hub import start_hub
from propdesk.cli.common import new_client_ref
from shared.kernel.clock import SystemClock
from shared.kernel.settings import Settings
from shared.messaging.client import Bus
from shared.messaging.identity import site_identity
from shared.messaging.subjects import command, query

SITE = "hbw"
REPORT = command(SITE, "intake", "report")
TICKET_GET = query(SITE, "ticket.get")
Rows = list[tuple[str, str]]


async def desk(url: str, settings: Settings) -> Client:
    """A connection of its own as the site's desk: one client."""
    bus = Bus(url, settings, name=f"bench-{uuid4().hex[:6]}", max_reconnect_attempts=0)
    return await bus.connection(site_identity(SITE))


def report_body(staff: str) -> bytes:
    return json.dumps(
        {
            "client_ref": new_client_ref(),
            "channel": "phone",
            "kind": "repair",
            "category": "plumbing",
            "reporter": {"name": "测试", "phone": "13800138000", "room": "3-1201"},
            "content": "厨房水管漏水, 请尽快上门",
            "staff_id": staff,
        }
    ).encode()


async def report(client: Client, staff: str) -> dict[str, Any]:
    msg = await client.request(REPORT, report_body(staff), timeout=30)
    reply = json.loads(msg.data)
    if not reply.get("ok"):
        raise RuntimeError(f"report refused: {reply}")
    return reply


async def clients(desks: list[Client], total: int, staff: str) -> tuple[float, list[float]]:
    """`total` reports from len(desks) clients at once, each sending its next when answered:
    (reports/s, latencies)."""
    latencies: list[float] = []
    share = [total // len(desks) + (i < total % len(desks)) for i in range(len(desks))]

    async def one(client: Client, n: int) -> None:
        for _ in range(n):
            t0 = time.perf_counter()
            await report(client, staff)
            latencies.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    await asyncio.gather(*(one(d, n) for d, n in zip(desks, share, strict=True)))
    return total / (time.perf_counter() - t0), latencies


def p(latencies: list[float], q: int) -> float:
    return statistics.quantiles(latencies, n=100)[q - 1] * 1000


async def one_and_many(
    connect: Callable[[], Awaitable[Client]], reports: int, many: int, staff: str, label: str
) -> tuple[Rows, float, float]:
    rows: Rows = []
    desks = [await connect() for _ in range(many)]
    try:
        await clients(desks[:1], 20, staff)  # warm up
        one, lat1 = await clients(desks[:1], reports, staff)
        multi, latn = await clients(desks, reports, staff)
    finally:
        for client in desks:
            await client.close()
    rows.append((f"{label}: 1 client", f"{one:,.0f} reports/s (p50 {p(lat1, 50):.1f} ms)"))
    rows.append(
        (
            f"{label}: {many} concurrent clients",
            f"{multi:,.0f} reports/s (p50 {p(latn, 50):.1f} ms, p99 {p(latn, 99):.1f} ms)",
        )
    )
    return rows, one, multi


async def intake_alone(
    work: Path, reports: int, many: int, store: dict[str, Any] | None = None
) -> tuple[Rows, float, float]:
    """bench/run.py's set-up: a closed hub and the intake service in this process, its store
    SQLite or, given `store` (Settings fields), PostgreSQL; 1 and `many` concurrent clients."""
    from services.intake.entrypoint import IntakeService

    label = "intake alone, PostgreSQL" if store else "intake alone"
    hub = await start_hub(work, [SITE])
    intake = IntakeService(hub.settings.model_copy(update=store or {}), SystemClock())
    await intake.start(hub.url)
    try:
        return await one_and_many(lambda: desk(hub.url, hub.settings), reports, many, "B01", label)
    finally:
        await intake.stop()
        await hub.stop()


def ratios(label: str, one: float, multi: float, raw: float, many: int) -> Rows:
    return [
        (
            f"{label}: {many} clients / 1 client (target ≥ 4)",
            f"{multi / one:.2f}",
        ),
        (f"{label}: {many} clients / raw save (target ≥ 0.5)", f"{multi / raw:.2f}"),
    ]
