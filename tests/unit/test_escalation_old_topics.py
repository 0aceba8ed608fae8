"""A store written before escalation's domain became a package still loads: its events name their
classes by the old topics (`services.escalation.domain:Board.ClockStarted`, eventsourcing's
`module:QualName`), which the package registers next to each class."""

from __future__ import annotations

from datetime import timedelta

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic, resolve_topic

from services.escalation.application import EscalationApp
from services.escalation.domain import Board, Notice, OrderLink, board_id_for
from shared.kernel.clock import FixedClock
from tests.unit.test_escalation_application import ORDER, T0, TICKET, Feed, app_on, issued, reported

OLD = "services.escalation.domain"
# every topic the escalation store of the legacy fixture (tests/fixtures/legacy) holds, and the rest
OLD_TOPICS = {
    f"{OLD}:Board": Board,
    **{f"{OLD}:Board.{name}": getattr(Board, name) for name in (
        "Opened", "ClockStarted", "ClockPaused", "ClockResumed", "ClockStopped", "ClockWarned",
        "ClockBreached", "Classified", "OrderNoted", "LadderStarted", "LadderChanged",
        "ComplaintEscalated", "ComplaintUpgraded", "Closed", "Reopened",
    )},
    f"{OLD}:Notice": Notice,
    f"{OLD}:Notice.Raised": Notice.Raised,
    f"{OLD}:Notice.Acknowledged": Notice.Acknowledged,
    f"{OLD}:OrderLink": OrderLink,
    f"{OLD}:OrderLink.Linked": OrderLink.Linked,
}  # fmt: skip


@pytest.mark.parametrize("topic", sorted(OLD_TOPICS))
def test_each_old_topic_resolves_to_the_moved_class(topic: str) -> None:
    assert resolve_topic(topic) is OLD_TOPICS[topic]


def _as_written_before(event: StoredEvent) -> StoredEvent:
    """The stored event as the code before the move wrote it: old topics, in the record and in
    a created event's `originator_topic`. Events of shared classes (the ticket-number index,
    added after the move) keep theirs."""
    if not event.topic.startswith("services.escalation."):
        return event
    state = event.state
    for aggregate in (Board, Notice, OrderLink):
        new = get_topic(aggregate).encode()
        state = state.replace(new, f"{OLD}:{aggregate.__qualname__}".encode())
    topic = f"{OLD}:{event.topic.partition(':')[2]}"
    return StoredEvent(event.originator_id, event.originator_version, topic, state)


def _a_story(app: EscalationApp, clock: FixedClock) -> None:
    feed = Feed(app)
    reported(feed, kind="complaint", category="noise")
    issued(feed, T0 + timedelta(minutes=1))
    feed("workorder.quoted", ORDER, T0 + timedelta(hours=1), amount="80.00", items="角阀")
    clock.set(T0 + timedelta(days=3))
    assert app.tick()  # warnings, breaches and the first ladder step: notices raised


def test_an_escalation_store_written_before_the_move_loads_and_is_scheduled() -> None:
    clock = FixedClock(T0)
    before = app_on(clock)
    _a_story(before, clock)
    written = before.recorder.select_notifications(1, 1000)
    old = [_as_written_before(n) for n in written]
    assert {n.topic for n in old} >= {f"{OLD}:Board.Opened", f"{OLD}:Notice.Raised"}
    assert not any(get_topic(Board).encode() in n.state for n in old)

    after = app_on(FixedClock(clock.now()))
    after.recorder.insert_events(old)
    for n in written:
        was, now = before.repository.get(n.originator_id), after.repository.get(n.originator_id)
        assert type(now) is type(was)
        assert vars(now) == vars(was)

    after.schedule.catch_up(after)  # the schedule finds the board by its old topics
    board = after.get(board_id_for(TICKET), Board)
    assert after.schedule.next_due() == board.next_due() is not None
