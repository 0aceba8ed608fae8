"""`propdesk demo`: a month of three sites, run through the live services on the simulated clock,
then that month's reports.

The demo starts nats-server and every service in this process on a `SimulatedClock` (the same
`System` as `propdesk up --clock simulated`), and drives them only over NATS, as desks would:
request/reply on `desk.cmd.<site>.<service>.<verb>`, the clock moved with `desk.sim.clock.set`.

Each contact of the month is a *story*: an asyncio task that logs the contact and then moves its
ticket and work orders along, waiting for simulated times (`Timeline.until`). The driver moves the
clock to the earliest time any story waits for, lets every story due then send its commands
(concurrently, one NATS connection), waits until all of them wait again, and waits until every
consumer of DESK has caught up before it moves the clock again — so escalation decides exactly what
a real month would have made it decide. Every random choice of a story comes from its own
`random.Random` seeded from the demo's seed, so a seed always gives the same month.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import sys
import time as wallclock
from collections import Counter, defaultdict
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from uuid import NAMESPACE_URL, uuid5
from zoneinfo import ZoneInfo

import typer
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from propdesk.demo_data import (
    COMPLAINT_RESOLUTIONS,
    DEPARTMENT_LEADS,
    PAID_ITEMS,
    PROFILES,
    ROLE_STAFF,
    SITES,
    Person,
    Profile,
    people,
)
from propdesk.reports.labels import CATEGORIES
from services.dispatch.domain.policy import route
from shared import subjects
from shared.client import Bus
from shared.clock import SimulatedClock
from shared.contracts.vocabulary import Validity
from shared.identity import site_identity
from shared.logging import configure_logging
from shared.natsd import free_port
from shared.repairs import urgency_of
from shared.settings import Settings
from shared.worktime import is_working_day

ZONE = ZoneInfo("Asia/Shanghai")
MARKER = ".propdesk-demo"  # a data dir the demo may wipe
ORDER_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/work-order")
TAIL_DAYS = 2  # days after the last contact: work finishes, follow-ups are made
DEFAULT_SEED = 20261001
# A complaint found invalid (无效投诉): the vocabulary's own class when it has one, else the
# complaint is reclassified as an inquiry (it is not a complaint about the property's service).
INVALID = "invalid" if "invalid" in {v.value for v in Validity} else None

# wide enough for the summary table also when the output is not a terminal
console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)


class DemoFailed(Exception):
    """A command was refused, or no service answered: the demo stops and says which."""


class DemoInterrupted(Exception):
    """SIGINT or SIGTERM: the demo stops between two moves of the clock."""


# -- time ------------------------------------------------------------------------------------------


def local(day: date, hour: float) -> datetime:
    minutes = round(hour * 60)
    return datetime.combine(day, time(minutes // 60, minutes % 60), ZONE)


def grid(when: datetime, step: int = 5) -> datetime:
    """Up to the next `step` minutes (non-urgent steps share clock moves)."""
    when = when.astimezone(ZONE).replace(second=0, microsecond=0)
    extra = (-when.minute) % step
    return when + timedelta(minutes=extra)


def office(when: datetime, rng: random.Random, *, workdays: bool = False) -> datetime:
    """`when`, or the next opening of the service office (08:30–18:00, on working days when
    `workdays`) with a few minutes of its own."""
    when = when.astimezone(ZONE)
    day = when.date()
    if when.time() >= time(18, 0):
        day += timedelta(days=1)
    elif when.time() >= time(8, 30) and (not workdays or is_working_day(day)):
        return when
    while workdays and not is_working_day(day):
        day += timedelta(days=1)
    opening = local(day, 8.5) + timedelta(minutes=rng.randint(0, 75))
    return max(opening, when)


def month_days(month: str) -> list[date]:
    year, mon = (int(x) for x in month.split("-"))
    first = date(year, mon, 1)
    nxt = date(year + mon // 12, mon % 12 + 1, 1)
    return [first + timedelta(days=i) for i in range((nxt - first).days)]


# -- the timeline ----------------------------------------------------------------------------------


class Timeline:
    """Stories wait for simulated times; the driver releases them in time order."""

    def __init__(self, start: datetime) -> None:
        self.now = start
        self._heap: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._active = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.failure: BaseException | None = None
        self.closed = False

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        if self.closed:
            coro.close()
            return
        self._enter()
        task = asyncio.create_task(self._run(coro))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, coro: Coroutine[Any, Any, None]) -> None:
        try:
            await coro
        except asyncio.CancelledError:
            pass
        except Exception as exc:
            if self.failure is None:
                self.failure = exc
        finally:
            self._leave()

    async def until(self, when: datetime) -> None:
        """Wait until the driver has moved the clock to `when` (or now, if that is later)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._heap, (max(when, self.now), next(self._seq), future))
        self._leave()
        try:
            await future
        except asyncio.CancelledError:
            self._enter()  # balanced by _run's finally
            raise

    def next_time(self) -> datetime | None:
        return self._heap[0][0] if self._heap else None

    def release(self, when: datetime) -> None:
        self.now = when
        while self._heap and self._heap[0][0] <= when:
            _, _, future = heapq.heappop(self._heap)
            if not future.done():
                self._enter()
                future.set_result(None)

    async def settle(self) -> None:
        """Until every story waits for a later time, or has ended."""
        await self._idle.wait()
        if self.failure is not None:
            raise self.failure

    def waiting(self) -> int:
        return len(self._heap)

    async def close(self) -> None:
        self.closed = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _enter(self) -> None:
        self._active += 1
        self._idle.clear()

    def _leave(self) -> None:
        self._active -= 1
        if self._active == 0:
            self._idle.set()


# -- tickets ---------------------------------------------------------------------------------------


