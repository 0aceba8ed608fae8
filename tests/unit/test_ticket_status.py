"""A ticket's status is derived in one place (projections/tickets.py STATUS_AFTER): the ticket view
and the analytics facts say what intake's Ticket aggregate says, whatever the order of events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.reporting.projections.tickets import STATUS_AFTER, TICKETS
from services.reporting.views.analytics import AnalyticsView
from shared.kernel.sites import SiteDirectory
from shared.kernel.vocabulary import TicketStatus
from shared.messaging.inbox import Delivery

AT = datetime(2026, 11, 10, 6, 0, tzinfo=UTC)
META = {"actor": "S030", "correlation_id": "corr-3", "causation_id": None}


def _statuses(tmp_path, ticket, translate) -> tuple[str, str, str]:
    """(intake's, the ticket view's, the analytics facts') status of `ticket`."""
    published = [translate(ev) for ev in ticket.collect_events()]
    view = AnalyticsView(str(tmp_path / "analytics.sqlite3"), SiteDirectory(strict=False))
    try:
        view.apply([Delivery(seq, ev) for seq, ev in enumerate(published, start=1)])
        (fact,) = view.rows("SELECT status FROM ticket_facts")
    finally:
        view.close()
    ticket_view = TICKETS.fold(published)
    assert ticket_view is not None
    return ticket.status.value, ticket_view["status"], fact["status"]


def test_a_reopened_ticket_classified_again_is_classified_everywhere(
    tmp_path, make_ticket, translate
) -> None:
    ticket = make_ticket(kind="complaint", category="noise")
    ticket.classify(at=AT, meta=META, validity="valid", severity="important")
    ticket.accept_solution(at=AT, meta=META, solution="约谈装修单位")  # R6.9
    ticket.resolve(at=AT + timedelta(hours=1), meta=META, resolution="已处理")
    later = AT + timedelta(hours=2)
    ticket.follow_up(at=later, meta=META, satisfied=False, score=2, comment="没处理好")
    assert ticket.status == TicketStatus.reopened
    ticket.classify(at=later, meta=META, validity="valid", severity="major")
    assert _statuses(tmp_path, ticket, translate) == ("classified",) * 3


def test_a_closed_ticket_has_the_same_status_everywhere(tmp_path, make_ticket, translate) -> None:
    ticket = make_ticket()
    ticket.resolve(at=AT, meta=META, resolution="已修好")
    ticket.follow_up(at=AT, meta=META, satisfied=True, score=5, comment=None)
    assert _statuses(tmp_path, ticket, translate) == ("closed",) * 3


def test_every_status_is_reached_by_some_event() -> None:
    assert set(STATUS_AFTER.values()) == set(TicketStatus)
