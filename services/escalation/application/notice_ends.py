"""The end of what notices are about ends those still owed (domain/told.py; R6.3): a ticket
resolved, closed or cancelled, every notice its board still owes; a complaint off the ladder
(reclassified as another kind, or communicative, R5.6), the complaint's; an incident closed, a
promise kept or broken, a maintenance notice cancelled, a violation case closed, a shift log
signed, a special-care resident visited or no longer flagged, every notice of its board; a
maintenance notice ended, its restoration's alert, revised, its alert about the time replaced,
and explained, its explanation's reminder; a violation case's later measure, the overdue notices
of the earlier (`subject_ended`). Each records why, as a code (`Notice.Ended`), and is saved with
the board, which owes it no more (`NoticesSettled`), so the notification channel, which asks the
notice before each send, sends it no more (docs/NOTIFICATIONS.md); it is published as ended
(`escalation.notification_ended`) and stays listed and acknowledgeable. The reactions call these
after the board recorded what the event tells it."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from services.escalation.domain import Cause, Notice, TicketClocks
from services.escalation.domain.ladder import LEFT
from services.escalation.domain.notice import LEFT_LADDER
from services.escalation.domain.told import COMPLAINT, Owed
from shared.contracts.envelope import Envelope

if TYPE_CHECKING:
    from services.escalation.application import EscalationApp


def off_ladder(board: TicketClocks) -> bool:
    return board.ladder is not None and board.ladder["state"] == LEFT


def ladder_left(app: EscalationApp, board: TicketClocks, was_off: bool, event: Envelope,
                cause: Cause) -> list[Notice]:  # fmt: skip
    """The complaint's notices, when this classification took it off the ladder (it was on it,
    `was_off` False), with the reason the ladder's change gives."""
    if was_off or not off_ladder(board):
        return []
    reason = next(e.reason for e in reversed(board.pending_events)
                  if isinstance(e, TicketClocks.LadderChanged))  # fmt: skip
    return _end(app, board, board.notices_owed(COMPLAINT), LEFT_LADDER, event, cause, reason)


def subject_ended(app: EscalationApp, board: Owed, why: str, event: Envelope, cause: Cause,
                  *abouts: str) -> list[Notice]:  # fmt: skip
    """Every notice the board still owes (or those about `abouts`), for `why`, a code of
    contract §20.2 (`resolved`, `closed`, `cancelled` for a ticket, `incident_closed`,
    `promise_kept`, …)."""
    return _end(app, board, board.notices_owed(*abouts), why, event, cause)


def _end(app: EscalationApp, board: Owed, owed: list[UUID], why: str, event: Envelope, cause: Cause,
         reason: str | None = None) -> list[Notice]:  # fmt: skip
    """Each notice still owed ends (one acknowledged before the board recorded it — stored
    before boards did — records nothing); the board owes none of them any more."""
    ended = []
    for notice_id in owed:
        notice = app.get(notice_id, Notice)
        if notice is not None and notice.end(why, event.occurred_at, cause, reason):
            ended.append(notice)
    board.settle(owed, event.occurred_at, cause)
    return ended