@dataclass(eq=False)
class Ticket:
    site: str
    n: int
    rng: random.Random
    at: datetime
    kind: str
    category: str | None
    channel: str
    content: str
    person: Person | None
    unit: str | None
    public: bool = False
    urgent: bool = False
    help_category: str | None = None
    appointment: tuple[datetime, datetime] | None = None
    answer: str | None = None
    duplicate_of: Ticket | None = None
    stuck: bool = False
    ticket_id: str = ""
    ticket_no: str = ""
    reported: asyncio.Event = field(default_factory=asyncio.Event)
    _steps: itertools.count = field(default_factory=itertools.count)

    @property
    def client_ref(self) -> str:
        return f"{self.site}-{self.at.astimezone(ZONE):%Y%m%d}-{self.n:04d}"

    def command_id(self) -> str:
        return f"demo:{self.client_ref}:{next(self._steps)}"

    def order_id(self, number: int) -> str:
        return str(uuid5(ORDER_NS, f"{self.ticket_id}/{number}"))


def _minutes(rng: random.Random, profile: Profile, count: int, day: date) -> list[datetime]:
    """`count` different minutes of the day, most of them in office hours."""
    lo, hi = profile.hours
    chosen: set[int] = set()
    while len(chosen) < count:
        if rng.random() < 0.8:
            hour = rng.uniform(8.5, 18.0)
        elif rng.random() < 0.8:
            hour = rng.uniform(lo, hi)
        else:
            hour = rng.uniform(0.0, 24.0) if profile.residential else rng.uniform(lo, hi)
        chosen.add(min(int(hour * 60), 24 * 60 - 1))
    return sorted(local(day, m / 60) for m in chosen)


KINDS = (("repair", 45), ("complaint", 15), ("inquiry", 20), ("suggestion", 8), ("help", 12))


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def contacts_of_day(
    seed: int, profile: Profile, day: date, first: int, pool: list[Person], *, stuck: bool
) -> list[Ticket]:
    """The contacts one site receives on one day, numbered from `first`."""
    rng = random.Random(f"{seed}/{profile.site}/{day.isoformat()}")
    working = is_working_day(day)
    count = rng.randint(*(profile.workday if working else profile.offday))
    tickets: list[Ticket] = []
    for i, at in enumerate(_minutes(rng, profile, count, day)):
        n = first + i
        t_rng = random.Random(f"{seed}/{profile.site}/{n}")
        kind = "complaint" if stuck and i == 0 else _pick(t_rng, KINDS)
        night = at.hour < 8 or at.hour >= 20
        person = t_rng.choice(pool)
        channel = _pick(
            t_rng,
            {
                "repair": (("phone", 45), ("visit", 15), ("online", 30), ("hotline", 10)),
                "complaint": (("phone", 45), ("visit", 25), ("online", 20), ("letter", 10)),
                "inquiry": (("phone", 40), ("visit", 35), ("online", 25)),
                "suggestion": (("online", 50), ("letter", 20), ("visit", 30)),
                "help": (("phone", 65), ("hotline", 30), ("visit", 5)),
            }[kind],
        )
        if night and channel in ("visit", "letter"):
            channel = "hotline"
        t = Ticket(profile.site, n, t_rng, at, kind, None, channel, "", person, None)
        t.unit = profile.unit(t_rng)
        if kind == "repair":
            _repair(t, profile, night)
        elif kind == "complaint":
            t.category, t.content = (
                profile.complaints[0] if stuck and i == 0 else t_rng.choice(profile.complaints)
            )
            t.stuck = stuck and i == 0
        elif kind == "inquiry":
            t.category, t.content, t.answer = t_rng.choice(profile.inquiries)
        elif kind == "suggestion":
            t.category, t.content = t_rng.choice(profile.suggestions)
        else:
            t.help_category, t.content = t_rng.choice(profile.helps)
        if t.person is not None and t.channel in ("phone", "hotline") and t_rng.random() < 0.15:
            # people say who they are and where to call back: intake masks it before publishing
            t.content += f"，{t.person.name}请回电{t.person.phone}"
        tickets.append(t)
        if kind == "inquiry" and t_rng.random() < 0.05:  # logged again by a colleague
            twin = Ticket(
                profile.site, n, t_rng, at + timedelta(minutes=t_rng.randint(3, 12)), kind,
                t.category, "online", t.content, person, t.unit, answer=t.answer, duplicate_of=t,
            )  # fmt: skip
            tickets.append(twin)
    tickets.sort(key=lambda t: t.at)
    for number, t in enumerate(tickets, start=first):
        t.n = number
    return tickets


def _repair(t: Ticket, profile: Profile, night: bool) -> None:
    rng = t.rng
    if profile.inspections and rng.random() < 0.08:
        t.category, t.content, t.public = rng.choice(profile.inspections)
        t.channel, t.person, t.unit = "inspection", None, None
    else:
        urgent = [r for r in profile.repairs if urgency_of(r[0], r[1]).value == "urgent"]
        general = [r for r in profile.repairs if r not in urgent]
        t.category, t.content, t.public = rng.choice(urgent if rng.random() < 0.13 else general)
    t.urgent = urgency_of(t.category, t.content).value == "urgent"
    if t.public and t.unit is not None:
        places = ["大堂", "地下车库", "1号门岗", "中庭"]
        t.unit = f"{rng.randint(1, 18)}栋" if t.site == "hbw" else rng.choice(places)
    if t.urgent or t.public:
        return
    workdays = not profile.residential
    if night or rng.random() < 0.15:  # the customer wants a time of their own
        day = t.at.astimezone(ZONE).date() + timedelta(days=1 if night else rng.randint(1, 2))
        while workdays and not is_working_day(day):
            day += timedelta(days=1)
        start = local(day, rng.choice([9.0, 10.0, 14.0, 15.0]))
        t.appointment = (start, start + timedelta(hours=2))


