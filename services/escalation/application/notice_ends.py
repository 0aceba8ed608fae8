"""A ticket's end ends its notices still owed (domain/told.py; R6.3): resolved, closed or
cancelled, every notice its board raised so far; off the ladder (reclassified as another kind, or
communicative, R5.6), the complaint's. Each records why (`Notice.Ended`) and is saved with the
board, so the notification channel, which asks the notice before each send, sends it no more
(docs/NOTIFICATIONS.md); it is published as ended (`escalation.notification_ended`) and stays
listed and acknowledgeable. The reactions (reactions.py) call these after the clock rules ran."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.escalation.domain import Cause, Notice, TicketClocks
from services.escalation.domain.ladder import LEFT
from services.escalation.domain.notice import LEFT_LADDER
from services.escalation.domain.told import ABOUTS, COMPLAINT
from shared.contracts.envelope import Envelope

if TYPE_CHECKING:
    from services.escalation.application import EscalationApp


def off_ladder(board: TicketClocks) -> bool:
    return board.ladder is not None and board.ladder["state"] == LEFT


def ticket_ended(app: EscalationApp, board: TicketClocks, why: str, event: Envelope,
                 cause: Cause) -> list[Notice]:  # fmt: skip
    """Resolved, closed or cancelled (`why`): every notice the board raised so far."""
    return _end(app, board, ABOUTS, why, event, cause)


def ladder_left(app: EscalationApp, board: TicketClocks, was_off: bool, event: Envelope,
                cause: Cause) -> list[Notice]:  # fmt: skip
    """The complaint's notices, when this classification took it off the ladder (it was on it,
    `was_off` False), for the reason the ladder's change gives."""
    if was_off or not off_ladder(board):
        return []
    why = next(e.reason for e in reversed(board.pending_events)
               if isinstance(e, TicketClocks.LadderChanged))  # fmt: skip
    return _end(app, board, (COMPLAINT,), f"{LEFT_LADDER}: {why}", event, cause)


def _end(app: EscalationApp, board: TicketClocks, abouts: tuple[str, ...], why: str,
         event: Envelope, cause: Cause) -> list[Notice]:  # fmt: skip
    ended = []
    for notice_id in board.notices_about(*abouts):
        notice = app.get(notice_id, Notice)
        if notice is not None and notice.end(why, event.occurred_at, cause):
            ended.append(notice)
    return ended
