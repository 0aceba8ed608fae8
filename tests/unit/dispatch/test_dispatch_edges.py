"""Edges found in review: rework of an ended ticket, overrides that change nothing, routing to a
department that does not exist, and how the view shows referrals and many orders."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.dispatch.adapters.translate import translate
from services.reporting.projections.work_orders import evolve_order
from services.reporting.views.tickets import TicketView
from shared.contracts import dispatch_commands
from shared.contracts.replies import ErrorCode
from shared.kernel.sites import SiteDirectory
from shared.messaging.inbox import Delivery


def test_rework_of_an_order_whose_ticket_was_closed_waits_for_the_ticket_to_reopen(desk):
    ticket = desk.report()
    order_id = desk.order(ticket).id
    desk.walk(order_id, "collect", "assign", "arrive", "complete", "sign_off")
    ticket.resolve(at=ticket.modified_on, meta=_meta(), resolution="done")
    ticket.follow_up(at=ticket.modified_on, meta=_meta(), satisfied=True, score=5, comment=None)
    desk.deliver(ticket)

    refused = desk.rejected(desk.do, "rework", order_id, reason="又漏了")

    assert refused.code is ErrorCode.conflict
    assert "closed" in refused.message


def test_an_override_must_change_urgency_or_scope():
    with pytest.raises(ValidationError, match="urgency or scope"):
        dispatch_commands.OverrideClassification.model_validate(
            {"staff_id": "S1", "work_order_id": "6eb79cef-3d22-5d13-9c6b-cb0aca089d27",
             "reason": "no change"}
        )  # fmt: skip


def test_a_site_cannot_route_work_to_a_department_that_does_not_exist():
    with pytest.raises(ValidationError, match="routing"):
        SiteDirectory.model_validate({"sites": {"hbw": {"routing": {"noise": "police"}}}})


def test_the_view_shows_where_a_referred_order_went(desk, tmp_path):
    ticket = desk.report()
    order_id = desk.order(ticket).id
    desk.do("refer", order_id, reason="业主自行装修范围")
    events = [
        desk.app.mapper.to_domain_event(n) for n in desk.app.recorder.select_notifications(1, 100)
    ]
    from services.dispatch.adapters.translate import translate

    state = None
    for envelope in filter(None, map(translate, events)):
        state = (
            evolve_order(state, envelope) if str(envelope.aggregate_id) == str(order_id) else state
        )
    assert state is not None
    assert (state["status"], state["referred_to"]) == ("referred", "property_business")


def test_a_ticket_with_ten_orders_lists_them_in_number_order(desk, tmp_path):
    ticket = desk.report()
    for _ in range(10):
        desk.issue(ticket)
    view = TicketView(str(tmp_path / "view.db"))
    stream = [d.envelope for d in desk.delivered] + published(desk)
    view.apply([Delivery(seq, envelope) for seq, envelope in enumerate(stream, start=1)])

    shown = view.get("hbw", ticket_id=str(ticket.id))

    numbers = [o["order_no"].rsplit("-W", 1)[1] for o in shown["work_orders"]]
    assert numbers == [str(n) for n in range(1, 12)]


def published(desk) -> list:
    """What dispatch's relay would publish: its store's events, translated."""
    notifications = desk.app.recorder.select_notifications(1, 10_000)
    events = (translate(desk.app.mapper.to_domain_event(n)) for n in notifications)
    return [e for e in events if e is not None]


def _meta() -> dict:
    return {"actor": "S1", "correlation_id": "c", "causation_id": None}
