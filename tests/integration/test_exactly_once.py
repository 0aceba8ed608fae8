"""Exactly once, end to end: duplicate publish, redelivery before ack, restarts mid-stream; on
each store (SQLite, PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.aio.client import Client

from services.intake.adapters.translate import Translator
from services.intake.application import IntakeApp
from services.reporting.ops.replay import rebuild
from services.reporting.views.tickets import TicketView
from shared.contracts.commands import ReportContact, ResolveTicket
from shared.contracts.events import Envelope
from shared.eventstore.desk_app import CommandContext
from shared.eventstore.store import persistence_env
from shared.kernel.clock import FixedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.bus import ensure_stream
from shared.messaging.inbox import DeliveryLost, Inbox
from shared.messaging.natsd import EmbeddedNats, free_port
from shared.messaging.reader import Stored, read_stream
from shared.messaging.relay import Relay
from shared.messaging.subjects import STREAM
from tests.integration.support import Desk, eventually, report_body
from tests.postgres import STORES

pytestmark = [pytest.mark.integration, pytest.mark.parametrize("persistence", STORES)]


class RawBus:
    """The outbox and inbox mechanisms against JetStream itself: an open nats-server, since
    these tests run their own relays and consumers, which no identity of a deployment may
    (tests/integration/test_bus_trust.py proves that). The last test runs on the closed bus."""

    def __init__(self, nc: Client) -> None:
        self.nc = nc
        self.js = nc.jetstream()

    async def stream_count(self) -> int:
        return (await self.js.stream_info(STREAM)).state.messages

    async def events(self) -> list[Stored]:
        upto = (await self.js.stream_info(STREAM)).state.last_seq
        return [m async for batch in read_stream(self.nc, STREAM, upto) for m in batch]


@pytest.fixture
async def raw(tmp_path: Path) -> AsyncIterator[RawBus]:
    server = EmbeddedNats(tmp_path / "raw-nats", free_port())
    await server.start()
    nc = await nats.connect(server.url)
    await ensure_stream(nc.jetstream())
    yield RawBus(nc)
    await nc.close()
    await server.stop()


@pytest.fixture
def app(settings: Settings, clock: FixedClock) -> Iterator[IntakeApp]:
    """Intake's application on the test's store, unencrypted, without the service around it."""
    app = IntakeApp(persistence_env(settings, "intake"), clock, SiteDirectory(strict=False))
    yield app
    app.close()


def record_tickets(app: IntakeApp, n: int, first: int = 0) -> None:
    ctx = CommandContext("hbw", "corr")
    for i in range(first, first + n):
        body = report_body(f"c{i}", kind="inquiry")  # resolved as it is (a complaint: R6.2, R6.9)
        reply = app.execute(ctx, ReportContact.model_validate(body))
        if i % 2:
            resolve = {"ticket_id": reply["ticket_id"], "staff_id": "S01", "resolution": "ok"}
            app.execute(ctx, ResolveTicket.model_validate(resolve))


def relay_for(app: IntakeApp, bus: RawBus) -> Relay:
    return Relay(app, bus.js, Translator(lambda _: []), name="relay:DESK")


Publish = Callable[[Envelope], Awaitable[list[asyncio.Future[Any]]]]


def on_publish(relay: Relay, nth: int, instead: Publish) -> None:
    """The relay's `nth` publish (counted from 1) goes to `instead`; the others as ever."""
    real = relay.publish_async
    calls = 0

    async def publish(envelope: Envelope) -> list[asyncio.Future[Any]]:
        nonlocal calls
        calls += 1
        return await (instead if calls == nth else real)(envelope)

    relay.publish_async = publish


def view_inbox(view: TicketView, bus: RawBus, durable: str, **options: Any) -> Inbox:
    return Inbox(bus.js, durable=durable, apply=view.apply, position=view.position, **options)


async def drain(inbox: Inbox) -> None:
    while await inbox.poll(timeout=0.5):
        pass


async def test_a_duplicate_publish_is_stored_once(raw: RawBus, app: IntakeApp) -> None:
    record_tickets(app, 1)
    relay = relay_for(app, raw)
    await relay.flush()
    [event] = [
        Translator(lambda _: [])(app.mapper.to_domain_event(n))
        for n in app.recorder.select_notifications(1, 10)
        if n.topic.endswith("Ticket.Reported")
    ]

    await relay.publish(event)
    await relay.publish(event)

    assert await raw.stream_count() == 1


