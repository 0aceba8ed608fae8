"""Helpers of the console's integration tests (test_*_console.py): the console started on the
drill's bus, a member of staff signed in over HTTP (the first-run password changed), the CSRF
token of a page, what a page hears on `/live`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from services.console.domain.accounts import FIRST_RUN_PASSWORD as FIRST_RUN
from services.console.entrypoint import ConsoleProcess
from shared.kernel.sites import SiteDirectory
from tests.integration.support import eventually


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


async def signed_in(base: str, staff: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, follow_redirects=True, timeout=10)
    page = await client.get("/login")
    form = {"csrf": csrf_of(page.text), "site": "hbw", "staff_id": staff, "password": FIRST_RUN}
    reply = await client.post("/login", data=form)
    assert reply.url.path == "/password", reply.text[:300]
    new = "a-new-pass-1"
    changed = await client.post("/password", data={
        "csrf": csrf_of(reply.text), "old": FIRST_RUN, "new": new, "repeat": new})  # fmt: skip
    assert changed.url.path != "/password", changed.text[:300]
    return client


@asynccontextmanager
async def console_as(settings: Any, clock: Any, sites: SiteDirectory, nats_url: str,
                     staff: str) -> AsyncIterator[httpx.AsyncClient]:  # fmt: skip
    """The console on the bus at `nats_url`, and `staff` signed in to it; both closed after."""
    async with console_of(settings, clock, sites, nats_url, staff) as (client,):
        yield client


@asynccontextmanager
async def console_of(settings: Any, clock: Any, sites: SiteDirectory, nats_url: str,
                     *staff: str) -> AsyncIterator[tuple[httpx.AsyncClient, ...]]:  # fmt: skip
    """The console on the bus at `nats_url`, and each of `staff` signed in to it (one client
    each, in that order); all closed after."""
    console = ConsoleProcess(settings, clock, sites)
    base = await console.start(nats_url)
    clients: list[httpx.AsyncClient] = []
    try:
        for member in staff:
            clients.append(await signed_in(base, member))
        yield tuple(clients)
    finally:
        for client in clients:
            await client.aclose()
        await console.stop()


async def first_order(desk: Any, ticket_id: str) -> dict[str, Any]:
    """The ticket's first work order, once dispatch has issued it and the view shows it."""

    async def issued() -> dict[str, Any] | None:
        got = await desk.query("hbw", "ticket.get", {"ticket_id": ticket_id})
        orders = got.get("ticket", {}).get("work_orders") or []
        return orders[0] if orders else None

    return await eventually(issued)


@asynccontextmanager
async def heard(client: httpx.AsyncClient) -> AsyncIterator[list[tuple[str, dict[str, Any]]]]:
    """What the signed-in member's page hears on `/live` (server-sent events), as it comes:
    (event, data), once the console has subscribed (its first line, `retry:`)."""
    events: list[tuple[str, dict[str, Any]]] = []
    subscribed = asyncio.Event()

    async def listen() -> None:
        async with client.stream("GET", "/live", timeout=None) as reply:
            assert reply.status_code == 200
            kind = ""
            async for line in reply.aiter_lines():
                if line.startswith("retry:"):
                    subscribed.set()
                elif line.startswith("event: "):
                    kind = line.removeprefix("event: ")
                elif line.startswith("data: "):
                    events.append((kind, json.loads(line.removeprefix("data: "))))

    task = asyncio.create_task(listen())
    try:
        await asyncio.wait_for(subscribed.wait(), 10)
        yield events
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def told(events: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """The tickets a banner was raised for."""
    return [data["ticket_no"] for kind, data in events if kind == "notice"]
