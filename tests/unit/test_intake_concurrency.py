"""Two intake workers on one store: optimistic concurrency turns a lost race into a clean reply.

Worker B reads the ticket, then asks its clock for the time; that clock lets worker A run a whole
command first, which is exactly the interleaving of two processes serving the same ticket.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest

from services.intake.application import IntakeApp
from services.intake.domain import Ticket
from shared.contracts import commands
from shared.contracts.replies import ErrorCode
from shared.eventstore.desk_app import CommandContext
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteDirectory
from shared.messaging.errors import DeskError

T0 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
CTX = CommandContext("hbw", "corr-1")


class InterleavingClock(FixedClock):
    """A fixed clock that runs `meanwhile` once, the next time someone asks it for the time."""

    meanwhile = None

    def now(self) -> datetime:
        step, self.meanwhile = self.meanwhile, None
        if step is not None:
            step()
        return super().now()


@pytest.fixture
def workers(tmp_path):
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "i.db")}
    a = IntakeApp(env, FixedClock(T0), SiteDirectory(strict=False))
    b = IntakeApp(env, InterleavingClock(T0), SiteDirectory(strict=False))
    yield a, b
    a.close()
    b.close()


def reported(app: IntakeApp) -> str:
    cmd = commands.ReportContact(
        staff_id="S017",
        client_ref="desk-0001",
        channel="visit",
        kind="repair",
        reporter={"name": "李四", "room": "5-302"},
        content="门禁坏了",
    )
    return app.execute(CTX, cmd)["ticket_id"]


def events_of(app: IntakeApp, ticket_id: str) -> list[type]:
    return [type(e) for e in app.events.get(UUID(ticket_id))]


def test_a_command_that_lost_the_race_is_a_conflict_and_records_nothing(workers):
    a, b = workers
    tid = reported(a)
    b.clock.meanwhile = lambda: a.execute(
        CTX, commands.ClassifyTicket(staff_id="S1", ticket_id=tid, category="security")
    )
    with pytest.raises(DeskError) as raised:
        b.execute(CTX, commands.ResolveTicket(staff_id="S2", ticket_id=tid, resolution="修好了"))
    assert raised.value.code is ErrorCode.conflict
    assert events_of(a, tid) == [Ticket.Reported, Ticket.Classified]


def test_the_same_command_run_by_two_workers_takes_effect_once(workers):
    a, b = workers
    tid = reported(a)
    cmd = commands.ResolveTicket(
        command_id="resolve-1", staff_id="S2", ticket_id=tid, resolution="换锁"
    )
    first: dict = {}
    b.clock.meanwhile = lambda: first.update(a.execute(CTX, cmd))
    assert b.execute(CTX, cmd) == first
    assert first["status"] == "resolved"
    assert events_of(a, tid) == [Ticket.Reported, Ticket.Resolved]
