"""Replay: how fast each projection is rebuilt from DESK, against the raw rate of reading DESK.

Generates a realistic multi-site history straight onto a closed hub (bench/hub.py): valid
envelopes, built with the published contracts and published as intake, dispatch and escalation
publish them, each event by the service that owns its type with that service's own credential
(tickets reported, classified, replied to, linked, resolved, followed up, closed or reopened,
cancelled; repairs with their work order through collection, assignment, a quote, completion,
sign-off and return; service-level clocks started, paused, warned, breached and stopped; the
complaint ladder; the notifications acknowledged). Then, in the same run, it reads the stream
back: as ops with direct gets doing nothing else (the raw rate: the reader of `propdesk replay`),
through the live service's inbox as the reporting service (its own durable consumer) into an
empty ticket view (how a view was rebuilt before `propdesk replay`), and through
`services.reporting.ops.replay.rebuild` as ops for every projection. For continuity with the figures
of before the bus was closed, the same messages are copied to an open nats-server and read there
with an ordered consumer (no identity of the closed hub may create one). Prints a Markdown table.

    python -m bench.replay [--events 100000] [--sites 5] [--runs 2]
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import os
import platform
import random
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import nats
from nats.aio.client import Client

from bench.hub import direct_read, open_copy, ordered_read, start_hub
from services.reporting.ops.registry import PROJECTIONS
from services.reporting.ops.replay import Rebuilt, rebuild
from services.reporting.queries.figures import Reports
from shared.bus import ensure_stream
from shared.contracts import escalation_events as x
from shared.contracts import events as e
from shared.contracts import workorder_events as w
from shared.contracts.envelope import schema_of
from shared.identity import OPS
from shared.inbox import Inbox
from shared.logging import configure_logging
from shared.months import previous_month
from shared.natsd import EmbeddedNats
from shared.publishing import event_id_for
from shared.sites import SiteDirectory
from shared.subjects import STREAM

SITES = ("hbw", "tech-park", "lgp", "ohs", "riverside", "north-gate", "east-lake", "west-hill")
TICKETS_PER_SITE_AND_DAY = 8
START = datetime(2024, 1, 1, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai
BOARD_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/escalation/board")
NOTICE_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/escalation/notice")
BENCH_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/bench")
KINDS = {"repair": 45, "complaint": 20, "inquiry": 15, "help": 12, "suggestion": 8}
CONTENT = {
    "repair": (
        "厨房水管漏水, 请尽快上门",
        "卫生间下水道堵塞",
        "客厅灯不亮, 开关冒火花",
        "3栋电梯异响",
    ),
    "complaint": ("楼上装修噪音太大, 晚上十点还在施工", "小区垃圾清运不及时, 气味很大"),
    "inquiry": ("请问物业费缴费时间", "停车位月卡如何办理"),
    "help": ("家里老人摔倒需要帮助", "被困电梯"),
    "suggestion": ("建议增加儿童游乐设施",),
}
CATEGORY = {
    "repair": ("plumbing", "electrical", "elevator", "maintenance"),
    "complaint": ("noise",),
}


@dataclass
class Aggregate:
    id: UUID
    version: int = 0


@dataclass(order=True)
class Pending:
    """One published event, ordered by when it happened."""

    at: datetime
    order: int
    subject: str = field(compare=False)
    msg_id: str = field(compare=False)
    payload: bytes = field(compare=False)


class History:
    """Tickets of many sites, day after day, each with its whole life, in the order it happened."""

    def __init__(self, sites: int, seed: int) -> None:
        self.sites = SITES[:sites]
        self.random = random.Random(seed)
        self.heap: list[Pending] = []
        self.emitted = 0
        self.numbers: dict[tuple[str, str], int] = {}

    def emit(
        self,
        at: datetime,
        event_type: str,
        site: str,
        agg: Aggregate,
        data: Any,
        actor: str,
        correlation: str,
        causation: str | None = None,
    ) -> str:
        agg.version += 1
        event_id = event_id_for(agg.id, agg.version)
        envelope = e.EVENT_TYPES[event_type](
            event_id=event_id,
            event_type=event_type,
            schema_version=schema_of(data),
            site=site,
            aggregate_id=agg.id,
            aggregate_version=agg.version,
            occurred_at=at,
            recorded_at=at,
            correlation_id=correlation,
            causation_id=causation,
            actor=actor,
            data=data,
        )
        self.emitted += 1
        payload = envelope.model_dump_json().encode()
        pending = Pending(at, self.emitted, e.event_subject(envelope), str(event_id), payload)
        heapq.heappush(self.heap, pending)
        return str(event_id)

    def day(self, day: int, tickets: int) -> None:
        """`tickets` tickets reported during one day's office hours, with all that follows."""
        for _ in range(tickets):
            at = START + timedelta(days=day, minutes=self.random.uniform(0, 9 * 60))
            site = self.random.choice(self.sites)
            month = at.strftime("%Y%m")
            n = self.numbers[site, month] = self.numbers.get((site, month), 0) + 1
            Life(self, site, f"{site.upper()}-{month}-{n:04d}", at).live()

    def ripe(self, before: datetime) -> Iterator[Pending]:
        """The events that happened before `before`, in time order."""
        while self.heap and self.heap[0].at < before:
            yield heapq.heappop(self.heap)

    def rest(self) -> Iterator[Pending]:
        while self.heap:
            yield heapq.heappop(self.heap)


