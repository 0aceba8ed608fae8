"""What escalation does when a resident's file changes on DESK (R11.10, docs/RESIDENTS.md): a
resident flagged for special care gets a board (domain/care_visits.py) that waits for the next
visit, within the site's `residents.care_visit_days`; each visit starts the wait again from when
it was made, and the flag cleared ends it. Nothing else moves it: a correction of a flagged
resident's file (a phone, a note) does not, reminded or not — as intake's lookup reckons the
next visit due (shared/kernel/residents.py `visit_wait_from`). The board knows the zone she lives
in from her file on DESK (home_reactions.py): noted when she is flagged, and again when she moves
or her unit's zone is corrected, so her reminder goes to her zone's CS assistant (R1.3). A visit
ends the reminders still owed (`care_visited`), and so does the flag cleared (`care_not_needed`;
notice_ends.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from services.escalation.application.home_reactions import zone_lived_in
from services.escalation.application.notice_ends import subject_ended
from services.escalation.domain import Cause
from services.escalation.domain.care_visits import CareVisits, care_board_id_for
from shared.contracts import resident_events as ev
from shared.contracts.envelope import Envelope
from shared.kernel.residents import visit_wait_from
from shared.kernel.sites import SiteConfig

if TYPE_CHECKING:
    from services.escalation.application import EscalationApp


def _wait(board: CareVisits, since: datetime, event: Envelope, site: SiteConfig,
          cause: Cause) -> None:  # fmt: skip
    board.visit_due(since=since, due_at=site.residents.visit_due(since),
                    role=site.residents.care_visit_role.value, at=event.occurred_at,
                    causation_id=cause.causation_id)  # fmt: skip


def filed(app: EscalationApp, event: ev.ResidentRegisteredEvent | ev.ResidentCorrectedEvent,
          site: SiteConfig, cause: Cause) -> list[Any]:  # fmt: skip
    board = app.get(care_board_id_for(event.aggregate_id), CareVisits)
    if not event.data.special_care:
        if board is None:
            return []
        board.not_needed(event.occurred_at, cause.causation_id)
        return [board, *subject_ended(app, board, "care_not_needed", event, cause)]
    if board is None:
        board = CareVisits.open(
            site=event.site, resident_id=event.aggregate_id, resident_ref=event.data.resident_ref,
            at=event.occurred_at, correlation_id=event.correlation_id,
            causation_id=cause.causation_id,
        )  # fmt: skip
    board.note_zone(zone_lived_in(app, event.aggregate_id), event.occurred_at, cause.causation_id)
    if board.since is None:  # newly flagged: the first visit is due within the interval
        _wait(board, event.occurred_at, event, site, cause)
    return [board]


def visited(app: EscalationApp, event: ev.CareVisitedEvent, site: SiteConfig,
            cause: Cause) -> list[Any]:  # fmt: skip
    board = app.get(care_board_id_for(event.aggregate_id), CareVisits)
    since = visit_wait_from(board.since if board else None, event.visited_at())
    if board is None or since is None or since == board.since:
        return []  # not flagged, or a visit made before the one the wait runs from
    _wait(board, since, event, site, cause)
    return [board, *subject_ended(app, board, "care_visited", event, cause)]


CARE_REACTIONS = {
    ev.ResidentRegisteredEvent: filed,
    ev.ResidentCorrectedEvent: filed,
    ev.CareVisitedEvent: visited,
}