# -- the month -------------------------------------------------------------------------------------


@dataclass
class DayCount:
    contacts: Counter[str] = field(default_factory=Counter)
    commands: int = 0
    decisions: Counter[str] = field(default_factory=Counter)


CATEGORY_WORDS = {key: zh for key, (zh, _) in CATEGORIES.items()}


class Month:
    """Drives one month of the three sites through the services."""

    def __init__(
        self,
        bus: Bus,
        seed: int,
        pool: list[Person],
        start: datetime,
    ) -> None:
        self.bus = bus  # each site's desk, and ops for the clock, each with its own credential
        self.seed = seed
        self.pool = pool
        self.tl = Timeline(start)
        self.clock: datetime = start  # where the services' simulated clock stands
        self.today = DayCount()
        self.dirty = False
        self.notified: set[str] = set()
        self.stop = asyncio.Event()  # set by SIGINT or SIGTERM

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

    async def attach_analyses(self, period: str) -> None:
        """Each site manager's analysis of the month (R12.2), written from the month's report as a
        manager would: where the complaints were, what was learnt, what will be done."""
        for site, profile in PROFILES.items():
            query = subjects.query(site, "report.monthly")
            report = await self.send(query, {"month": period}, command=False)
            complaints = report["report"]["by_category"]
            top = [c for c, n in sorted(complaints.items(), key=lambda kv: -kv[1]) if n][:2]
            where = "、".join(CATEGORY_WORDS.get(c, c) for c in top) or "无集中类别"
            escalated = sum(report["report"]["escalations"].values())
            body = {
                "command_id": f"demo:analysis:{site}:{period}",
                "staff_id": f"{profile.prefix}-{ROLE_STAFF['project_manager']}",
                "month": period,
                "cause": f"本月受理集中在{where}; {escalated}宗投诉因未在时限内解决而升级。",
                "lessons": "维修预约须当日确认到场时间; 投诉首次回复须在两小时内。",
                "actions": f"针对{where}每周巡查两次; 升级投诉由项目经理每周复盘。",
            }
            await self.send(subjects.command(site, "intake", "attach_analysis"), body)

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
        await self.escalation(
            note["site"],
            "ack",
            {
                "staff_id": f"{prefix}-{ROLE_STAFF[note['role']]}",
                "notification_id": note["notification_id"],
                "note": rng.choice(["已安排跟进", "已电话联系责任部门", "已知悉，督办中"]),
            },
        )

    # -- the stories ------------------------------------------------------------------------------

    def staff(self, t: Ticket, role: str) -> str:
        return f"{PROFILES[t.site].prefix}-{role}"

    def desk_staff(self, t: Ticket) -> str:
        return self.staff(t, f"S0{t.rng.randint(1, 3)}")

    async def story(self, t: Ticket) -> None:
        await self.tl.until(t.at)
        await self.report(t)
        if t.duplicate_of is not None:
            await self.cancel_duplicate(t)
            return
        await {
            "repair": self.repair,
            "complaint": self.complaint,
            "inquiry": self.inquiry,
            "suggestion": self.suggestion,
            "help": self.help,
        }[t.kind](t)

    async def report(self, t: Ticket) -> None:
        fields: dict[str, Any] = {
            "client_ref": t.client_ref,
            "channel": t.channel,
            "kind": t.kind,
            "content": t.content,
            "received_at": t.at.isoformat(),
        }
        if t.category is not None:
            fields["category"] = t.category
        if t.help_category is not None:
            fields["help_category"] = t.help_category
        if t.person is not None:
            reporter: dict[str, Any] = {"name": t.person.name}
            if t.channel in ("phone", "hotline") or t.rng.random() < 0.7:
                reporter["phone"] = t.person.phone
            if t.unit is not None:
                reporter["room"] = t.unit
            fields["reporter"] = reporter
        if t.appointment is not None:
            start, end = t.appointment
            fields["appointment"] = {"start": start.isoformat(), "end": end.isoformat()}
        staff = self.staff(t, "PATROL") if t.channel == "inspection" else self.desk_staff(t)
        reply = await self.intake(t, "report", staff, **fields)
        t.ticket_id, t.ticket_no = reply["ticket_id"], reply["ticket_no"]
        t.reported.set()
        self.today.contacts[t.site] += 1

    async def cancel_duplicate(self, t: Ticket) -> None:
        assert t.duplicate_of is not None
        await t.duplicate_of.reported.wait()
        await self.tl.until(grid(t.at + timedelta(minutes=t.rng.randint(3, 15))))
        await self.intake(
            t, "cancel", self.desk_staff(t), reason="重复登记，同一咨询已由前台受理",
            duplicate_of=t.duplicate_of.ticket_id,
        )  # fmt: skip

    async def work(
        self, t: Ticket, number: int, *, urgent: bool, start: datetime | None = None
    ) -> tuple[str, dict[str, Any]]:
        """Collect and assign order `number` now, the technician arrives: (order id, arrival)."""
        rng = t.rng
        order = t.order_id(number)
        # the department that signs for it: dispatch's routing of the category (contract §9.3)
        department = route(t.category, SITES["sites"][t.site].get("routing", {}))
        lead = self.staff(t, DEPARTMENT_LEADS[department])
        technician = self.staff(t, f"T{rng.randint(1, 9):02d}")
        if rng.random() < 0.03:  # the department is slow to sign for it
            await self.tl.until(self.tl.now + timedelta(minutes=rng.randint(4, 8)))
        reply = await self.dispatch(
            t, "collect", lead, order, collected_by=lead, wait_for=("not_found",)
        )
        await self.dispatch(t, "assign", lead, order, technician=technician)
        on_site = max(self.tl.now, start or self.tl.now)
        public = reply["scope"] == "public"
        late = rng.random()
        if urgent and late < 0.05:
            arrive = on_site + timedelta(minutes=rng.randint(125, 170))
        elif late < 0.06:
            arrive = on_site + timedelta(minutes=rng.randint(18, 45))
        else:
            arrive = on_site + timedelta(
                minutes=rng.randint(4, 9) if public else rng.randint(5, 14)
            )
        await self.tl.until(arrive)
        if start is not None and not urgent and rng.random() < 0.05:  # nobody home (R7.17)
            await self.dispatch(t, "arrive", technician, order)
            day = arrive.astimezone(ZONE).date() + timedelta(days=1)
            new = local(day, 10.0)
            window = {"start": new.isoformat(), "end": (new + timedelta(hours=2)).isoformat()}
            await self.dispatch(
                t, "reschedule", technician, order, reason="nobody_home", appointment=window
            )
            await self.tl.until(new + timedelta(minutes=rng.randint(3, 12)))
        arrived = await self.dispatch(t, "arrive", technician, order)
        return order, arrived | {"technician": technician, "lead": lead}

    async def finish(
        self, t: Ticket, order: str, who: dict[str, Any], done_at: datetime, item: str,
        fee: str | None = None,
    ) -> None:  # fmt: skip
        """Complete the order at `done_at`, the customer signs; returned at the day's end."""
        rng = t.rng
        technician = who["technician"]
        await self.tl.until(done_at)
        fields = {"fee": fee} if fee else {}
        completed = await self.dispatch(
            t, "complete", technician, order, notes=f"已处理：{item}，试用正常", actual_item=item,
            **fields,
        )  # fmt: skip
        if completed["status"] == "awaiting_acceptance":  # a leak: the next rain tells (R8.8)
            later = self.tl.now + timedelta(days=rng.randint(2, 5))
            await self.tl.until(grid(office(later, rng)))
            await self.dispatch(
                t, "confirm_acceptance", self.desk_staff(t), order, note="雨后复查，未见渗漏"
            )
        quality = rng.choices([5, 4, 3], [60, 30, 10])[0]
        await self.dispatch(
            t, "sign_off", technician, order, quality=quality,
            attitude=min(5, quality + rng.randint(0, 1)),
        )  # fmt: skip
        signed = self.tl.now.astimezone(ZONE)
        back = local(signed.date(), 17.5)
        if signed >= back:
            back = local(signed.date() + timedelta(days=1), 9.0)
        self.tl.spawn(self.return_order(t, order, who["lead"], back))

    async def return_order(self, t: Ticket, order: str, lead: str, when: datetime) -> None:
        await self.tl.until(when)
        await self.dispatch(t, "return", lead, order)

    async def follow_up(self, t: Ticket, unsatisfied: float, *, force: bool = False) -> bool:
        """The follow-up call (回访) some hours after the resolution; True when satisfied."""
        rng = t.rng
        if rng.random() < 0.04:  # not reached in time: the follow-up clock breaches
            when = self.tl.now + timedelta(hours=rng.uniform(26, 40))
        else:  # the same day, or the next morning
            when = office(self.tl.now + timedelta(hours=rng.uniform(0.5, 6)), rng)
        await self.tl.until(grid(when))
        staff = self.staff(t, "CS1")
        if t.person is not None and rng.random() < 0.5:
            await self.intake(t, "reveal_contact", staff, purpose="回访")
        satisfied = force or rng.random() >= unsatisfied
        fields: dict[str, Any] = {"satisfied": satisfied}
        if satisfied:
            fields["score"] = rng.choices([5, 4], [65, 35])[0] if not force else rng.randint(3, 4)
        else:
            fields["score"] = rng.randint(2, 3)
            fields["comment"] = rng.choice(["问题没有根本解决", "处理太慢", "维修后又出现同样问题"])
        if t.channel == "inspection":
            fields["score"] = 5
            fields["satisfied"] = satisfied = True
            fields.pop("comment", None)
        await self.intake(t, "follow_up", staff, wait_for=("conflict",), **fields)
        return satisfied

    async def repair(self, t: Ticket) -> None:
        rng = t.rng
        start = t.appointment[0] if t.appointment else None
        if t.urgent and t.person is not None and rng.random() < 0.3:  # the neighbours call too
            neighbour = rng.choice(self.pool)
            await self.tl.until(t.at + timedelta(minutes=rng.randint(1, 3)))
            await self.intake(
                t, "link", self.desk_staff(t), channel="phone",
                content=f"邻居也来电反映：{t.content}",
                reporter={"name": neighbour.name, "phone": neighbour.phone},
            )  # fmt: skip
        order, who = await self.work(t, 1, urgent=t.urgent, start=start)
        item = t.content.split("，")[0]
        fee = None
        household = not t.public and t.unit is not None
        if household and not t.urgent and rng.random() < 0.2:  # a paid item (R8.5)
            item, amount = rng.choice(PAID_ITEMS)
            await self.dispatch(t, "quote", who["technician"], order, amount=amount, items=item)
            if rng.random() < 0.12:
                await self.dispatch(
                    t, "decline_quote", who["technician"], order, reason="业主认为价格偏高"
                )
                await self.tl.until(grid(self.tl.now + timedelta(minutes=rng.randint(20, 60))))
                await self.intake(
                    t, "resolve", self.desk_staff(t), resolution="业主不接受报价，自行处理"
                )
                await self.follow_up(t, 0.1)
                return
            await self.dispatch(t, "accept_quote", who["technician"], order)
            fee = amount
        now = self.tl.now
        if not t.urgent and rng.random() < 0.03:  # waiting for parts: the clock pauses
            # a little later, so that escalation has read the order's quote and its acceptance
            await self.tl.until(grid(now + timedelta(minutes=10)))
            await self.escalation(
                t.site, "pause",
                {"staff_id": self.desk_staff(t), "ticket_id": t.ticket_id, "reason": "parts",
                 "note": "等待配件到货"},
            )  # fmt: skip
            back = office(now + timedelta(days=rng.randint(1, 3)), rng)
            await self.tl.until(grid(back))
            await self.escalation(
                t.site, "resume", {"staff_id": self.desk_staff(t), "ticket_id": t.ticket_id}
            )
            done = self.tl.now + timedelta(minutes=rng.randint(60, 180))
        elif not t.urgent and rng.random() < 0.05:  # too slow: the repair clock breaches
            done = office(now + timedelta(days=rng.uniform(3.2, 4.5)), rng)
        else:
            done = now + timedelta(minutes=rng.randint(20, 150 if not t.urgent else 90))
        await self.finish(t, order, who, grid(done), item, fee)
        if await self.follow_up(t, 0.08):
            return
        # unsatisfied: reopened; the order is reworked, free within the warranty (R8.9)
        await self.tl.until(grid(self.tl.now + timedelta(hours=rng.uniform(1, 4))))
        await self.dispatch(t, "rework", self.desk_staff(t), order, reason="回访不满意，安排返修")
        order, who = await self.work(t, 2, urgent=False)
        await self.finish(t, order, who, grid(self.tl.now + timedelta(minutes=60)), f"返修：{item}")
        await self.follow_up(t, 0.0, force=True)

    async def complaint(self, t: Ticket) -> None:
        rng = t.rng
        await self.tl.until(grid(t.at + timedelta(minutes=rng.randint(5, 50))))
        roll = rng.random()
        staff = self.desk_staff(t)
        valid = t.stuck or roll < 0.62
        if valid:
            severity = (
                "important"
                if t.stuck
                else rng.choices(["minor", "important", "major"], [45, 48, 7])[0]
            )
            await self.intake(t, "classify", staff, validity="valid", severity=severity)
        elif roll < 0.88:
            await self.intake(
                t, "classify", staff, validity="communicative",
                communicative_type=rng.choice(["venting", "inquiry", "help_seeking"]),
            )  # fmt: skip
        elif INVALID is not None:
            await self.intake(t, "classify", staff, validity=INVALID)
        else:
            await self.intake(t, "classify", staff, kind="inquiry")
        if not t.stuck and rng.random() < 0.03:
            await self.tl.until(grid(office(self.tl.now + timedelta(hours=rng.uniform(2, 8)), rng)))
            # a complaint on the ladder is cancelled by the supervisor (R6.4), others at the desk
            by = self.staff(t, ROLE_STAFF["department_supervisor"]) if valid else staff
            await self.intake(t, "cancel", by, reason="业主表示已自行协商解决，撤回投诉")
            return
        fate = rng.random()
        if t.stuck:
            hours = None
        elif not valid or fate < 0.78:
            hours = rng.uniform(1.5, 30)
        elif fate < 0.91:
            hours = rng.uniform(2.1 * 24, 6 * 24)  # the department supervisor hears of it
        elif fate < 0.97:
            hours = rng.uniform(7.2 * 24, 13 * 24)  # … and the project manager
        else:
            hours = rng.uniform(14.2 * 24, 20 * 24)  # … and the general manager's office
        workdays = t.site != "hbw"
        if hours is not None and hours < 48 and valid and rng.random() < 0.45:
            # a department puts it right with a work order; the sign-off resolves the ticket
            await self.dispatch(
                t, "issue", staff, None, ticket_id=t.ticket_id,
                reason=f"投诉处理：{t.content[:30]}", wait_for=("not_found",),
            )  # fmt: skip
            order, who = await self.work(t, 1, urgent=False)
            done = office(self.tl.now + timedelta(hours=hours), rng, workdays=workdays)
            await self.finish(t, order, who, grid(done), "投诉事项已现场处理")
        else:
            end = None if hours is None else self.tl.now + timedelta(hours=hours)
            while True:  # long ones: the customer calls again (R16.1, a criterion of major R5.1)
                nudge = self.tl.now + timedelta(days=rng.uniform(3, 6))
                if end is not None and nudge >= end:
                    break
                await self.tl.until(grid(office(nudge, rng)))
                await self.intake(
                    t, "link", staff, channel="phone", content="业主再次来电催促处理进度",
                    reporter={"name": t.person.name, "phone": t.person.phone} if t.person else None,
                )  # fmt: skip
            assert end is not None
            await self.tl.until(grid(office(end, rng, workdays=workdays)))
            text = COMPLAINT_RESOLUTIONS.get(t.category or "", "已核实并处理")
            if not valid:
                text = "已向业主解释说明，业主表示理解"
            await self.intake(t, "resolve", self.desk_staff(t), resolution=text)
        if await self.follow_up(t, 0.12):
            return
        await self.tl.until(grid(office(self.tl.now + timedelta(days=rng.uniform(1, 2)), rng)))
        await self.intake(
            t, "resolve", self.desk_staff(t), resolution="二次处理：主管上门沟通并落实整改"
        )
        await self.follow_up(t, 0.0, force=True)

    async def inquiry(self, t: Ticket) -> None:
        rng = t.rng
        if rng.random() < 0.3:  # needs looking up
            await self.tl.until(grid(t.at + timedelta(minutes=rng.randint(10, 60))))
        await self.intake(t, "resolve", self.desk_staff(t), resolution=t.answer or "已答复")
        await self.follow_up(t, 0.05)

    async def suggestion(self, t: Ticket) -> None:
        rng = t.rng
        later = t.at + timedelta(days=rng.uniform(1, 4))
        await self.tl.until(grid(office(later, rng, workdays=t.site != "hbw")))
        text = rng.choice(["已采纳，纳入下月工作计划", "已转公司研究，感谢建议", "已采纳并实施"])
        manager = self.staff(t, ROLE_STAFF["project_manager"])
        await self.intake(t, "resolve", manager, resolution=text)
        await self.follow_up(t, 0.05)

    async def help(self, t: Ticket) -> None:
        rng = t.rng
        late = rng.random() < 0.08
        minutes = rng.randint(7, 20) if late else rng.randint(1, 4)
        await self.tl.until(t.at + timedelta(minutes=minutes))
        message = {
            "A": "已联系120，保安到楼下引导救护车",
            "B": "维修人员马上到场关阀",
            "E": "保安马上到场，已保存监控录像",
            "F": "值班工程和保安马上到场处理",
        }.get(t.help_category or "", "值班人员马上到")
        await self.intake(t, "reply", self.desk_staff(t), message=message)
        if t.help_category in ("B", "F"):
            department = "engineering" if t.help_category == "B" else "security"
            await self.dispatch(
                t, "issue", self.desk_staff(t), None, ticket_id=t.ticket_id,
                reason="求助：需现场处置", department=department, urgency="urgent",
                wait_for=("not_found",),
            )  # fmt: skip
            t.category = "plumbing" if department == "engineering" else "security"
            order, who = await self.work(t, 1, urgent=True)
            done = self.tl.now + timedelta(minutes=rng.randint(30, 90))
            await self.finish(t, order, who, grid(done), "现场处置完毕")
        else:
            await self.tl.until(grid(self.tl.now + timedelta(minutes=rng.randint(15, 150))))
            await self.intake(t, "resolve", self.desk_staff(t), resolution="已协助处理完毕")
        await self.follow_up(t, 0.05)


