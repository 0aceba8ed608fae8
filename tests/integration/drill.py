"""A drill on the simulated clock: move time with desk.sim.clock.set, read escalation's events and
the notifications, as an ops team or a test would, over plain NATS."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.integration.support import Desk, eventually

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the drill sites' zone


def parse(when: str) -> datetime:
    return datetime.fromisoformat(when)


def shanghai(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A moment as the drill sites' people read their clocks."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


class Drill:
    def __init__(self, desk: Desk, site: str = "hbw") -> None:
        self.desk = desk
        self.site = site

    async def set_clock(self, when: datetime) -> dict[str, Any]:
        reply = await self.desk.request("desk.sim.clock.set", {"now": when.isoformat()})
        assert reply["ok"], reply
        return reply

    async def decided_at(self, when: datetime) -> set[tuple[str, str]]:
        """Move the clock to `when`; the (event, subject) pairs escalation decided there."""
        reply = await self.set_clock(when)
        return {(d["event"], d["subject"]) for d in reply["decisions"]}

    async def escalation(self, verb: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self.desk.request(
            f"desk.cmd.{self.site}.escalation.{verb}", {"staff_id": "S09"} | body
        )

    async def events(self, event_type: str, ticket_id: str | None = None) -> list[dict]:
        """Published envelopes of one type (for one ticket), in stream order."""
        found = []
        for msg in await self.desk.events():
            if msg.subject.endswith(f".{event_type}"):
                envelope = json.loads(msg.data)
                if ticket_id is None or envelope["data"].get("ticket_id") == ticket_id:
                    found.append(envelope)
        return found

    async def started(self, ticket_id: str, key: str, run: int = 1) -> dict[str, Any]:
        """The data of clock_started for `key` once escalation has published it."""

        async def published() -> dict[str, Any] | None:
            runs = [
                e["data"]
                for e in await self.events("escalation.clock_started", ticket_id)
                if e["data"]["key"] == key
            ]
            return runs[run - 1] if len(runs) >= run else None

        return await eventually(published)

    async def stopped(self, ticket_id: str, key: str) -> dict[str, Any]:
        async def published() -> dict[str, Any] | None:
            for e in await self.events("escalation.clock_stopped", ticket_id):
                if e["data"]["key"] == key:
                    return e["data"]
            return None

        return await eventually(published)

    async def notices(self, role: str) -> list[dict[str, Any]]:
        """Every notification the site's desk has received for `role` (desk.ntf.<site>.<role>)."""
        subject = f"desk.ntf.{self.site}.{role}"
        return [note for on, note in self.desk.notices if on == subject]


SECOND = timedelta(seconds=1)