async def test_a_relay_restarted_between_publish_and_record_loses_and_doubles_nothing(
    raw: RawBus, app: IntakeApp
) -> None:
    record_tickets(app, 6)  # 9 ticket events
    crashing = relay_for(app, raw)

    async def crash(envelope: Envelope) -> list[asyncio.Future[Any]]:
        raise ConnectionError("relay process killed")

    on_publish(crashing, 6, crash)
    with pytest.raises(ConnectionError):
        await crashing.flush()
    assert crashing.position() == 0  # published 5, recorded nothing

    await relay_for(app, raw).flush()  # the restarted relay starts over from its position

    events = await raw.events()
    assert len(events) == 9
    ids = [m.headers["Nats-Msg-Id"] for m in events]
    assert len(set(ids)) == 9


async def test_an_ack_lost_in_the_window_publishes_the_batch_again_and_doubles_nothing(
    raw: RawBus, app: IntakeApp
) -> None:
    record_tickets(app, 6)  # 9 ticket events
    relay = relay_for(app, raw)
    real_publish = relay.publish_async

    async def ack_lost(envelope: Envelope) -> list[asyncio.Future[Any]]:
        await real_publish(envelope)  # stored by the stream all the same
        lost: asyncio.Future = asyncio.get_running_loop().create_future()
        lost.set_exception(TimeoutError("no ack"))
        return [lost]

    on_publish(relay, 5, ack_lost)
    with pytest.raises(TimeoutError):
        await relay.flush()
    assert relay.position() == 0  # the batch's acks did not all come: nothing recorded

    async def whole_window() -> bool:  # the publishes after the lost ack were sent too; they
        return await raw.stream_count() == 9  # may still be on their way to the stream

    await eventually(whole_window)

    await relay.flush()  # again, with the same ids
    events = await raw.events()
    assert len(events) == 9
    assert len({m.headers["Nats-Msg-Id"] for m in events}) == 9
    assert relay.position() == app.recorder.max_notification_id()


def reads_of(app: IntakeApp, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The positions the store's notification log is read from, from now on."""
    reads: list[int] = []
    select = app.recorder.select_notifications

    def counted(start: int, *args: Any, **kwargs: Any) -> Any:
        reads.append(start)
        return select(start, *args, **kwargs)

    monkeypatch.setattr(app.recorder, "select_notifications", counted)
    return reads


async def test_the_relay_publishes_what_was_just_recorded_without_reading_it_back(
    raw: RawBus, app: IntakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Relay, "check_recent", False)  # the tests' check reads the store too
    relay = relay_for(app, raw)
    await relay.flush()  # nothing yet: its position read
    reads = reads_of(app, monkeypatch)
    record_tickets(app, 4)  # 6 ticket events, with receipts and counters
    await relay.flush()
    assert reads == []
    assert relay.position() == app.recorder.max_notification_id()
    stored = [Translator(lambda _: [])(app.mapper.to_domain_event(n))
              for n in app.recorder.select_notifications(1, 100)]  # fmt: skip
    published = [json.loads(m.data) for m in await raw.events()]
    assert published == [json.loads(e.model_dump_json()) for e in stored if e is not None]


async def test_a_restarted_relay_reads_from_the_store_what_it_was_not_given(
    raw: RawBus, app: IntakeApp, settings: Settings, clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    record_tickets(app, 2)
    last = app.recorder.max_notification_id()
    app.close()  # a restart: what the old process had recorded is known only to the store
    again = IntakeApp(persistence_env(settings, "intake"), clock, SiteDirectory(strict=False))
    try:
        reads = reads_of(again, monkeypatch)
        record_tickets(again, 2, first=2)
        relay = relay_for(again, raw)
        await relay.flush()
        assert reads[0] == 1  # from its position: the new process's records do not follow it
        assert relay.position() == again.recorder.max_notification_id() > last
        events = await raw.events()
        assert len(events) == 6 and len({m.headers["Nats-Msg-Id"] for m in events}) == 6
    finally:
        again.close()


async def until(condition: Callable[[], bool]) -> None:
    async def probe() -> bool:
        return condition()

    await eventually(probe)


async def test_a_running_relay_writes_its_position_behind_and_a_kill_doubles_nothing(
    raw: RawBus, app: IntakeApp
) -> None:
    record_tickets(app, 2)
    relay = Relay(app, raw.js, Translator(lambda _: []), name="relay:DESK", record_every=3600)
    running = asyncio.create_task(relay.run())
    last = app.recorder.max_notification_id()
    await until(lambda: relay.position() == last)  # published, and written (the first)
    await until(lambda: app.recorder.max_tracking_id("relay:DESK") == last)

    record_tickets(app, 4, first=2)
    relay.wake()
    last = app.recorder.max_notification_id()
    await until(lambda: relay.position() == last)
    assert app.recorder.max_tracking_id("relay:DESK") < last  # written behind what went out
    published = await raw.stream_count()

    relay._record_at_stop = lambda: None  # killed: nothing written at the end
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)
    restarted = relay_for(app, raw)
    assert restarted.position() < last
    await restarted.flush()  # publishes again what was not written, with the same ids

    events = await raw.events()
    assert len(events) == published == 9
    assert len({m.headers["Nats-Msg-Id"] for m in events}) == 9
    assert app.recorder.max_tracking_id("relay:DESK") == last


async def test_a_stopped_relay_has_written_all_it_published(raw: RawBus, app: IntakeApp) -> None:
    relay = Relay(app, raw.js, Translator(lambda _: []), name="relay:DESK", record_every=3600)
    running = asyncio.create_task(relay.run())
    for n in range(3):
        record_tickets(app, 2, first=2 * n)
        relay.wake()
        await until(lambda: relay.position() == app.recorder.max_notification_id())
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)
    assert app.recorder.max_tracking_id("relay:DESK") == app.recorder.max_notification_id()