# -- the summary: read back from DESK --------------------------------------------------------------


@dataclass
class SiteSummary:
    contacts: int = 0
    repairs: int = 0
    complaints: int = 0
    orders: int = 0
    paid: Decimal = Decimal(0)
    escalations: int = 0
    upgrades: int = 0
    breaches: int = 0
    follow_ups: int = 0
    satisfied: int = 0
    score: int = 0


async def read_desk(bus: Bus, pool: list[Person]) -> tuple[dict[str, SiteSummary], int, list[str]]:
    """Every event on DESK, read as ops: the summary per site, the count, and any reporter's
    name or phone found in an event (there must be none)."""
    count = 0
    pattern = re.compile("|".join(re.escape(x) for p in pool for x in (p.name, p.phone)))
    summary: dict[str, SiteSummary] = defaultdict(SiteSummary)
    kinds: dict[str, tuple[str, str]] = {}  # ticket id -> (site, kind as last classified)
    leaks: list[str] = []
    async for batch in bus.read_desk():
        for msg in batch:
            count += 1
            text = msg.data.decode()
            if found := pattern.search(text):
                leaks.append(f"{msg.subject}: {found.group(0)}")
            envelope = json.loads(text)
            site, data, kind = envelope["site"], envelope["data"], envelope["event_type"]
            s = summary[site]
            if kind in ("ticket.reported", "ticket.classified"):
                kinds[envelope["aggregate_id"]] = (site, data["kind"])
                s.contacts += kind == "ticket.reported"
            elif kind == "ticket.cancelled" and data["duplicate_of"]:  # not a contact of its own
                s.contacts -= 1
                kinds.pop(envelope["aggregate_id"], None)
            elif kind == "workorder.issued":
                s.orders += 1
            elif kind == "workorder.completed":
                s.paid += Decimal(data["fee"])
            elif kind == "escalation.complaint_escalated":
                s.escalations += 1
            elif kind == "escalation.complaint_upgraded":
                s.upgrades += 1
            elif kind == "escalation.clock_breached":
                s.breaches += 1
            elif kind == "ticket.followed_up":
                s.follow_ups += 1
                s.satisfied += data["satisfied"]
                s.score += data["score"]
    for site, kind in kinds.values():
        summary[site].complaints += kind == "complaint"
        summary[site].repairs += kind == "repair"
    return summary, count, leaks


