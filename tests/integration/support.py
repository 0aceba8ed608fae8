"""Helpers of the integration tests: the desks' client (shared/messaging/client.py), and waiting."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import structlog
from nats.aio.client import Client
from typer.testing import CliRunner

from propdesk.cli.main import app
from shared.messaging.client import Bus
from shared.messaging.identity import OPS, site_identity
from shared.messaging.reader import Stored
from shared.messaging.subjects import STREAM

START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


class Desk:
    """The desks of the bus's sites, ops and analytics, as they would use the bus: each request
    goes out as the identity its subject calls for, with that identity's own credential
    (shared/messaging/client.py). It hears every site's notices as that site's desk."""

    def __init__(self, bus: Bus) -> None:
        self.bus = bus
        self.notices: list[Any] = []  # (subject, notification) as the sites' desks received them

    async def listen(self, sites: Iterable[str]) -> None:
        async def heard(msg: Any) -> None:
            self.notices.append((msg.subject, json.loads(msg.data)))

        for site in sites:
            nc = await self.bus.connection(site_identity(site))
            await nc.subscribe(f"desk.ntf.{site}.>", cb=heard)
            await nc.flush()

    async def ops(self) -> Client:
        """The ops connection (reading DESK, the operators' subjects)."""
        return await self.bus.connection(OPS)

    async def request(self, subject: str, body: Any) -> dict[str, Any]:
        return await self.bus.request(subject, body, timeout=5)

    async def command(self, site: str, verb: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self.request(f"desk.cmd.{site}.intake.{verb}", body)

    async def dispatch(self, site: str, verb: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self.request(f"desk.cmd.{site}.dispatch.{verb}", body)

    async def query(self, site: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self.request(f"desk.qry.{site}.{name}", body)

    async def stream_count(self) -> int:
        return (await (await self.ops()).jetstream().stream_info(STREAM)).state.messages

    async def events(self) -> list[Stored]:
        """Every message of DESK, in order, with its subject and headers (read as ops)."""
        return [m async for batch in self.bus.read_desk() for m in batch]

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


async def report_tickets(desk: Desk, *refs: str, kind: str = "complaint") -> list[str]:
    """Report a contact at hbw for each client_ref (`report_body` of `kind`): the tickets' ids."""
    ids = []
    for ref in refs:
        reply = await desk.command("hbw", "report", report_body(ref, kind=kind))
        assert reply["ok"], reply
        ids.append(reply["ticket_id"])
    return ids


async def ready_to_resolve(desk: Desk, site: str, ticket_id: str, staff: str = "S1") -> None:
    """A complaint is resolved once classified (R6.2) and, valid, once the customer accepted its
    solution (R6.9): classify it valid (minor) and record the acceptance."""
    ref = {"ticket_id": ticket_id, "staff_id": staff}
    classified = await desk.command(site, "classify", ref | {"validity": "valid",
                                                             "severity": "minor"})  # fmt: skip
    assert classified["ok"], classified
    accepted = await desk.command(site, "accept_solution", ref | {"solution": "协调处理"})
    assert accepted["ok"], accepted


async def cli(*args: str) -> Any:
    """`propdesk …` as ops would run it (in a thread: it runs its own event loop). The services
    in this process log elsewhere meanwhile, not into the command's output."""
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(file=sys.__stderr__))
    try:
        return await asyncio.to_thread(CliRunner().invoke, app, list(args))
    finally:
        structlog.reset_defaults()
