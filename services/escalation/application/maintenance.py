"""What escalation does with maintenance and outage notices (R7.10, R16.6; docs/OUTAGES.md): it
waits for an emergency notice's explanation to the households (reminding the CS supervisor when
it is late) and for an outage's restoration (alerting the duty manager when the expected time
passes with neither a revision nor "restored"); `remind`, from the tick."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from services.escalation.application.notice_ends import subject_ended
from services.escalation.domain import SYSTEM, Cause
from services.escalation.domain.notice_watch import (
    EXPLANATION,
    RESTORATION,
    NoticeWatch,
    notice_watch_id_for,
)
from shared.contracts import maintenance_events as ev
from shared.contracts.envelope import Envelope
from shared.kernel.maintenance import is_outage
from shared.kernel.sites import SiteConfig
from shared.kernel.vocabulary import Role

if TYPE_CHECKING:
    from services.escalation.application import EscalationApp

# who is told: the desk's supervisor owes the households the explanation; the duty manager
# answers for a supply that is not back (R10.7)
TOLD = {"explanation": Role.cs_supervisor.value, "restoration": Role.project_manager.value}


def _watch(app: EscalationApp, event: Envelope) -> NoticeWatch | None:
    return app.get(notice_watch_id_for(event.aggregate_id), NoticeWatch)


def announced(app: EscalationApp, event: ev.NoticeAnnouncedEvent, site: SiteConfig,
              cause: Cause) -> list[Any]:  # fmt: skip
    if _watch(app, event) is not None:
        return []
    data = event.data
    grace = site.maintenance.restoration_grace
    restore_by = data.expected_end + grace if is_outage(data.kind) else None
    return [
        NoticeWatch.open(
            site=event.site, notice_id=event.aggregate_id, notice_no=data.notice_no,
            kind=data.kind.value, explain_by=data.explain_by, restore_by=restore_by,
            at=event.recorded_at, cause=cause,
        )
    ]  # fmt: skip


def revised(app: EscalationApp, event: ev.RestorationRevisedEvent, site: SiteConfig,
            cause: Cause) -> list[Any]:  # fmt: skip
    """The households were told a new time: the watch awaits it, and the restoration's alert about
    the time it replaced is owed no more (`maintenance_revised`); the new time alerts again if it
    too passes."""
    watch = _watch(app, event)
    if watch is None or not is_outage(watch.kind):
        return []
    restore_by = event.data.expected_end + site.maintenance.restoration_grace
    watch.await_restoration(restore_by, event.recorded_at, cause)
    return [watch, *subject_ended(app, watch, "maintenance_revised", event, cause, RESTORATION)]


def explained(app: EscalationApp, event: ev.NoticeExplainedEvent, site: SiteConfig,
              cause: Cause) -> list[Any]:  # fmt: skip
    """The households were told afterwards (R7.10): the explanation's reminder, if it went out,
    is owed no more (`maintenance_explained`)."""
    watch = _watch(app, event)
    if watch is None:
        return []
    watch.explained(event.recorded_at, cause)
    return [watch, *subject_ended(app, watch, "maintenance_explained", event, cause, EXPLANATION)]


def ended(app: EscalationApp, event: ev.NoticeEndedEvent | ev.NoticeCancelledEvent,
          site: SiteConfig, cause: Cause) -> list[Any]:  # fmt: skip
    """Restored, done or cancelled: nothing more to restore, so the restoration's alert is owed no
    more (`maintenance_ended`); an emergency cancelled owes no explanation either, so nothing it
    told is owed (`maintenance_cancelled`), while one that happened still owes its explanation
    (R7.10), and its reminder stays owed (notice_ends.py)."""
    watch = _watch(app, event)
    if watch is None:
        return []
    watch.await_restoration(None, event.recorded_at, cause)
    if isinstance(event, ev.NoticeCancelledEvent):
        watch.explained(event.recorded_at, cause)
        return [watch, *subject_ended(app, watch, "maintenance_cancelled", event, cause)]
    return [watch, *subject_ended(app, watch, "maintenance_ended", event, cause, RESTORATION)]


def remind(watch: NoticeWatch, now: datetime) -> list[Any]:
    """What the watch owes at `now`, if anything, with the watch."""
    notices = watch.decide(now, TOLD, Cause(SYSTEM, str(watch.id), None))
    return [*notices, watch] if notices else []


def notice_decision(event: Any) -> dict[str, Any]:
    """A notice's reminder or alert, as the tick reports it: it names the notice."""
    what = "explanation" if isinstance(event, NoticeWatch.ExplanationDue) else "restoration"
    return {
        "event": DECIDED[type(event)],
        "ticket_id": str(event.notice_id),
        "ticket_no": event.notice_no,
        "subject": what,
    }


DECIDED = {
    NoticeWatch.ExplanationDue: "maintenance_explanation_due",
    NoticeWatch.RestorationOverdue: "maintenance_restoration_overdue",
}

NOTICE_REACTIONS = {
    ev.NoticeAnnouncedEvent: announced,
    ev.RestorationRevisedEvent: revised,
    ev.NoticeExplainedEvent: explained,
    ev.NoticeEndedEvent: ended,
    ev.NoticeCancelledEvent: ended,
}
