"""What escalation does when a promise changes on DESK (R6.15, R10.6, R2.6, R11.5): the
promise's watch (domain/promise_watch.py) opens with it, reminding its owner before the due time
and telling the supervisor after it, as the site's `promise_tasks` say; a re-promise moves the
due time, keeping or breaking it ends the wait, and the notices still owed (notice_ends.py:
`promise_kept`, `promise_broken`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from services.escalation.application.notice_ends import subject_ended
from services.escalation.domain import Cause
from services.escalation.domain.promise_watch import PromiseWatch, promise_board_id_for
from shared.contracts import promise_events as ev
from shared.contracts.envelope import Envelope
from shared.kernel.sites import SiteConfig

if TYPE_CHECKING:
    from services.escalation.application import EscalationApp


def _watch(app: EscalationApp, event: Envelope) -> PromiseWatch | None:
    return app.get(promise_board_id_for(event.aggregate_id), PromiseWatch)


def made(app: EscalationApp, event: ev.PromiseMadeEvent, site: SiteConfig,
         cause: Cause) -> list[Any]:  # fmt: skip
    if _watch(app, event) is not None:
        return []
    data, policy = event.data, site.promise_tasks
    return [
        PromiseWatch.open(
            site=event.site, promise_id=event.aggregate_id, client_ref=data.client_ref,
            kind=data.kind.value, owner=data.owner, owner_role=data.owner_role.value,
            overdue_role=policy.overdue_role.value, due_at=data.due_at,
            remind_before=policy.remind_before, what=data.what, on_ticket=data.ticket_no,
            at=event.occurred_at,
            correlation_id=event.correlation_id, causation_id=cause.causation_id,
        )
    ]  # fmt: skip


def rescheduled(app: EscalationApp, event: ev.PromiseRescheduledEvent, site: SiteConfig,
                cause: Cause) -> list[Any]:  # fmt: skip
    watch = _watch(app, event)
    if watch is None:
        return []
    remind = site.promise_tasks.remind_before
    watch.move_due(event.data.due_at, remind, event.occurred_at, cause.causation_id)
    return [watch]


def ended(app: EscalationApp, event: ev.PromiseKeptEvent | ev.PromiseBrokenEvent,
          site: SiteConfig, cause: Cause) -> list[Any]:  # fmt: skip
    watch = _watch(app, event)
    if watch is None:
        return []
    reason = "kept" if isinstance(event, ev.PromiseKeptEvent) else "broken"
    watch.end_wait(reason, event.occurred_at, cause.causation_id)
    return [watch, *subject_ended(app, watch, f"promise_{reason}", event, cause)]


PROMISE_REACTIONS = {
    ev.PromiseMadeEvent: made,
    ev.PromiseRescheduledEvent: rescheduled,
    ev.PromiseKeptEvent: ended,
    ev.PromiseBrokenEvent: ended,
}
