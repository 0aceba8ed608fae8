"""What escalation does when a resident's file changes on DESK (R11.10, docs/RESIDENTS.md): a
resident flagged for special care gets a board (domain/care_visits.py) that waits for the next
visit, within the site's `residents.care_visit_days`; each visit starts the wait again, and the
flag cleared ends it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from services.escalation.domain import Cause
from services.escalation.domain.care_visits import CareVisits, care_board_id_for
from shared.contracts import resident_events as ev
from shared.contracts.envelope import Envelope
from shared.kernel.sites import SiteConfig

if TYPE_CHECKING:
    from services.escalation.application import EscalationApp


def _wait(board: CareVisits, event: Envelope, site: SiteConfig, cause: Cause) -> None:
    due_at = site.residents.visit_due(event.occurred_at)
    board.visit_due(due_at=due_at, role=site.residents.care_visit_role.value,
                    at=event.occurred_at, causation_id=cause.causation_id)  # fmt: skip


def filed(app: EscalationApp, event: ev.ResidentRegisteredEvent | ev.ResidentCorrectedEvent,
          site: SiteConfig, cause: Cause) -> list[Any]:  # fmt: skip
    board = app.get(care_board_id_for(event.aggregate_id), CareVisits)
    if not event.data.special_care:
        if board is None:
            return []
        board.end_wait("not_needed", event.occurred_at, cause.causation_id)
        return [board]
    if board is None:
        board = CareVisits.open(
            site=event.site, resident_id=event.aggregate_id, resident_ref=event.data.resident_ref,
            at=event.occurred_at, correlation_id=event.correlation_id,
            causation_id=cause.causation_id,
        )  # fmt: skip
    if board.waiting is None:  # newly flagged: the first visit is due within the interval
        _wait(board, event, site, cause)
    return [board]


def visited(app: EscalationApp, event: ev.CareVisitedEvent, site: SiteConfig,
            cause: Cause) -> list[Any]:  # fmt: skip
    board = app.get(care_board_id_for(event.aggregate_id), CareVisits)
    if board is None:
        return []
    _wait(board, event, site, cause)
    return [board]


CARE_REACTIONS = {
    ev.ResidentRegisteredEvent: filed,
    ev.ResidentCorrectedEvent: filed,
    ev.CareVisitedEvent: visited,
}
