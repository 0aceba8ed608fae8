"""The demo's side of the bus: one `Month` sends every desk's commands through the project's
client (`shared.messaging.client.Bus`), moves the simulated clock, hears the notices each role
acknowledges, and learns the work orders dispatch issues from dispatch's own events."""

from __future__ import annotations

import asyncio
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout

from propdesk.demo.contacts import Ticket
from propdesk.demo.profiles import PROFILES
from propdesk.demo.sites import DEPARTMENT_LEADS, ROLE_STAFF, Person
from propdesk.demo.timeline import Timeline, grid, office
from shared.contracts.workorder_events import WorkOrderIssuedEvent
from shared.messaging import subjects
from shared.messaging.client import Bus
from shared.messaging.identity import site_identity

ORDER_WAIT = 20.0  # seconds a story waits for dispatch to issue a repair's work order


class DemoFailed(Exception):
    """A command was refused, or no service answered: the demo stops and says which."""


class DemoInterrupted(Exception):
    """SIGINT or SIGTERM: the demo stops between two moves of the clock."""


@dataclass
class DayCount:
    contacts: Counter[str] = field(default_factory=Counter)
    commands: int = 0
    decisions: Counter[str] = field(default_factory=Counter)


class Order(NamedTuple):
    """A work order as dispatch issued it: its id and the department that signs for it."""

    id: str
    department: str

    @classmethod
    def of(cls, reply: dict[str, Any]) -> Order:
        """From dispatch's reply to `issue` or `rework`."""
        return cls(reply["work_order_id"], reply["department"])


