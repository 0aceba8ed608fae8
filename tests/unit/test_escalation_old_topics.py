"""Stores written before escalation's classes moved still load. Their events name the classes by
old topics (eventsourcing's `module:QualName`), which the domain registers next to each class:

- before the domain became a package: `services.escalation.domain:Board.ClockStarted`,
  `…:Notice.Raised`, `…:OrderLink.Linked`;
- before `Board` became `TicketClocks`, its events beside the jobs that record them:
  `services.escalation.domain.ticket_clocks:Board.ClockStarted`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic, resolve_topic

from services.escalation.application import EscalationApp
from services.escalation.domain import Notice, OrderLink, TicketClocks, board_id_for
from services.escalation.domain.topics import board_events
from shared.kernel.clock import FixedClock
from tests.unit.test_escalation_application import ORDER, T0, TICKET, Feed, app_on, issued, reported

OLD = "services.escalation.domain"
BOARD_MODULE = "services.escalation.domain.ticket_clocks"
# the board's events before the package (every one the legacy fixture's store holds), and later
BOARD_EVENTS = (
    "Opened", "ClockStarted", "ClockPaused", "ClockResumed", "ClockStopped", "ClockWarned",
    "ClockBreached", "Classified", "OrderNoted", "LadderStarted", "LadderChanged",
    "ComplaintEscalated", "ComplaintUpgraded", "Closed", "Reopened",
)  # fmt: skip
LATER_EVENTS = (
    "DepartmentNoted", "MajorNoted", "MajorReported", "RepeatNoted", "MajorSuggested",
    "ClockExtended", "FindingNoted", "FindingReferred",  # inspection findings (issue 16)
    "UrgencyNoted", "ClockRecounted",  # an order's urgency overridden (R7.1)
    "ScopeNoted",  # its scope overridden (R7.12)
    "ReceiptNoted", "ComplaintReceived",  # a complaint to its zone's CS assistant (R6.3)
    "NoticesSettled",  # its notices acknowledged or ended: owed no more (R6.3)
)  # fmt: skip
# every topic the escalation store of the legacy fixture (tests/fixtures/legacy) holds, and the rest
OLD_TOPICS = {
    f"{OLD}:Board": TicketClocks,
    **{f"{OLD}:Board.{name}": getattr(TicketClocks, name) for name in BOARD_EVENTS},
    f"{OLD}:Notice": Notice,
    f"{OLD}:Notice.Raised": Notice.Raised,
    f"{OLD}:Notice.Acknowledged": Notice.Acknowledged,
    f"{OLD}:OrderLink": OrderLink,
    f"{OLD}:OrderLink.Linked": OrderLink.Linked,
    # every topic a store written while the board was `ticket_clocks.Board` holds
    f"{BOARD_MODULE}:Board": TicketClocks,
    **{
        f"{BOARD_MODULE}:Board.{name}": getattr(TicketClocks, name)
        for name in BOARD_EVENTS + LATER_EVENTS
    },
}
# today's topic of each class of the board → the name the board's old topics give it
BOARD_NAMES = {
    get_topic(TicketClocks): "Board",
    **{get_topic(event): f"Board.{name}" for name, event in board_events(TicketClocks).items()},
}


@pytest.mark.parametrize("topic", sorted(OLD_TOPICS))
def test_each_old_topic_resolves_to_the_moved_class(topic: str) -> None:
    assert resolve_topic(topic) is OLD_TOPICS[topic]


def test_every_event_of_the_ticket_clocks_has_its_old_board_topic() -> None:
    named = {"Event", "Created", *BOARD_EVENTS, *LATER_EVENTS}  # Created: eventsourcing's, unused
    assert set(board_events(TicketClocks)) == named


def _old_topic(topic: str, written_by: str) -> str:
    """Today's `topic` as the code of `written_by` (the board's old module) named it."""
    if topic in BOARD_NAMES:
        return f"{written_by}:{BOARD_NAMES[topic]}"
    if written_by == OLD and topic.startswith("services.escalation."):
        return f"{OLD}:{topic.partition(':')[2]}"
    return topic  # notices and order links have not moved since the package


def _as_written_before(event: StoredEvent, written_by: str) -> StoredEvent:
    """The stored event as the code of `written_by` wrote it: old topics, in the record and in
    a created event's `originator_topic`. Events of shared classes (the ticket-number index,
    added after the package) keep theirs."""
    if not event.topic.startswith("services.escalation."):
        return event
    state = event.state
    for aggregate in (TicketClocks, Notice, OrderLink):
        new = get_topic(aggregate)
        state = state.replace(new.encode(), _old_topic(new, written_by).encode())
    topic = _old_topic(event.topic, written_by)
    return StoredEvent(event.originator_id, event.originator_version, topic, state)


def _a_story(app: EscalationApp, clock: FixedClock) -> None:
    feed = Feed(app)
    reported(feed, kind="complaint", category="noise")
    issued(feed, T0 + timedelta(minutes=1))
    feed("workorder.quoted", ORDER, T0 + timedelta(hours=1), amount="80.00", items="角阀")
    clock.set(T0 + timedelta(days=3))
    assert app.tick()  # warnings, breaches and the first ladder step: notices raised


WRITTEN = {
    OLD: {f"{OLD}:Board.Opened", f"{OLD}:Notice.Raised"},
    BOARD_MODULE: {f"{BOARD_MODULE}:Board.Opened", get_topic(Notice.Raised)},
}


@pytest.mark.parametrize("written_by", [OLD, BOARD_MODULE])
def test_an_escalation_store_written_before_the_move_loads_and_is_scheduled(
    written_by: str,
) -> None:
    clock = FixedClock(T0)
    before = app_on(clock)
    _a_story(before, clock)
    written = before.recorder.select_notifications(1, 1000)
    old = [_as_written_before(n, written_by) for n in written]
    assert {n.topic for n in old} >= WRITTEN[written_by]
    assert not any(get_topic(TicketClocks).encode() in n.state for n in old)
    assert not any(n.topic in BOARD_NAMES for n in old)

    after = app_on(FixedClock(clock.now()))
    after.recorder.insert_events(old)
    for n in written:
        was, now = before.repository.get(n.originator_id), after.repository.get(n.originator_id)
        assert type(now) is type(was)
        assert vars(now) == vars(was)

    after.schedule.catch_up(after)  # the schedule finds the board by its old topics
    board = after.get(board_id_for(TICKET), TicketClocks)
    assert after.schedule.next_due() == board.next_due() is not None