# -- the reports -----------------------------------------------------------------------------------


def weeks_of(days: list[date]) -> list[str]:
    weeks = []
    for day in days:
        year, week, _ = day.isocalendar()
        name = f"{year}-W{week:02d}"
        if name not in weeks:
            weeks.append(name)
    return weeks


async def write_reports(
    bus: Bus, url: str, sites: list[str], period: str, days: list[date], out: Path
) -> tuple[list[Path], list[str], str]:
    """The month's reports into `out`: (files written, one line per report, how)."""
    out.mkdir(parents=True, exist_ok=True)
    wanted: list[tuple[str, str, str]] = []  # (kind, site, month or week)
    for site in sites:
        wanted.append(("monthly", site, period))
        wanted += [("weekly", site, week) for week in weeks_of(days)]
    wanted.append(("quality", subjects.COMPANY, period))
    try:
        from propdesk import report_cli  # lazily: it brings openpyxl and matplotlib
    except ImportError:
        report_cli = None
    if report_cli is not None:
        lines = await asyncio.to_thread(_report_files, report_cli, url, wanted, out)
        how = "`propdesk report`: XLSX, CSV, JSON and HTML"
    else:
        lines = [await _raw_reply(bus, kind, site, key, out) for kind, site, key in wanted]
        how = "the raw JSON replies of the report queries (propdesk/report_cli.py is missing)"
    stems = {f"{site}-{key}-{kind}" for kind, site, key in wanted}
    files = sorted(p for p in out.iterdir() if p.is_file() and p.name.split(".")[0] in stems)
    return files, lines, how


