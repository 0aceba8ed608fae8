"""What escalation does when a violation case changes on DESK (R14.3, R14.4): the case's board
of due dates (domain/case_deadlines.py) opens with the case, waits for each measure's due date,
and stops waiting when a later measure is recorded or the case closes; either ends the notices
still owed (notice_ends.py): a later measure the earlier one's overdue notice (`measure_replaced`),
the close every one (`violation_closed`)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from services.escalation.application.notice_ends import subject_ended
from services.escalation.domain import Cause
from services.escalation.domain.case_deadlines import CaseDeadlines, case_board_id_for
from shared.contracts import violation_events as ev
from shared.contracts.envelope import Envelope
from shared.kernel.sites import SiteConfig

if TYPE_CHECKING:
    from services.escalation.application import EscalationApp


def _board(app: EscalationApp, event: Envelope) -> CaseDeadlines | None:
    return app.get(case_board_id_for(event.aggregate_id), CaseDeadlines)


def opened(app: EscalationApp, event: ev.ViolationOpenedEvent, site: SiteConfig,
           cause: Cause) -> list[Any]:  # fmt: skip
    if _board(app, event) is not None:
        return []
    return [
        CaseDeadlines.open(
            site=event.site, case_id=event.aggregate_id, client_ref=event.data.client_ref,
            role=event.data.responsible, at=event.occurred_at,
            correlation_id=event.correlation_id, causation_id=cause.causation_id,
        )
    ]  # fmt: skip


def reclassified(app: EscalationApp, event: ev.ViolationReclassifiedEvent, site: SiteConfig,
                 cause: Cause) -> list[Any]:  # fmt: skip
    board = _board(app, event)
    if board is None:
        return []
    board.reassign(event.data.responsible, event.occurred_at, cause.causation_id)
    return [board]


def measure(app: EscalationApp, event: ev.MeasureRecordedEvent, site: SiteConfig,
            cause: Cause) -> list[Any]:  # fmt: skip
    board = _board(app, event)
    if board is None:
        return []
    # due by the end of the due date, the site's calendar
    end = datetime.combine(event.data.due_on + timedelta(days=1), time(0), tzinfo=site.zone)
    data = event.data
    board.measure_due(
        measure=data.measure.value, due_on=data.due_on.isoformat(), due_at=end,
        at=event.occurred_at, causation_id=cause.causation_id,
    )  # fmt: skip
    # its notices are all about earlier measures, each replaced by this one
    return [board, *subject_ended(app, board, "measure_replaced", event, cause)]


def closed(app: EscalationApp, event: ev.ViolationClosedEvent, site: SiteConfig,
           cause: Cause) -> list[Any]:  # fmt: skip
    board = _board(app, event)
    if board is None:
        return []
    board.end_wait("closed", event.occurred_at, cause.causation_id)
    return [board, *subject_ended(app, board, "violation_closed", event, cause)]


CASE_REACTIONS = {
    ev.ViolationOpenedEvent: opened,
    ev.ViolationReclassifiedEvent: reclassified,
    ev.MeasureRecordedEvent: measure,
    ev.ViolationClosedEvent: closed,
}
