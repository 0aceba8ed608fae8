"""A repair call about an announced outage (维修通告, R7.10, R16.6; docs/OUTAGES.md): the notice
already answers it — the cut is known, its work under way, its expected restoration time
announced (S1:120) — so the call is an inquiry answered from the notice, not a new urgent repair
(R7.1's 停水, 停电) with a work order of its own. No I/O."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from services.intake.domain.maintenance_notice import MaintenanceNotice
from services.intake.domain.ticket import Ticket
from shared.kernel.maintenance import NoticeStatus, is_outage, only_the_outage
from shared.kernel.vocabulary import Kind


def still_running(notice: MaintenanceNotice, at: datetime) -> bool:
    """An outage in force at `at`: announced by then, started, not restored nor cancelled, and
    not past its expected restoration (the latest the households were told). Past it, the time
    announced was not kept, and a call is news again (R16.6)."""
    return (
        is_outage(notice.kind)
        and notice.in_force
        and notice.announced_at <= at
        and notice.starts_at <= at < notice.expected_end
    )


def answering_notice(
    notices: Iterable[MaintenanceNotice], *, kind: str, content: str, at: datetime
) -> MaintenanceNotice | None:
    """The notice that answers a contact received at `at` on its own, if any: of `notices` (those
    the matching rule links it to), the first outage still running whose cut is all the caller
    reports (`only_the_outage`). Only a repair is answered so; a call that also reports another
    R7.1 fault (a burst pipe, someone trapped), an outage not announced, or one overrunning its
    restoration time stays a repair and gets its work order (R7.1, R7.3)."""
    if kind != Kind.repair:
        return None
    return next(
        (n for n in notices if still_running(n, at) and only_the_outage(n.kind, content)), None
    )


def settled_by_its_end(notice: MaintenanceNotice, ticket: Ticket) -> bool:
    """A call the notice answered (`answering_notice`) is resolved when the outage ends with the
    supply back or the work done: the caller was told when it would be, and now it is, so
    nothing is left to do but the follow-up call (回访) that asks whether it is (R11.1). A call
    the desk has since answered otherwise — reclassified, resolved, closed or cancelled — keeps
    what it has; a notice cancelled settles nothing (docs/OUTAGES.md)."""
    return (
        notice.status in (NoticeStatus.restored, NoticeStatus.done)
        and ticket.answered_by_notice == notice.notice_no
        and ticket.kind == Kind.inquiry
        and ticket.is_open
    )