def _report_files(
    report_cli: Any, url: str, wanted: list[tuple[str, str, str]], out: Path
) -> list[str]:
    """`propdesk report monthly|weekly|quality` for each report (in a thread: the desk's client
    runs its own event loop); their tables are left out, their summary line kept."""
    import contextlib
    import io

    lines = []
    for kind, site, key in wanted:
        buffer = io.StringIO()
        common = {"formats": None, "out_dir": out, "nats_url": url, "as_json": False}
        try:
            with contextlib.redirect_stdout(buffer):
                if kind == "monthly":
                    report_cli.report_monthly(site=site, month=key, **common)
                elif kind == "weekly":
                    report_cli.report_weekly(site=site, week=key, **common)
                else:
                    report_cli.report_quality(month=key, **common)
        except typer.Exit as exc:
            if exc.exit_code:
                raise DemoFailed(f"propdesk report {kind} {site} {key} failed") from None
        printed = buffer.getvalue().strip().splitlines()
        table_end = max((i for i, line in enumerate(printed) if line.startswith("└")), default=-1)
        summary = " ".join(line.strip() for line in printed[table_end + 1 :])
        lines.append(summary or f"{kind} {site} {key}")
    return lines


async def _raw_reply(bus: Bus, kind: str, site: str, key: str, out: Path) -> str:
    subject = subjects.query(site, f"report.{kind}")
    body = {"week" if kind == "weekly" else "month": key}
    try:
        reply = await bus.request(subject, body, timeout=30)
    except NoRespondersError:
        return f"{kind} {site} {key}: no service answers {subject} yet"
    if not reply.get("ok"):
        raise DemoFailed(f"{subject} refused: {reply.get('error')}")
    path = out / f"{site}-{key}-{kind}.json"
    path.write_text(json.dumps(reply, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return f"{kind} {site} {key}: {path}"


# -- running it ------------------------------------------------------------------------------------


async def simulate(
    settings: Settings, period: str, days_limit: int | None, seed: int, out: Path
) -> int:
    from propdesk.runtime import SERVICES, System

    days = month_days(period)
    contact_days = days[:days_limit] if days_limit else days
    tail = [contact_days[-1] + timedelta(days=i) for i in range(1, TAIL_DAYS + 1)]
    start = local(days[0], 0.0)
    system = System(settings, SimulatedClock(start), list(SERVICES), embedded=True)
    pool = people(seed)
    began = wallclock.monotonic()
    bus = None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):  # stop cleanly, as `propdesk up` does
        loop.add_signal_handler(sig, stop.set)
    try:
        try:
            url = await system.start()
        except (OSError, RuntimeError, TimeoutError) as exc:  # port taken, no nats-server …
            raise DemoFailed(f"the services could not start: {exc}") from None
        # the demo acts as each site's desk and as ops, each with its credential from the
        # demo's own hub; `propdesk report` (below) finds them through the environment
        os.environ["PROPDESK_CREDENTIALS_DIR"] = str(settings.credentials_path)
        bus = Bus(url, settings, name="propdesk-demo")
        month = Month(bus, seed, pool, start)
        month.stop = stop
        for site in PROFILES:  # each desk hears its own site's notices only
            desk = await bus.connection(site_identity(site))
            await desk.subscribe(subjects.notice(site, ">"), cb=month.on_notice)
        console.print(
            f"[bold]PropDesk demo[/bold]: {period} at {', '.join(PROFILES)} — services on {url}, "
            f"simulated clock from {start:%Y-%m-%d %H:%M %z}, seed {seed}"
        )
        console.print(f"contacts per day: {' / '.join(PROFILES)}; cmds: commands accepted")
        numbers = dict.fromkeys(PROFILES, 1)
        columns = (
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(),
        )  # fmt: skip
        with Progress(*columns, console=console) as progress:
            bar = progress.add_task("days", total=len(contact_days) + len(tail))
            for day in contact_days + tail:
                month.today = DayCount()
                if day in contact_days:
                    for site, profile in PROFILES.items():
                        tickets = contacts_of_day(
                            seed, profile, day, numbers[site], pool,
                            stuck=site == "hbw" and day == days[0],
                        )  # fmt: skip
                        numbers[site] += len(tickets)
                        for t in tickets:
                            month.tl.spawn(month.story(t))
                    await month.tl.settle()
                progress.update(bar, description=f"{day:%Y-%m-%d}")
                await month.run_until(local(day + timedelta(days=1), 0.0))
                progress.console.print(_day_line(day, month.today))
                progress.advance(bar)
        final = local(tail[-1] + timedelta(days=1), 9.0)
        month.today = DayCount()
        await month.advance(final)
        await month.settle_bus()
        unfinished = month.tl.waiting()
        await month.tl.close()
        await month.attach_analyses(period)
        await month.settle_bus()
        console.print(
            f"clock at {final:%Y-%m-%d %H:%M %z}; {unfinished} steps left for later "
            "(complaints still open, orders not yet returned)"
        )
        written, lines, how = await write_reports(
            bus, url, list(PROFILES), period, contact_days, out
        )
        console.print(f"\n[bold]Reports[/bold] of {period}:")
        for line in lines:
            console.print(Text("  ") + Text.from_ansi(line))
        summary, events, leaks = await read_desk(bus, pool)
        elapsed = wallclock.monotonic() - began
        _print_summary(summary, events, leaks, elapsed)
        summary_file = out / "demo-summary.json"
        summary_file.write_text(
            json.dumps(
                {
                    "month": period,
                    "days": len(contact_days),
                    "seed": seed,
                    "events_on_desk": events,
                    "personal_data_on_desk": leaks,
                    "seconds": round(elapsed, 1),
                    "reports": how,
                    "sites": {
                        site: {k: str(v) if isinstance(v, Decimal) else v
                               for k, v in vars(s).items()}
                        for site, s in sorted(summary.items())
                    },
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )  # fmt: skip
        written.append(summary_file)
        console.print(f"\n[bold]Files written[/bold] ({how}):")
        for line in _file_lines(written):
            console.print(f"  {line}")
        return 1 if leaks else 0
    finally:
        if bus is not None:
            await bus.close()
        await system.stop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


def _day_line(day: date, count: DayCount) -> str:
    kind = "workday" if is_working_day(day) else ("holiday" if day.weekday() < 5 else "weekend")
    contacts = "/".join(f"{count.contacts[site]:2d}" for site in PROFILES)
    decided = count.decisions
    return (
        f"{day:%m-%d %a} {kind:<7} contacts {contacts} {count.commands:4d} cmds  "
        f"breaches {decided['clock_breached']:2d}  escalations {decided['complaint_escalated']}"
        + (f"  upgraded {decided['complaint_upgraded']}" if decided["complaint_upgraded"] else "")
    )


def _file_lines(paths: list[Path]) -> list[str]:
    """One line per report: var/reports/hbw-2026-10-monthly.{csv,html,json,xlsx}."""
    formats: dict[Path, list[str]] = {}
    for path in paths:
        stem, _, ext = path.name.partition(".")
        formats.setdefault(path.with_name(stem), []).append(ext)
    return [
        f"{stem}.{exts[0]}" if len(exts) == 1 else f"{stem}.{{{','.join(sorted(exts))}}}"
        for stem, exts in formats.items()
    ]


def _print_summary(
    summary: dict[str, SiteSummary], events: int, leaks: list[str], elapsed: float
) -> None:
    names = " · ".join(f"{site} {SITES['sites'][site]['name']}" for site in PROFILES)
    table = Table(
        title=f"The month, read back from the stream DESK ({names})",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 0, 0, 1),
    )
    headers = (
        "site", "contacts", "repairs", "complaints", "work\norders", "paid ¥", "escalated",
        "to\nmajor", "breaches", "follow-\nups", "satisfied", "avg\nscore",
    )  # fmt: skip
    for name in headers:
        table.add_column(name, justify="left" if name == "site" else "right")
    for site in PROFILES:
        s = summary.get(site, SiteSummary())
        rate = f"{s.satisfied / s.follow_ups:.0%}" if s.follow_ups else "–"
        score = f"{s.score / s.follow_ups:.2f}" if s.follow_ups else "–"
        table.add_row(
            site, str(s.contacts), str(s.repairs), str(s.complaints), str(s.orders),
            f"{s.paid:.2f}", str(s.escalations), str(s.upgrades), str(s.breaches),
            str(s.follow_ups), rate, score,
        )  # fmt: skip
    console.print(table)
    if leaks:
        console.print(f"[red]personal data on DESK: {len(leaks)} events[/red]")
        for leak in leaks[:10]:
            console.print(f"  {leak}")
    else:
        console.print(f"{events} events on DESK; no reporter's name or phone among them.")
    console.print(f"simulated in {elapsed:.0f} s")


def prepare(data_dir: Path) -> Path:
    """Wipe the demo's data dir (only one the demo made, or an empty one) and write its sites."""
    if data_dir.exists() and any(data_dir.iterdir()) and not (data_dir / MARKER).exists():
        raise DemoFailed(f"{data_dir} is not empty and was not made by the demo: not wiping it")
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    (data_dir / MARKER).write_text("made by `propdesk demo`; wiped at its next run\n")
    sites_file = data_dir / "sites.json"
    sites_file.write_text(json.dumps(SITES, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return sites_file


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def demo(
    month: Annotated[str, typer.Option(help="The month to simulate, YYYY-MM")] = "2026-10",
    out: Annotated[Path, typer.Option(help="Where the month's reports are written")] = Path(
        "var/reports"
    ),
    data_dir: Annotated[
        Path, typer.Option(help="The demo's stores and NATS data; wiped at the start")
    ] = Path("var/demo"),
    seed: Annotated[int, typer.Option(help="The same seed gives the same month")] = DEFAULT_SEED,
    nats_port: Annotated[
        int | None, typer.Option(help="Port of the embedded nats-server (default: a free one)")
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(min=1, help="Contacts on the month's first DAYS days only (default: all)"),
    ] = None,
) -> None:
    """A realistic month of three sites through the live services on the simulated clock, then
    that month's reports (monthly and weekly per site, the company quality pack)."""
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", month):
        console.print(f"[red]--month must be YYYY-MM, not {month!r}[/red]")
        raise typer.Exit(2)
    if nats_port is not None and not _port_free(nats_port):
        console.print(f"[red]port {nats_port} is taken: choose another --nats-port[/red]")
        raise typer.Exit(2)
    try:
        sites_file = prepare(data_dir)
    except DemoFailed as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    settings = Settings(
        data_dir=data_dir, nats_port=nats_port or free_port(), nats_url=None, sites_file=sites_file
    )
    level = os.environ.get("PROPDESK_LOG_LEVEL", "warning")
    configure_logging(settings.log_format, level)
    try:
        code = asyncio.run(simulate(settings, month, days, seed, out))
    except DemoFailed as exc:
        console.print(f"[red]demo failed:[/red] {exc}")
        raise typer.Exit(1) from None
    except DemoInterrupted:
        console.print("[yellow]interrupted[/yellow]: the services and nats-server are stopped")
        raise typer.Exit(130) from None
    raise typer.Exit(code)
