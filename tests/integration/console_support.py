"""Helpers of the console's integration tests (test_*_console.py): the console started on the
drill's bus, a member of staff signed in over HTTP (the first-run password changed), the CSRF
token of a page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from services.console.domain.accounts import FIRST_RUN_PASSWORD as FIRST_RUN
from services.console.entrypoint import ConsoleProcess
from shared.kernel.sites import SiteDirectory


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
    console = ConsoleProcess(settings, clock, sites)
    base = await console.start(nats_url)
    try:
        client = await signed_in(base, staff)
        try:
            yield client
        finally:
            await client.aclose()
    finally:
        await console.stop()
