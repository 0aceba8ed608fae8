"""A site's notices, answered from intake's own records (maintenance.list, R16.6): those in force
for the desk's intake form (so the receptionist can tell a caller the restoration time) and the
recent ones for the 维修通告 page. Free text is masked like everything that leaves intake."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.intake.domain import MaintenanceNotice, NoticeBoard
from shared.contracts.maintenance_commands import (
    ListMaintenanceNotices,
    MaintenanceNoticesReply,
    NoticeRow,
    NoticeScope,
)
from shared.messaging.publishing import mask

if TYPE_CHECKING:
    from services.intake.application import IntakeApp


def list_notices(
    app: IntakeApp, site: str, query: ListMaintenanceNotices
) -> MaintenanceNoticesReply:
    app.site_config(site)
    board = app.get(NoticeBoard.id_for(site), NoticeBoard)
    if board is None:
        return MaintenanceNoticesReply(notices=[])
    ids = board.active if query.active else board.notices
    rows = []
    for notice_id in reversed(ids[-query.limit :]):
        notice = app.get(notice_id, MaintenanceNotice)
        if notice is not None:
            rows.append(_row(notice))
    return MaintenanceNoticesReply(notices=rows)


def _row(n: MaintenanceNotice) -> NoticeRow:
    return NoticeRow(
        notice_id=str(n.id),
        notice_no=n.notice_no,
        kind=n.kind,
        planned=n.planned,
        status=n.status,
        scope=NoticeScope.model_validate(n.scope),
        starts_at=n.starts_at.isoformat(),
        expected_end=n.expected_end.isoformat(),
        announced_at=n.announced_at.isoformat(),
        late=n.late,
        text=mask(n.text) or "",
        explanation=mask(n.explanation),
        revisions=n.revisions,
        ended_at=n.ended_at.isoformat() if n.ended_at else None,
        linked=sorted(n.linked.values()),
    )
