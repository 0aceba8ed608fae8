"""What escalation does when an emergency event opens or closes (R16.5, R10.7, R15.14;
docs/INCIDENTS.md): it tells security and the duty manager at once, whatever the hour (the
24-hour line: no office-hours clock applies), and watches for the follow-up, reminding the duty
manager when it is overdue (`remind`, from the tick). Its close ends the notices still owed
(notice_ends.py, R6.3): `incident_closed`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from services.escalation.application.notice_ends import subject_ended
from services.escalation.domain import SYSTEM, Cause, IncidentWatch, watch_id_for
from shared.contracts import incident_events
from shared.kernel.incidents import ALERTED
from shared.kernel.sites import SiteConfig
from shared.kernel.vocabulary import Role

if TYPE_CHECKING:
    from services.escalation.application import EscalationApp

REMINDED = Role.project_manager  # the duty manager answers for the follow-up


def opened(app: EscalationApp, event: incident_events.IncidentOpenedEvent, site: SiteConfig,
           cause: Cause) -> list[Any]:  # fmt: skip
    if app.get(watch_id_for(event.aggregate_id), IncidentWatch) is not None:
        return []  # a repeat: told already
    data = event.data
    watch = IncidentWatch.open(
        site=event.site,
        incident_id=event.aggregate_id,
        incident_no=data.incident_no,
        kind=data.kind.value,
        place=data.place,
        occurred_at=data.occurred_at,
        follow_up_due=event.recorded_at + site.incidents.follow_up_within,
        at=event.recorded_at,
        cause=cause,
    )
    told = [(role.value, department.value if department else None) for role, department in ALERTED]
    notices = watch.alert(told, event.recorded_at, cause)
    return [watch, *notices]


def closed(app: EscalationApp, event: incident_events.IncidentClosedEvent, site: SiteConfig,
           cause: Cause) -> list[Any]:  # fmt: skip
    watch = app.get(watch_id_for(event.aggregate_id), IncidentWatch)
    if watch is None:
        return []
    watch.close(event.occurred_at, cause)
    return [watch, *subject_ended(app, watch, "incident_closed", event, cause)]


def remind(watch: IncidentWatch, now: datetime) -> list[Any]:
    """The reminder the watch owes at `now`, if any, with the watch."""
    notices = watch.decide(now, REMINDED.value, Cause(SYSTEM, str(watch.id), None))
    return [*notices, watch] if notices else []