async def test_a_delivery_lost_on_a_broken_connection_is_applied_all_the_same(
    raw: RawBus, app: IntakeApp, tmp_path: Path
) -> None:
    """A node killed while it sends a delivery: the inbox never gets it, and an ack of a later
    message (ack policy all) would acknowledge it unapplied (seen in `make chaos --nodes 3`)."""
    record_tickets(app, 4)  # 6 ticket events
    await relay_for(app, raw).flush()
    view = TicketView(str(tmp_path / "view.db"))
    inbox = view_inbox(view, raw, "t-lost")
    await inbox.open()
    lost = await raw.js.pull_subscribe_bind("t-lost", stream=STREAM)
    [gone] = await lost.fetch(1, timeout=2)  # delivered, never received by the inbox
    assert gone.metadata.sequence.stream == 1

    with pytest.raises(DeliveryLost):  # delivery 2 after none: nothing applied, nothing acked
        await inbox.poll(timeout=2)
    assert view.position() == 0
    await inbox.close()
    await inbox.open()  # as `run` does after a fault: again from the recorded position
    await drain(inbox)
    assert view.position() == await raw.stream_count() == 6
    rebuilt = TicketView(str(tmp_path / "rebuilt.db"))
    again = view_inbox(rebuilt, raw, "t-again")
    await again.open()
    await drain(again)
    assert view.checksum() == rebuilt.checksum()


async def test_a_redelivery_before_ack_changes_nothing(
    raw: RawBus, app: IntakeApp, tmp_path: Path
) -> None:
    record_tickets(app, 2)
    await relay_for(app, raw).flush()
    view = TicketView(str(tmp_path / "view.db"))
    inbox = view_inbox(view, raw, "t-redelivery", ack_wait=1.0)
    await inbox.open()
    seen: list[list[int]] = []

    def crash_before_ack(deliveries):
        seen.append([d.seq for d in deliveries])
        if len(seen) == 1:
            raise ConnectionError("killed after commit, before ack")

    inbox.before_ack = crash_before_ack
    with pytest.raises(ConnectionError):
        await inbox.poll()
    after_commit = view.checksum()
    await asyncio.sleep(1.2)  # past ack_wait: the server redelivers the unacked messages
    await inbox.poll(timeout=3)
    await inbox.close()

    assert seen[1] == seen[0]  # the very same messages came again
    assert view.checksum() == after_commit
    assert view.position() == 3


async def test_a_projection_restarted_mid_stream_ends_as_one_that_never_stopped(
    raw: RawBus, app: IntakeApp, tmp_path: Path
) -> None:
    record_tickets(app, 10)  # 15 events
    await relay_for(app, raw).flush()

    interrupted = TicketView(str(tmp_path / "interrupted.db"))
    first_run = view_inbox(interrupted, raw, "t-interrupted", batch_size=4)
    await first_run.open()
    await first_run.poll()
    await first_run.close()  # the process dies here, after 4 of 15
    assert interrupted.position() == 4
    second_run = view_inbox(interrupted, raw, "t-interrupted", batch_size=4)
    await second_run.open()
    await drain(second_run)
    await second_run.close()

    straight = TicketView(str(tmp_path / "straight.db"))
    one_go = view_inbox(straight, raw, "t-straight")
    await one_go.open()
    await drain(one_go)
    await one_go.close()

    assert interrupted.position() == straight.position() == 15
    assert interrupted.checksum() == straight.checksum()


