"""Helpers of the integration tests: a desk client over plain nats-py, and waiting."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from nats.aio.client import Client

from shared.subjects import STREAM

START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


class Desk:
    """A plain nats-py client, as a site office would use it."""

    def __init__(self, nc: Client) -> None:
        self.nc = nc
        self.js = nc.jetstream()

    async def request(self, subject: str, body: Any) -> dict[str, Any]:
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        msg = await self.nc.request(subject, payload, timeout=5)
        return json.loads(msg.data)

    async def command(self, site: str, verb: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self.request(f"desk.cmd.{site}.intake.{verb}", body)

    async def dispatch(self, site: str, verb: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self.request(f"desk.cmd.{site}.dispatch.{verb}", body)

    async def query(self, site: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self.request(f"desk.qry.{site}.{name}", body)

    async def stream_count(self) -> int:
        return (await self.js.stream_info(STREAM)).state.messages

    async def events(self) -> list[Any]:
        """Every message of DESK, in order, with its subject and headers."""
        count = await self.stream_count()
        if count == 0:
            return []
        sub = await self.js.subscribe("desk.evt.>", ordered_consumer=True)
        try:
            return [await sub.next_msg(timeout=5) for _ in range(count)]
        finally:
            await sub.unsubscribe()

    async def ticket(self, site: str, ticket_id: str, version: int = 1) -> dict[str, Any]:
        """Wait until the projection shows the ticket at `version` or later."""

        async def shown() -> dict[str, Any] | None:
            reply = await self.query(site, "ticket.get", {"ticket_id": ticket_id})
            if reply["ok"] and len(reply["ticket"]["history"]) >= version:
                return reply["ticket"]
            return None

        return await eventually(shown)


async def eventually(probe: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


def report_body(client_ref: str = "r-1", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_ref": client_ref,
        "channel": "phone",
        "kind": "complaint",
        "category": "noise",
        "reporter": {"name": "王小明", "phone": "13800138000", "room": "3-201"},
        "content": "楼上装修噪音太大",
        "staff_id": "S01",
    }
    body.update(overrides)
    return body
