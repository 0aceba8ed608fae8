"""A due board whose decision fails (a fault in its data or the code) does not stop the others:
every other board of every site is decided on time, the failing one is tried on the next ticks
and then held in the parking lot `escalation-ticker` — off the schedule, not tried forever — until
ops retry it (services/escalation/application/held.py, docs/RELIABILITY.md)."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.escalation.application.held import TICKER
from services.escalation.domain import TicketClocks, board_id_for
from shared.kernel.clock import FixedClock
from shared.messaging.parking import ATTEMPTS, StillFailing
from tests.unit.test_escalation_application import T0, Feed, app_on

BAD, GOOD = uuid4(), uuid4()


def repair(feed: Feed, ticket: UUID, number: str) -> None:
    feed("ticket.reported", ticket, T0, ticket_no=number, client_ref=f"r-{number}",
         channel="phone", kind="repair", category="plumbing", help_category=None, unit="3-201",
         content="厨房水管漏水", received_at=T0, appointment=None)  # fmt: skip


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The board of ticket BAD fails to decide, with this error, while `on` is true."""
    state: dict[str, Any] = {"on": True, "error": RuntimeError("the board's data is bad")}
    decide = TicketClocks.decide

    def failing(board: TicketClocks, now: Any) -> Any:
        if state["on"] and board.ticket_id == BAD:
            raise state["error"]
        return decide(board, now)

    monkeypatch.setattr(TicketClocks, "decide", failing)
    return state


def test_a_board_that_fails_to_decide_is_held_and_the_others_are_decided(broken) -> None:
    clock = FixedClock(T0)
    app = app_on(clock)
    feed = Feed(app)
    repair(feed, BAD, "HBW-202611-0001")
    repair(feed, GOOD, "HBW-202611-0002")
    clock.set(T0 + timedelta(minutes=6))  # both order_issued clocks (5 min, R7.6) are late

    decided = app.tick()
    assert {(d["event"], d["ticket_no"]) for d in decided} == {
        ("clock_warned", "HBW-202611-0002"), ("clock_breached", "HBW-202611-0002"),
    }  # fmt: skip
    assert app.parked(TICKER) == []  # one failure: tried again at the next tick
    for _ in range(ATTEMPTS - 1):
        assert app.tick() == []
    [held] = app.parked(TICKER)
    assert (held["id"], held["state"], held["site"], held["attempts"]) == (
        f"{TICKER}:1", "parked", "hbw", ATTEMPTS,
    )  # fmt: skip
    assert held["event_id"] == str(board_id_for(BAD))
    assert held["error"] == "RuntimeError: the board's data is bad"
    assert app.take_held() == [1] and app.take_held() == []
    assert not app.due_by(T0 + timedelta(days=365))  # off the schedule: not tried forever
    assert app.tick() == []

    with pytest.raises(StillFailing, match="bad"):
        app.retry_held(1)  # not fixed yet: stays held, with the new error
    assert app.parked(TICKER)[0]["retries"] == 1

    broken["on"] = False  # the fix
    app.retry_held(1)
    [held] = app.parked(TICKER)
    assert held["state"] == "retried"
    board = app.get(board_id_for(BAD), TicketClocks)
    assert board.clocks["order_issued_household"]["breached"]
    with pytest.raises(KeyError):
        app.retry_held(1)  # already taken


def test_a_store_briefly_away_is_not_the_boards_fault(broken) -> None:
    """An error a retry can change stops the tick as before: nothing is held."""
    broken["error"] = sqlite3.OperationalError("database is locked")
    clock = FixedClock(T0)
    app = app_on(clock)
    repair(Feed(app), BAD, "HBW-202611-0001")
    clock.set(T0 + timedelta(minutes=6))
    for _ in range(ATTEMPTS + 1):
        with pytest.raises(Exception, match="locked"):
            app.tick()
    assert app.parked(TICKER) == [] and app.due_by(T0 + timedelta(minutes=6))


def test_a_board_whose_due_time_cannot_be_read_either_is_held(broken, monkeypatch) -> None:
    """Bad data may fail the board's own due time as well: it is held all the same, without it."""
    clock = FixedClock(T0)
    app = app_on(clock)
    repair(Feed(app), BAD, "HBW-202611-0001")
    clock.set(T0 + timedelta(minutes=6))
    next_due = TicketClocks.next_due

    def unreadable(board: TicketClocks) -> Any:
        if board.ticket_id == BAD:
            raise ValueError("no due time")
        return next_due(board)

    monkeypatch.setattr(TicketClocks, "next_due", unreadable)
    for _ in range(ATTEMPTS):
        assert app.tick() == []
    [held] = app.parked(TICKER)
    assert json.loads(held["event"])["due_at"] is None and held["state"] == "parked"