async def test_a_view_that_lost_its_last_commits_applies_them_again_from_the_position_it_kept(
    raw: RawBus, app: IntakeApp, tmp_path: Path
) -> None:
    """A view commits without waiting for the disk (docs/RELIABILITY.md, "A view after a power
    cut"): a power cut may take its last commits, after their messages were acknowledged. The
    file as it was after 4 of 15 stands for that; the inbox starts again after the position it
    holds, and the view ends as one that never lost anything."""
    record_tickets(app, 10)  # 15 events
    await relay_for(app, raw).flush()
    path = tmp_path / "view.db"
    view = TicketView(str(path))
    inbox = view_inbox(view, raw, "t-cut", batch_size=4)
    await inbox.open()
    await inbox.poll()
    view.close()  # its log written into the file, to copy it as it stood
    shutil.copy(path, tmp_path / "after-4.db")
    view = TicketView(str(path))
    inbox = view_inbox(view, raw, "t-cut", batch_size=4)
    await inbox.open()
    await drain(inbox)  # all 15 applied and acknowledged
    await inbox.close()
    whole = view.checksum()
    view.close()

    shutil.copy(tmp_path / "after-4.db", path)  # the power cut: the last commits gone
    view = TicketView(str(path))
    assert view.position() == 4
    inbox = view_inbox(view, raw, "t-cut", batch_size=4)
    await inbox.open()
    await drain(inbox)
    await inbox.close()
    assert view.position() == 15
    assert view.checksum() == whole


async def test_a_consumer_of_some_event_types_reads_each_of_them_once_across_a_restart(
    raw: RawBus, app: IntakeApp
) -> None:
    """Several filter subjects (escalation reads only the event types it reacts to): the server
    sends those alone, a restart resumes after the recorded position, which stops at the last
    message read, and the consumer counts as having applied the whole stream."""
    record_tickets(app, 9)  # 9 reported, 4 resolved; the last one a report
    await relay_for(app, raw).flush()
    resolved = [m.seq for m in await raw.events() if m.subject.endswith(".ticket.resolved")]
    applied: list[int] = []
    kinds = ("desk.evt.*.ticket.resolved", "desk.evt.*.ticket.classified")

    def inbox(batch_size: int) -> Inbox:
        return Inbox(
            raw.js,
            durable="t-some-types",
            apply=lambda ds: applied.extend(d.seq for d in ds if d.seq > max(applied, default=0)),
            position=lambda: max(applied, default=0),
            filter_subject=kinds,
            batch_size=batch_size,
        )

    first_run = inbox(batch_size=2)
    await first_run.open()
    await first_run.poll()
    await first_run.close()  # the process dies here, after 2 of the 4
    assert applied == resolved[:2]
    second_run = inbox(batch_size=256)
    await second_run.open()
    await drain(second_run)

    assert applied == resolved
    last = (await raw.js.stream_info(STREAM)).state.last_seq
    assert max(applied) < last and await second_run.applied_through(last)
    await second_run.close()


async def test_rebuilding_the_projection_from_an_empty_view_gives_the_same_state(
    desk: Desk, services, tmp_path
) -> None:
    """The live view, fed while commands arrive, equals a fresh view over the same stream."""
    tickets = [
        await desk.command("hbw", "report", report_body(f"r{n}", kind="inquiry")) for n in range(6)
    ]
    for t in tickets[:3]:
        await desk.command(
            "hbw", "resolve", {"ticket_id": t["ticket_id"], "staff_id": "S1", "resolution": "ok"}
        )
    await desk.command("tech-park", "report", report_body("tp-1", kind="repair"))
    live: TicketView = services["reporting"].view
    count = 11  # 6 reported, 3 resolved, the repair's report and its work order

    async def caught_up() -> bool:
        return live.position() == count == await desk.stream_count()

    await eventually(caught_up)
    path = tmp_path / "rebuilt.db"
    await rebuild(await desk.ops(), "tickets", path, batch=3)  # as `propdesk replay` does
    rebuilt = TicketView(str(path))

    assert rebuilt.position() == live.position()
    assert rebuilt.checksum() == live.checksum()
