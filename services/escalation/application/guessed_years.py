"""Deadlines counted across a year whose working days are not known (shared/kernel/worktime.py)
are said in the log as well as on their events (`guessed_years`): never silent."""

from __future__ import annotations

from typing import Any

from services.escalation.domain import TicketClocks
from shared.logging import get_logger

log = get_logger("escalation")


def warn_guessed(changed: list[Any]) -> None:
    """Log each clock started or resumed, among `changed`'s new events, on a guessed deadline."""
    for board in changed:
        if not isinstance(board, TicketClocks):
            continue
        for event in board.pending_events:
            years = getattr(event, "guessed_years", ())
            if years:
                log.warning(
                    "worktime.guessed_deadline",
                    site=board.site,
                    ticket_no=board.ticket_no,
                    clock=event.key,
                    deadline=event.deadline.isoformat(),
                    years=list(years),
                )