class Month:
    """Drives one month of the three sites through the services."""

    def __init__(self, bus: Bus, seed: int, pool: list[Person], start: datetime) -> None:
        self.bus = bus  # each site's desk, and ops for the clock, each with its own credential
        self.seed = seed
        self.pool = pool
        self.tl = Timeline(start)
        self.clock: datetime = start  # where the services' simulated clock stands
        self.today = DayCount()
        self.dirty = False
        self.notified: set[str] = set()
        # ticket id -> the work order dispatch issued for it by itself (a repair's, R7.6)
        self.issued: dict[str, asyncio.Future[Order]] = {}
        self.stop = asyncio.Event()  # set by SIGINT or SIGTERM

    async def listen(self, sites: list[str]) -> None:
        """Each desk hears its own site's notices, and its work orders as dispatch issues them."""
        for site in sites:
            desk = await self.bus.connection(site_identity(site))
            await desk.subscribe(subjects.notice(site, ">"), cb=self.on_notice)
            issued = subjects.event(site, WorkOrderIssuedEvent.type_name())
            await desk.subscribe(issued, cb=self.on_issued)

    # -- requests ---------------------------------------------------------------------------------

    async def send(
        self,
        subject: str,
        body: dict[str, Any],
        *,
        wait_for: tuple[str, ...] = (),
        command: bool = True,
    ) -> dict[str, Any]:
        """A request whose refusal stops the demo; `wait_for` lists the errors that only mean
        another service has not read the stream yet (retried with the same command_id). A
        `command` accepted counts in the day's line; a query or a clock move does not."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20.0
        while True:
            try:
                reply = await self.bus.request(subject, body, timeout=10)
            except NoRespondersError:
                raise DemoFailed(f"no service answers {subject}") from None
            except NatsTimeout:
                if loop.time() > deadline:
                    raise DemoFailed(f"no answer on {subject}") from None
                continue
            if reply.get("ok"):
                self.today.commands += command
                return reply
            error = reply.get("error") or {}
            retry = error.get("code") in (*wait_for, "unavailable")
            if retry and loop.time() < deadline:
                await asyncio.sleep(0.01)
                continue
            shown = {k: v for k, v in body.items() if k != "reporter"}
            raise DemoFailed(
                f"{subject} refused: {error.get('code')}: {error.get('message')} "
                f"{error.get('fields') or ''}\n  body: {json.dumps(shown, ensure_ascii=False)}"
            )

    async def intake(self, t: Ticket, verb: str, staff: str, **fields: Any) -> dict[str, Any]:
        wait_for = fields.pop("wait_for", ())
        body = {"command_id": t.command_id(), "staff_id": staff, **fields}
        if verb != "report":
            body["ticket_id"] = t.ticket_id
        return await self.send(subjects.command(t.site, "intake", verb), body, wait_for=wait_for)

    async def dispatch(
        self, t: Ticket, verb: str, staff: str, order: str | None, **fields: Any
    ) -> dict[str, Any]:
        wait_for = fields.pop("wait_for", ())
        body = {"command_id": t.command_id(), "staff_id": staff, **fields}
        if order is not None:
            body["work_order_id"] = order
        return await self.send(subjects.command(t.site, "dispatch", verb), body, wait_for=wait_for)

    async def escalation(self, site: str, verb: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self.send(subjects.command(site, "escalation", verb), body)

    def staff(self, t: Ticket, role: str) -> str:
        return f"{PROFILES[t.site].prefix}-{role}"

    def desk_staff(self, t: Ticket) -> str:
        return self.staff(t, f"S0{t.rng.randint(1, 3)}")

    # -- the clock and the bus --------------------------------------------------------------------

    async def set_clock(self, when: datetime) -> None:
        reply = await self.send(subjects.SIM_CLOCK_SET, {"now": when.isoformat()}, command=False)
        for decision in reply["decisions"]:
            self.today.decisions[decision["event"]] += 1
        self.clock = when

    async def settle_bus(self) -> None:
        """Until every service has published what it recorded and applied everything on DESK,
        reactions included: the simulated clock, set to where it stands, answers only then
        (docs/contract.md §20.5)."""
        await self.set_clock(self.clock)

    async def advance(self, when: datetime) -> None:
        """Move the clock to `when` and run every story due then. The clock waits for what the
        stories did before it moves, so no deadline overtakes a step taken just before it."""
        if self.stop.is_set():
            raise DemoInterrupted
        if when > self.clock:
            await self.set_clock(when)
        elif self.dirty:
            await self.settle_bus()
        self.tl.release(when)
        await self.tl.settle()
        self.dirty = True

    async def run_until(self, end: datetime) -> None:
        while (when := self.tl.next_time()) is not None and when < end:
            await self.advance(when)

    # -- notifications ----------------------------------------------------------------------------

    async def on_notice(self, msg: Any) -> None:
        note = json.loads(msg.data)
        if note["notification_id"] in self.notified:
            return
        self.notified.add(note["notification_id"])
        self.tl.spawn(self.acknowledge(note))

    async def acknowledge(self, note: dict[str, Any]) -> None:
        """The role reads its notification and acknowledges it, most of them in office hours."""
        rng = random.Random(f"{self.seed}/ack/{note['notification_id']}")
        if rng.random() < 0.12:
            return  # never acknowledged: it stays in the role's list
        raised = datetime.fromisoformat(note["raised_at"])
        await self.tl.until(grid(office(raised + timedelta(minutes=rng.randint(10, 90)), rng)))
        prefix = PROFILES[note["site"]].prefix
        # a department's notice is its own supervisor's (R6.3, R4.12)
        who = DEPARTMENT_LEADS.get(note.get("department") or "", ROLE_STAFF[note["role"]])
        await self.escalation(
            note["site"],
            "ack",
            {
                "staff_id": f"{prefix}-{who}",
                "notification_id": note["notification_id"],
                "note": rng.choice(["已安排跟进", "已电话联系责任部门", "已知悉，督办中"]),
            },
        )

    # -- work orders dispatch issues by itself ----------------------------------------------------

    async def on_issued(self, msg: Any) -> None:
        event = WorkOrderIssuedEvent.model_validate_json(msg.data)
        if event.data.origin == "automatic":  # a redelivered event finds its future done
            future = self._issued(str(event.data.ticket_id))
            if not future.done():
                future.set_result(Order(str(event.aggregate_id), event.data.department))

    async def issued_order(self, t: Ticket) -> Order:
        """The order dispatch issued for the ticket by itself when it was reported."""
        try:
            return await asyncio.wait_for(asyncio.shield(self._issued(t.ticket_id)), ORDER_WAIT)
        except TimeoutError:
            raise DemoFailed(f"dispatch issued no work order for ticket {t.ticket_no}") from None

    def _issued(self, ticket_id: str) -> asyncio.Future[Order]:
        future = self.issued.get(ticket_id)
        if future is None:
            future = self.issued[ticket_id] = asyncio.get_running_loop().create_future()
        return future
