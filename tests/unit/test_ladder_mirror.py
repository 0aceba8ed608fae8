"""Intake guards the cancellation of a complaint on the escalation ladder (R6.4–R6.6), so it must
count "on the ladder" exactly as escalation runs it: the same ticket's story told to both."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.escalation.domain import TicketClocks, board_id_for
from services.intake.domain import Ticket
from shared.kernel.clock import FixedClock
from tests.unit.conftest import META
from tests.unit.test_escalation_application import T0, TICKET, Feed, app_on, reported

VALID = {"validity": "valid", "severity": "minor"}
# a complaint reported, then … (an inquiry's story says so)
STORIES: dict[str, list[Any]] = {
    "unclassified": [],
    "valid": [VALID],
    "communicative": [{"validity": "communicative", "communicative_type": "venting"}],
    "communicative, then valid": [
        {"validity": "communicative", "communicative_type": "venting"},
        VALID,
    ],
    "an inquiry after all": [{"kind": "inquiry", "category": "other"}],
    "an inquiry, then a complaint again": [
        {"kind": "inquiry", "category": "other"},
        {"kind": "complaint", "category": "noise", **VALID},
    ],
    "resolved": [VALID, "resolve"],
    "resolved, reopened": [VALID, "resolve", "reopen"],
    "an inquiry": ["inquiry"],
    "an inquiry found to be a complaint": ["inquiry", {"kind": "complaint", **VALID}],
}


@pytest.mark.parametrize("story", list(STORIES))
def test_intake_counts_a_complaint_on_the_ladder_as_escalation_runs_it(story) -> None:
    steps = list(STORIES[story])
    kind = steps.pop(0) if steps[:1] == ["inquiry"] else "complaint"
    escalation = app_on(FixedClock(T0))
    feed = Feed(escalation)
    reported(feed, kind=kind, category="noise" if kind == "complaint" else "other")
    ticket = Ticket.report(
        ticket_id=TICKET, at=T0, site="hbw", ticket_no="HBW-202611-0001", client_ref="r-1",
        channel="phone", kind=kind, category="noise" if kind == "complaint" else "other",
        help_category=None, reporter=None, content="楼上装修噪音", received_at=T0,
        appointment=None, **META,
    )  # fmt: skip
    for n, step in enumerate(steps, start=1):
        at = T0 + n * timedelta(hours=1)
        if step == "resolve":
            ticket.accept_solution(at=at, meta=META, solution="限定施工时间")  # R6.9
            ticket.resolve(at=at, meta=META, resolution="已处理")
            feed("ticket.resolved", TICKET, at, resolution="已处理")
        elif step == "reopen":
            ticket.reopen(at=at, meta=META, reason="又吵了")
            feed("ticket.reopened", TICKET, at, reason="又吵了", reopen_count=1)
        else:
            ticket.classify(at=at, meta=META, **step)
            fields = ("kind", "category", "help_category", "validity", "communicative_type",
                      "severity")  # fmt: skip
            feed("ticket.classified", TICKET, at, **{f: getattr(ticket, f) for f in fields})

    board = escalation.get(board_id_for(TICKET), TicketClocks)
    climbing = board.ladder is not None and board.ladder["state"] == "running"
    assert ticket.on_ladder is climbing
