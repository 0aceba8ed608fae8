"""A consumer that lingers (shared/messaging/inbox.py): caught up, it waits a moment after a
batch's first message for what comes meanwhile and applies it all in one transaction; a backlog
is taken at once; and whoever waits for it (`applied_through`: the simulated clock, escalation's
decisions) cuts the wait short. Against a real nats-server and intake's real relay."""

from __future__ import annotations

import asyncio

import pytest

from services.intake.application import IntakeApp
from shared.messaging.inbox import Delivery, Inbox
from shared.messaging.subjects import STREAM
from tests.integration.test_exactly_once import RawBus, app, raw, record_tickets, relay_for

pytestmark = pytest.mark.integration
__all__ = ["app", "raw"]  # the fixtures, used by name


class Applied:
    """What a consumer applied, batch by batch; its position is the last sequence applied."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []

    def apply(self, deliveries: list[Delivery]) -> None:
        self.batches.append([d.seq for d in deliveries])

    def position(self) -> int:
        return self.batches[-1][-1] if self.batches else 0


def lingering(bus: RawBus, applied: Applied, durable: str, linger: float) -> Inbox:
    return Inbox(
        bus.js, durable=durable, apply=applied.apply, position=applied.position, linger=linger
    )


async def last_seq(bus: RawBus) -> int:
    return (await bus.js.stream_info(STREAM)).state.last_seq


async def test_a_caught_up_consumer_takes_what_comes_while_it_lingers_in_one_batch(
    raw: RawBus, app: IntakeApp
) -> None:
    relay = relay_for(app, raw)
    applied = Applied()
    inbox = lingering(raw, applied, "t-linger", linger=2.0)
    await inbox.open()
    record_tickets(app, 1)  # one report: the first message, nothing else waiting
    await relay.flush()
    polling = asyncio.create_task(inbox.poll())
    await asyncio.sleep(0.3)  # the inbox has the first message and lingers
    record_tickets(app, 4, first=1)  # 4 reports, 2 of them resolved: 6 messages
    await relay.flush()
    assert await asyncio.wait_for(polling, 10) == 7
    assert applied.batches == [list(range(1, 8))]  # one transaction for all of them
    await inbox.close()


async def test_a_backlog_is_taken_at_once_without_lingering(raw: RawBus, app: IntakeApp) -> None:
    record_tickets(app, 6)
    await relay_for(app, raw).flush()
    applied = Applied()
    inbox = lingering(raw, applied, "t-backlog", linger=60.0)
    await inbox.open()
    assert await asyncio.wait_for(inbox.poll(), 10) == await last_seq(raw)
    await inbox.close()


async def test_waiting_for_a_lingering_consumer_cuts_its_wait_short(
    raw: RawBus, app: IntakeApp
) -> None:
    """A minute's linger, yet `applied_through` (what the simulated clock and escalation's
    decisions wait on) sees the message applied within seconds: asking hurries the batch."""
    relay = relay_for(app, raw)
    applied = Applied()
    inbox = lingering(raw, applied, "t-hurry", linger=60.0)
    await inbox.open()
    record_tickets(app, 1)
    await relay.flush()
    polling = asyncio.create_task(inbox.poll())
    await asyncio.sleep(0.3)  # lingering over its first message
    seq = await last_seq(raw)

    async def applied_through() -> None:
        while not await inbox.applied_through(seq):
            await asyncio.sleep(0.05)

    await asyncio.wait_for(applied_through(), 10)
    assert await asyncio.wait_for(polling, 1) == 1 and applied.position() == seq
    await inbox.close()
