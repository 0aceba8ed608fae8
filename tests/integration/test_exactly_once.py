"""Exactly once, end to end: duplicate publish, redelivery before ack, restarts mid-stream."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from services.intake.application import CommandContext, IntakeApp
from services.intake.translate import Translator
from services.reporting.view import TicketView
from shared.bus import ensure_stream
from shared.clock import FixedClock
from shared.contracts.commands import ReportContact, ResolveTicket
from shared.inbox import Inbox
from shared.relay import Relay
from shared.sites import SiteDirectory
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration


def intake_app(tmp_path: Path, clock: FixedClock) -> IntakeApp:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "i.db")}
    return IntakeApp(env, clock, SiteDirectory())


def record_tickets(app: IntakeApp, n: int) -> None:
    ctx = CommandContext("hbw", "corr")
    for i in range(n):
        reply = app.execute(ctx, ReportContact.model_validate(report_body(f"c{i}")))
        if i % 2:
            resolve = {"ticket_id": reply["ticket_id"], "staff_id": "S01", "resolution": "ok"}
            app.execute(ctx, ResolveTicket.model_validate(resolve))


def relay_for(app: IntakeApp, desk: Desk) -> Relay:
    return Relay(app, desk.js, Translator(lambda _: []), name="relay:DESK")


def view_inbox(view: TicketView, desk: Desk, durable: str, batch_size: int = 256) -> Inbox:
    return Inbox(
        desk.js, durable=durable, apply=view.apply, position=view.position, batch_size=batch_size
    )


async def drain(inbox: Inbox) -> None:
    while await inbox.poll(timeout=0.5):
        pass


async def test_a_duplicate_publish_is_stored_once(desk: Desk, tmp_path, clock) -> None:
    await ensure_stream(desk.js)
    app = intake_app(tmp_path, clock)
    record_tickets(app, 1)
    relay = relay_for(app, desk)
    await relay.flush()
    [event] = [
        Translator(lambda _: [])(app.mapper.to_domain_event(n))
        for n in app.recorder.select_notifications(1, 10)
        if n.topic.endswith("Ticket.Reported")
    ]

    await relay.publish(event)
    await relay.publish(event)

    assert await desk.stream_count() == 1


async def test_a_relay_restarted_between_publish_and_record_loses_and_doubles_nothing(
    desk: Desk, tmp_path, clock
) -> None:
    await ensure_stream(desk.js)
    app = intake_app(tmp_path, clock)
    record_tickets(app, 6)  # 9 ticket events
    crashing = relay_for(app, desk)
    published = 0
    real_publish = crashing.publish

    async def publish_then_crash(envelope):
        nonlocal published
        if published == 5:
            raise ConnectionError("relay process killed")
        published += 1
        await real_publish(envelope)

    crashing.publish = publish_then_crash
    with pytest.raises(ConnectionError):
        await crashing.flush()
    assert crashing.position() == 0  # published 5, recorded nothing

    await relay_for(app, desk).flush()  # the restarted relay starts over from its position

    events = await desk.events()
    assert len(events) == 9
    ids = [m.headers["Nats-Msg-Id"] for m in events]
    assert len(set(ids)) == 9


async def test_a_redelivery_before_ack_changes_nothing(desk: Desk, tmp_path, clock) -> None:
    await ensure_stream(desk.js)
    app = intake_app(tmp_path, clock)
    record_tickets(app, 2)
    await relay_for(app, desk).flush()
    view = TicketView(str(tmp_path / "view.db"))
    inbox = Inbox(
        desk.js, durable="t-redelivery", apply=view.apply, position=view.position, ack_wait=1.0
    )
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
    desk: Desk, tmp_path, clock
) -> None:
    await ensure_stream(desk.js)
    app = intake_app(tmp_path, clock)
    record_tickets(app, 10)  # 15 events
    await relay_for(app, desk).flush()

    interrupted = TicketView(str(tmp_path / "interrupted.db"))
    first_run = view_inbox(interrupted, desk, "t-interrupted", batch_size=4)
    await first_run.open()
    await first_run.poll()
    await first_run.close()  # the process dies here, after 4 of 15
    assert interrupted.position() == 4
    second_run = view_inbox(interrupted, desk, "t-interrupted", batch_size=4)
    await second_run.open()
    await drain(second_run)
    await second_run.close()

    straight = TicketView(str(tmp_path / "straight.db"))
    one_go = view_inbox(straight, desk, "t-straight")
    await one_go.open()
    await drain(one_go)
    await one_go.close()

    assert interrupted.position() == straight.position() == 15
    assert interrupted.checksum() == straight.checksum()


async def test_rebuilding_the_projection_from_an_empty_view_gives_the_same_state(
    desk: Desk, services, tmp_path
) -> None:
    """The live view, fed while commands arrive, equals a fresh view over the same stream."""
    tickets = [await desk.command("hbw", "report", report_body(f"r{n}")) for n in range(6)]
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
    rebuilt = TicketView(str(tmp_path / "rebuilt.db"))
    inbox = view_inbox(rebuilt, desk, "t-rebuild", batch_size=3)
    await inbox.open()
    await drain(inbox)
    await inbox.close()

    assert rebuilt.position() == live.position()
    assert rebuilt.checksum() == live.checksum()
