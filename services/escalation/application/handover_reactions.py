"""What escalation does when the desk's shift log changes on DESK (R15.9; docs/SHIFTS.md): a
closed log opens a board waiting for the incoming shift's signature until the site's grace has
passed (`sign_by`, in the event); the first signature ends the wait, and the reminder if it went
out (notice_ends.py: `shift_signed`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from services.escalation.application.notice_ends import subject_ended
from services.escalation.domain import Cause
from services.escalation.domain.handover_watch import HandoverWatch, handover_board_id_for
from shared.contracts import shift_events as ev
from shared.kernel.shifts import REMINDED
from shared.kernel.sites import SiteConfig

if TYPE_CHECKING:
    from services.escalation.application import EscalationApp


def closed(app: EscalationApp, event: ev.ShiftClosedEvent, site: SiteConfig,
           cause: Cause) -> list[Any]:  # fmt: skip
    if app.get(handover_board_id_for(event.aggregate_id), HandoverWatch) is not None:
        return []  # a repeat
    return [
        HandoverWatch.open(
            site=event.site, shift_id=event.aggregate_id, shift=event.data.shift,
            sign_by=event.data.sign_by, role=REMINDED.value, at=event.occurred_at,
            correlation_id=event.correlation_id, causation_id=cause.causation_id,
        )
    ]  # fmt: skip


def signed(app: EscalationApp, event: ev.ShiftSignedEvent, site: SiteConfig,
           cause: Cause) -> list[Any]:  # fmt: skip
    board = app.get(handover_board_id_for(event.aggregate_id), HandoverWatch)
    if board is None:
        return []
    board.sign(event.occurred_at, cause.causation_id)
    return [board, *subject_ended(app, board, "shift_signed", event, cause)]


HANDOVER_REACTIONS = {
    ev.ShiftClosedEvent: closed,
    ev.ShiftSignedEvent: signed,
}