class Life:
    """One ticket from its report to its end, with its work order and its clocks."""

    def __init__(self, history: History, site: str, ticket_no: str, at: datetime) -> None:
        self.h, self.r, self.site, self.t = history, history.random, site, at
        self.kind = self.r.choices(list(KINDS), list(KINDS.values()))[0]
        self.category = self.r.choice(CATEGORY[self.kind]) if self.kind in CATEGORY else None
        self.ticket_no = ticket_no
        self.ticket = Aggregate(uuid5(BENCH_NS, f"{site}/{ticket_no}"))
        self.board = Aggregate(uuid5(BOARD_NS, str(self.ticket.id)))
        self.staff = f"S{self.r.randint(1, 40):02d}"
        self.correlation = f"{ticket_no}-{self.staff}"
        self.ref = {"ticket_id": self.ticket.id, "ticket_no": ticket_no}

    def later(self, **delta: float) -> datetime:
        self.t += timedelta(**delta)
        return self.t

    def on_ticket(self, event_type: str, data: Any, actor: str | None = None) -> str:
        return self.h.emit(
            self.t,
            f"ticket.{event_type}",
            self.site,
            self.ticket,
            data,
            actor or self.staff,
            self.correlation,
        )

    def escalation(
        self,
        name: str,
        data: dict[str, Any],
        agg: Aggregate | None = None,
        actor: str = "escalation",
    ) -> None:
        model = x.ESCALATION_DATA[name].model_validate(self.ref | data)
        self.h.emit(
            self.t + timedelta(seconds=1),
            f"escalation.{name}",
            self.site,
            agg or self.board,
            model,
            actor,
            self.correlation,
        )

    def clock(self, name: str, hours: float, role: str, order_no: str | None = None) -> dict:
        key = f"{name}:{order_no}" if order_no else name
        target = timedelta(hours=hours)
        started = {
            "clock": name,
            "key": key,
            "order_no": order_no,
            "started_at": self.t,
            "deadline": self.t + target,
            "warn_at": self.t + target * 0.8,
            "target_seconds": target.total_seconds(),
            "role": role,
        }
        self.escalation("clock_started", started)
        return started

    def stop(self, clock: dict, outcome: str = "met") -> None:
        counted = self.r.uniform(0.2, 0.9) * clock["target_seconds"]
        self.escalation(
            "clock_stopped",
            {
                "clock": clock["clock"],
                "key": clock["key"],
                "outcome": outcome,
                "counted_seconds": counted,
            },
        )

    def notify(self, subject: str, role: str) -> dict[str, Any]:
        return {"notification_id": uuid5(NOTICE_NS, f"{self.board.id}/{subject}"), "role": role}

    def acknowledge(self, note: dict[str, Any], by: str) -> None:
        self.later(minutes=self.r.uniform(5, 60))
        data = {"notification_id": note["notification_id"], "role": note["role"], "note": "已安排"}
        self.escalation("notification_acknowledged", data, Aggregate(note["notification_id"]), by)

    def live(self) -> None:
        r = self.r
        appointment = None
        if self.kind == "repair" and r.random() < 0.3:
            start = (self.t + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
            appointment = {"start": start, "end": start + timedelta(hours=2)}
        reported = self.on_ticket(
            "reported",
            e.TicketReported(
                ticket_no=self.ticket_no,
                client_ref=f"desk-{self.ticket_no}",
                channel=r.choice(("phone", "phone", "visit", "online", "hotline")),
                kind=self.kind,
                category=self.category,
                help_category="G" if self.kind == "help" else None,
                unit=f"{r.randint(1, 30)}-{r.randint(1, 28)}{r.randint(1, 4):02d}",
                content=r.choice(CONTENT[self.kind]),
                received_at=self.t,
                appointment=appointment,
            ),
        )
        if self.kind == "complaint":
            self.complaint()
        elif self.kind == "help":
            self.help()
        elif self.kind == "repair":
            self.repair(reported, appointment)
        else:
            self.later(hours=r.uniform(1, 48))
        if self.kind in ("complaint", "inquiry") and r.random() < 0.05:
            self.later(minutes=10)
            self.on_ticket("contact_revealed", e.ContactRevealed(purpose="回访"))
        if self.kind != "repair" and r.random() < 0.05:
            self.later(hours=1)
            self.on_ticket("cancelled", e.TicketCancelled(reason="重复报修", duplicate_of=None))
            if self.kind == "complaint":
                self.escalation("ladder_changed", {"state": "stopped", "reason": "cancelled"})
            return
        self.later(minutes=1)
        self.on_ticket("resolved", e.TicketResolved(resolution="已处理完毕"))
        if self.kind == "complaint":
            self.escalation("ladder_changed", {"state": "stopped", "reason": "resolved"})
        if self.kind != "suggestion":
            self.follow_up()

    def complaint(self) -> None:
        r, received = self.r, self.t
        steps = {
            "department_supervisor": received + timedelta(days=1),
            "project_manager": received + timedelta(days=3),
            "gm_office": received + timedelta(days=7),
        }
        self.escalation("ladder_started", {"steps": steps, "upgrade_at": received + timedelta(30)})
        self.later(minutes=r.uniform(5, 60))
        self.on_ticket(
            "classified",
            e.TicketClassified(
                kind="complaint",
                category=self.category,
                help_category=None,
                validity="valid",
                communicative_type=None,
                severity=r.choice(("minor", "important")),
            ),
        )
        if r.random() < 0.15:
            self.later(hours=r.uniform(1, 12))
            self.on_ticket(
                "contact_linked",
                e.ContactLinked(
                    channel="phone", content="又来电催促", received_at=self.t, repeat_count=1
                ),
            )
        if r.random() < 0.3:
            self.t = max(self.t, steps["department_supervisor"])
            note = self.notify("department_supervisor", "department_supervisor")
            self.escalation(
                "complaint_escalated",
                {"level": "department_supervisor", "due_at": self.t, "notification": note},
            )
            self.acknowledge(note, "DS01")
        self.later(hours=r.uniform(2, 20))

    def help(self) -> None:
        clock = self.clock("help_reply", 5 / 60, "cs_assistant")
        self.later(minutes=self.r.uniform(1, 4))
        self.on_ticket("replied", e.TicketReplied(message="值班人员马上到", first=True))
        self.stop(clock)
        self.later(minutes=self.r.uniform(20, 120))

    def repair(self, reported: str, appointment: dict[str, datetime] | None) -> None:
        r = self.r
        urgent = self.category in ("elevator", "electrical") and r.random() < 0.5
        name = "urgent_fixed" if urgent else "general_fixed"
        fixed = self.clock(name, 4 if urgent else 72, "department_supervisor")
        order = Aggregate(uuid5(BENCH_NS, f"{self.ticket.id}/W1"))
        order_no = f"{self.ticket_no}-W1"
        tech = f"T{r.randint(1, 20):02d}"

        def step(minutes: float, event: str, data: Any, actor: str = tech, cause: Any = None):
            self.later(minutes=minutes)
            self.h.emit(
                self.t, f"workorder.{event}", self.site, order, data, actor, self.correlation, cause
            )

        step(
            0.05,
            "issued",
            w.WorkOrderIssued(
                ticket_id=self.ticket.id,
                order_no=order_no,
                origin="automatic",
                department="engineering",
                category=self.category,
                urgency="urgent" if urgent else "general",
                scope="household",
                unit=None,
                content="维修",
                appointment=appointment,
                leak=False,
                rework_of=None,
                free_of_charge=False,
                reason=None,
            ),
            "dispatch",
            reported,
        )
        collect = self.clock("order_collected_household", 0.5, "cs_assistant", order_no)
        step(r.uniform(2, 20), "collected", w.WorkOrderCollected(collected_by="ENG1"), "ENG1")
        self.stop(collect)
        step(r.uniform(2, 30), "assigned", w.TechnicianAssigned(technician=tech), "ENG1")
        if r.random() < 0.08:
            window = {"start": self.t + timedelta(days=1), "end": self.t + timedelta(days=1.1)}
            step(
                r.uniform(30, 90),
                "rescheduled",
                w.WorkOrderRescheduled(reason="nobody_home", appointment=window),
            )
        step(r.uniform(10, 120), "arrived", w.TechnicianArrived())
        which = {"clock": fixed["clock"], "key": fixed["key"]}
        fee = Decimal("0")
        if r.random() < 0.2:
            fee = Decimal(r.choice(("30.00", "80.00", "150.00")))
            step(r.uniform(5, 20), "quoted", w.QuoteGiven(amount=fee, items="更换角阀"))
            self.escalation(
                "clock_paused",
                which | {"reason": "customer_consent", "note": None, "counted_seconds": 600.0},
            )
            step(r.uniform(5, 60), "quote_accepted", w.QuoteAccepted(amount=fee))
            deadline = fixed["deadline"] + timedelta(minutes=30)
            self.escalation(
                "clock_resumed",
                which | {"deadline": deadline, "warn_at": deadline - timedelta(minutes=30)},
            )
        if r.random() < 0.1:
            self.escalation("clock_warned", which | {"deadline": fixed["deadline"]})
        late = r.random() < 0.04
        if late:
            self.t = max(self.t, fixed["deadline"])
            note = self.notify(fixed["key"], "department_supervisor")
            self.escalation(
                "clock_breached",
                which
                | {"deadline": fixed["deadline"], "compensation_risk": True, "notification": note},
            )
            self.acknowledge(note, "DS02")
        step(
            r.uniform(20, 180),
            "completed",
            w.WorkOrderCompleted(
                notes="更换了角阀", actual_item="角阀", fee=fee, awaiting_acceptance=False
            ),
        )
        step(
            r.uniform(1, 10),
            "signed_off",
            w.WorkOrderSignedOff(
                ticket_id=self.ticket.id,
                quality=r.choice((4, 5, 5)),
                attitude=5,
                comment=None,
                ticket_done=True,
            ),
        )
        self.stop(fixed, "late" if late else "met")
        step(r.uniform(60, 600), "returned", w.WorkOrderReturned(), "ENG1")

    def follow_up(self) -> None:
        clock = self.clock("follow_up", 72, "quality")
        self.later(hours=self.r.uniform(4, 48))
        satisfied = self.r.random() < 0.92
        self.on_ticket(
            "followed_up",
            e.FollowUpRecorded(
                satisfied=satisfied,
                score=5 if satisfied else 2,
                comment=None if satisfied else "仍有问题",
            ),
        )
        self.stop(clock)
        self.later(seconds=1)
        if satisfied:
            self.on_ticket("closed", e.TicketClosed(reason="satisfied_follow_up"))
        else:
            self.on_ticket("reopened", e.TicketReopened(reason="业主反映仍有问题", reopen_count=1))


async def history(events: int, sites: int, seed: int) -> AsyncIterator[Pending]:
    """At least `events` events in the order they happened, generated a day at a time."""
    h = History(sites, seed)
    made = day = 0
    while made < events:
        h.day(day, tickets=TICKETS_PER_SITE_AND_DAY * sites)
        day += 1
        for pending in h.ripe(START + timedelta(days=day)):
            made += 1
            yield pending
        await asyncio.sleep(0)
    for pending in h.rest():
        yield pending


# Who publishes an event type on the closed bus (shared/natsconf.py grants each only its own)
OWNERS = {
    "ticket": "intake",
    "report": "intake",
    "workorder": "dispatch",
    "escalation": "escalation",
}


def owner(subject: str) -> str:
    """The service that publishes the event on `subject` (desk.evt.<site>.<aggregate>.<type>)."""
    return OWNERS[subject.split(".")[3]]


async def publish(
    js: Mapping[str, Any], events: int, sites: int, seed: int, window: int = 512
) -> int:
    """Publish the history to DESK, each event with the connection of the service that owns its
    type (`js`: service → its JetStream context), each acknowledged (`window` in flight);
    returns the count."""
    inflight: set[asyncio.Future[Any]] = set()
    count = 0
    async for p in history(events, sites, seed):
        ack = js[owner(p.subject)].publish(
            p.subject, p.payload, stream=STREAM, headers={"Nats-Msg-Id": p.msg_id}
        )
        inflight.add(asyncio.ensure_future(ack))
        count += 1
        if len(inflight) >= window:
            done, inflight = await asyncio.wait(inflight, return_when=asyncio.FIRST_COMPLETED)
            for f in done:
                f.result()
    for f in await asyncio.gather(*inflight):
        assert not f.duplicate
    return count


async def inbox_rebuild(js: Any, path: Path, total: int) -> tuple[float, str]:
    """A ticket view rebuilt as before `propdesk replay`: the live service's inbox (its durable
    consumer with acks, batches of 512; `js` is the reporting service's) into an empty file.
    Seconds and checksum."""
    view = PROJECTIONS["tickets"].open(str(path), SiteDirectory(strict=False))
    durable = PROJECTIONS["tickets"].durable  # reporting's own: its credential creates no other
    inbox = Inbox(js, durable=durable, apply=view.apply, position=view.position, batch_size=512)
    await inbox.open()
    t0 = time.perf_counter()
    try:
        while view.position() < total:
            await inbox.poll(timeout=1)
        return time.perf_counter() - t0, view.checksum()
    finally:
        await inbox.close()
        await js.delete_consumer(STREAM, durable)
        view.close()


def report_times(path: Path, sites: int, runs: int) -> list[tuple[str, str]]:
    """Milliseconds to compute the reports a manager asks for from the rebuilt analytics view:
    a site's monthly report and the company quality pack (every site, six months), for the last
    whole month of the history; and the weekly summary of that month's first ISO week."""
    directory = SiteDirectory(strict=False)
    view = PROJECTIONS["analytics"].open(str(path), directory)
    site = SITES[0]
    (newest,) = view.rows("SELECT max(month) AS m FROM ticket_facts WHERE site = ?", (site,))
    month = previous_month(newest["m"])  # the newest month is still partial
    week = "{}-W{:02}".format(*date.fromisoformat(f"{month}-01").isocalendar()[:2])
    config = directory.get(site)
    assert config is not None
    reports = Reports(view)
    now = START + timedelta(days=3650)
    asks = {
        f"monthly report of one site ({month})": lambda: reports.monthly(site, config, month, now),
        f"weekly summary of one site ({week})": lambda: reports.weekly(site, config, week, now),
        f"company quality pack ({sites} sites, six months to {month})": lambda: reports.quality(
            directory, [], month, now
        ),
    }
    rows = []
    try:
        for name, ask in asks.items():
            seconds = []
            for _ in range(max(runs, 3)):
                t0 = time.perf_counter()
                report = ask()
                seconds.append(time.perf_counter() - t0)
            assert report, name
            rows.append((name, f"{min(seconds) * 1000:,.1f} ms"))
    finally:
        view.close()
    return rows


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        cpu = next(
            line.split(":", 1)[1].strip() for line in lscpu.splitlines() if "Model name" in line
        )
    except (OSError, subprocess.CalledProcessError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} vCPU {cpu}, {memory:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


async def bench(events: int, sites: int, seed: int, runs: int) -> list[tuple[str, str]]:
    work = Path(tempfile.mkdtemp(prefix="propdesk-replay-bench-"))
    hub = await start_hub(work / "hub", SITES[:sites])
    copy: EmbeddedNats | None = None
    rows: list[tuple[str, str]] = []
    connections: dict[str, Client] = {}
    try:
        for identity in (*sorted(set(OWNERS.values())), "reporting", OPS):
            connections[identity] = await hub.connect(identity)
        ops = connections[OPS]
        await ensure_stream(connections["intake"].jetstream())  # as every service does at start
        publishers = {name: connections[name].jetstream() for name in set(OWNERS.values())}
        t0 = time.perf_counter()
        total = await publish(publishers, events, sites, seed)
        published = total / (time.perf_counter() - t0)
        stored = (await ops.jetstream().stream_info(STREAM)).state
        assert stored.messages == total, (stored.messages, total)
        size = f"{total:,} events of {sites} sites, {stored.bytes / 2**20:,.0f} MiB in DESK"
        rows.append(("history", size))
        rows.append(
            (
                "generated and published (each by its service, acked, 512 in flight)",
                f"{published:,.0f} /s",
            )
        )

        raw = total / min([await direct_read(ops, total) for _ in range(runs)])
        rows.append(("stream read, direct get as ops (raw)", f"{raw:,.0f} events/s"))
        copy = await open_copy(ops, total, work / "open-copy")
        async with await nats.connect(copy.url) as nc:
            seconds = [await ordered_read(nc.jetstream(), total) for _ in range(runs)]
        await copy.stop()
        copy = None
        ordered = total / min(seconds)
        rows.append(
            (
                "stream read, ordered consumer (open server, same messages)",
                f"{ordered:,.0f} events/s",
            )
        )

        def against(rate: float) -> str:
            return (
                f"{rate:,.0f} events/s ({rate / raw:.2f} of raw, {rate / ordered:.2f} of ordered)"
            )

        reporting = connections["reporting"].jetstream()
        inbox_seconds, inbox_checksum = await inbox_rebuild(
            reporting, work / "inbox.sqlite3", total
        )
        rows.append(
            (
                "`tickets` through the inbox (durable, acks, batches of 512)",
                against(total / inbox_seconds),
            )
        )
        for name in PROJECTIONS:
            results: list[Rebuilt] = []
            for run in range(runs):
                results.append(await rebuild(ops, name, work / f"{name}-{run}.sqlite3"))
            assert {r.checksum for r in results} == {results[0].checksum}
            assert name != "tickets" or results[0].checksum == inbox_checksum
            best = min(results, key=lambda r: r.seconds)
            view = (work / f"{name}-0.sqlite3").stat().st_size / 2**20
            rows.append(
                (
                    f"`{name}` rebuild, `propdesk replay` ({view:,.0f} MiB view)",
                    against(best.events / best.seconds),
                )
            )
        rows += report_times(work / "analytics-0.sqlite3", sites, runs)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append(("peak RSS of the benchmark process", f"{rss:,.0f} MiB"))
    finally:
        for nc in connections.values():
            await nc.close()
        if copy is not None:
            await copy.stop()
        await hub.stop()
        shutil.rmtree(work, ignore_errors=True)  # a million events leave gigabytes
    return rows


def main() -> None:
    configure_logging("console", "warning")
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="size of the history")
    parser.add_argument("--sites", type=int, default=5, choices=range(1, len(SITES) + 1))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=2, help="each read is the best of this many")
    args = parser.parse_args()
    rows = asyncio.run(bench(args.events, args.sites, args.seed, args.runs))
    print(f"machine: {machine()}; {time.strftime('%Y-%m-%d')}")
    print("| measure | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
