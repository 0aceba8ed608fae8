"""Maintenance and outage notices as published (maintenance.*, docs/OUTAGES.md): the scope is
places, free text (the households' text, an explanation, a reason) masked for anything that looks
like personal data; the site's board of notices is intake's own (never published)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.intake.domain import MaintenanceNotice
from shared.contracts import maintenance_events as ev
from shared.contracts.envelope import Envelope
from shared.contracts.maintenance_commands import NoticeScope
from shared.messaging.publishing import envelope, mask


def maintenance_envelope(event: MaintenanceNotice.Event) -> Envelope | None:
    build = _BUILDERS.get(type(event))
    if build is None:
        return None
    published, data, occurred_at = build(event)
    return envelope(event, published.type_name(), data, occurred_at)


def _announced(e: Any) -> tuple:
    data = ev.NoticeAnnounced(
        notice_no=e.notice_no,
        client_ref=e.client_ref,
        kind=e.kind,
        planned=e.planned,
        scope=NoticeScope.model_validate(e.scope),
        categories=e.categories,
        starts_at=e.starts_at,
        expected_end=e.expected_end,
        announced_at=e.announced_at,
        late=e.late,
        explain_by=e.explain_by,
        text=mask(e.text) or "",
    )
    return ev.NoticeAnnouncedEvent, data, e.announced_at


def _revised(e: Any) -> tuple:
    data = ev.RestorationRevised(
        expected_end=e.expected_end, previous_end=e.previous_end, reason=mask(e.reason) or ""
    )
    return ev.RestorationRevisedEvent, data, None


def _explained(e: Any) -> tuple:
    data = ev.NoticeExplained(explanation=mask(e.explanation) or "", explained_at=e.timestamp)
    return ev.NoticeExplainedEvent, data, None


def _ended(e: Any) -> tuple:
    data = ev.NoticeEnded(outcome=e.outcome, ended_at=e.ended_at, note=mask(e.note))
    return ev.NoticeEndedEvent, data, e.ended_at


def _cancelled(e: Any) -> tuple:
    return ev.NoticeCancelledEvent, ev.NoticeCancelled(reason=mask(e.reason) or ""), None


def _linked(e: Any) -> tuple:
    data = ev.NoticeContactLinked(ticket_id=e.ticket_id, ticket_no=e.ticket_no, by=e.by)
    return ev.NoticeContactLinkedEvent, data, None


def _unlinked(e: Any) -> tuple:
    data = ev.NoticeContactUnlinked(
        ticket_id=e.ticket_id, ticket_no=e.ticket_no, reason=mask(e.reason) or ""
    )
    return ev.NoticeContactUnlinkedEvent, data, None


_BUILDERS: dict[type, Callable[[Any], tuple]] = {
    MaintenanceNotice.Announced: _announced,
    MaintenanceNotice.Revised: _revised,
    MaintenanceNotice.Explained: _explained,
    MaintenanceNotice.Ended: _ended,
    MaintenanceNotice.Cancelled: _cancelled,
    MaintenanceNotice.ContactLinked: _linked,
    MaintenanceNotice.ContactUnlinked: _unlinked,
}
