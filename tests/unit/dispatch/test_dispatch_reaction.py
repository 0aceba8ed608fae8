"""DispatchApp.apply: the tickets on DESK, and the work orders dispatch issues for them by policy
(every repair gets its order at once: R7.6, R7.12, R8.1), exactly once per stream sequence."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.dispatch.domain import TicketFile, WorkOrder
from shared.contracts.replies import ErrorCode
from shared.kernel.sites import SiteConfig, SiteDirectory
from shared.messaging.errors import DeskError
from shared.messaging.inbox import Delivery

LATER = timedelta(hours=1)
META = {"actor": "S017", "correlation_id": "corr-2", "causation_id": None}


def test_a_reported_repair_gets_one_automatic_work_order_at_once_R8_1(desk):
    ticket = desk.report(content="厨房水管爆管")
    order = desk.order(ticket)
    assert (order.origin, order.order_no, order.status) == (
        "automatic",
        "HBW-202611-0001-W1",
        "issued",
    )
    assert (order.department, order.urgency, order.scope) == ("engineering", "urgent", "household")
    assert (order.ticket_id, order.unit, order.content) == (ticket.id, "3-1201", "厨房水管爆管")
    assert desk.app.get(ticket.id, TicketFile).orders == [order.id]


def test_the_automatic_order_is_caused_by_the_ticket_reported_event(desk):
    ticket = desk.report()
    issued, *_ = desk.app.repository.event_store.get(desk.order(ticket).id)
    assert isinstance(issued, WorkOrder.Issued)
    assert (issued.actor, issued.correlation_id) == ("dispatch", "corr-1")
    assert issued.causation_id == str(desk.delivered[0].envelope.event_id)


@pytest.mark.parametrize(
    "sites",
    [SiteDirectory(strict=False, sites={"hbw": SiteConfig(routing={"plumbing": "cleaning"})})],
)
def test_the_automatic_order_goes_to_the_department_of_the_site_routing(desk):
    assert desk.order(desk.report(category="plumbing")).department == "cleaning"


def test_a_complaint_gets_no_work_order(desk):
    ticket = desk.report(kind="complaint", category=None, content="保安态度差")
    assert desk.order(ticket) is None
    assert desk.app.get(ticket.id, TicketFile).orders == []


def test_a_redelivered_message_changes_nothing(desk):
    ticket = desk.report()
    before, position = desk.recorded(), desk.app.position()
    ticket.classify(at=desk.app.clock.now(), meta=META, category="electrical")
    classified = desk.deliveries(ticket)
    desk.app.apply(classified)
    after = desk.recorded()
    desk.app.apply(classified)  # the same sequence again: acked too late, say
    assert desk.recorded() == after > before
    assert desk.app.position() == position + 1
    assert desk.app.get(ticket.id, TicketFile).version == 2 + 1  # noted, order added, reclassified


def test_a_redelivered_report_does_not_issue_a_second_order(desk):
    ticket = desk.report()
    first = desk.delivered[0]
    before = desk.recorded()
    desk.app.apply([first])
    assert desk.recorded() == before
    assert desk.order(ticket, 2) is None


def test_a_complaint_later_classified_as_repair_gets_its_order_then(desk, clock):
    ticket = desk.report(kind="complaint", category=None, content="卫生间天花板滴水")
    clock.advance(LATER)
    ticket.classify(at=clock.now(), meta=META, kind="repair", category="plumbing")
    desk.deliver(ticket)
    order = desk.order(ticket)
    assert (order.origin, order.order_no, order.category) == (
        "automatic",
        "HBW-202611-0001-W1",
        "plumbing",
    )
    assert order.created_on == clock.now()


def test_a_repair_reclassified_as_repair_keeps_its_single_order(desk):
    ticket = desk.report()
    ticket.classify(at=desk.app.clock.now(), meta=META, category="electrical")
    desk.deliver(ticket)
    assert desk.order(ticket, 2) is None


def _end(ticket, how: str, at) -> None:
    if how == "cancelled":
        ticket.cancel(at=at, meta=META, reason="withdrawn", note="业主撤回")
        return
    ticket.classify(at=at, meta=META, validity="communicative", communicative_type="venting")
    ticket.resolve(at=at, meta=META, resolution="已处理")  # classified first (R6.2)
    ticket.follow_up(at=at, meta=META, satisfied=True, score=5, comment=None)


@pytest.mark.parametrize("how", ["closed", "cancelled"])
def test_an_ended_ticket_cannot_get_a_manual_work_order(desk, how):
    ticket = desk.report(kind="complaint", category=None, content="垃圾没清")
    _end(ticket, how, desk.app.clock.now())
    desk.deliver(ticket)
    error = desk.rejected(desk.issue, ticket)
    assert error.code is ErrorCode.conflict and how in error.message


def test_a_reopened_ticket_can_get_a_manual_work_order_again(desk):
    ticket = desk.report(kind="complaint", category=None, content="垃圾没清")
    _end(ticket, "closed", desk.app.clock.now())
    ticket.reopen(at=desk.app.clock.now(), meta=META, reason="又没清")
    desk.deliver(ticket)
    reply = desk.issue(ticket, department="cleaning")
    assert (reply["order_no"], reply["department"]) == ("HBW-202611-0001-W1", "cleaning")


def test_the_position_moves_with_every_delivery_even_those_that_change_nothing(desk):
    ticket = desk.report(kind="complaint", category=None, content="楼上噪音")
    assert desk.app.position() == desk.seq == 1
    ticket.reveal_contact(at=desk.app.clock.now(), meta=META, purpose="回访")
    desk.deliver(ticket)  # ticket.contact_revealed: nothing for dispatch
    assert desk.app.position() == 2
    desk.app.apply([Delivery(3, None), Delivery(4, None)])  # not ours to read
    assert desk.app.position() == 4


def test_the_events_of_a_ticket_dispatch_never_saw_change_nothing(desk, make_ticket):
    ticket = make_ticket()
    ticket.collect_events()  # its report went by before dispatch started following DESK
    ticket.classify(at=desk.app.clock.now(), meta=META, category="electrical")
    before = desk.recorded()
    desk.deliver(ticket)
    assert desk.recorded() == before and desk.app.position() == desk.seq


@pytest.mark.parametrize("sites", [SiteDirectory(strict=True, sites={"hbw": SiteConfig()})])
def test_a_repair_of_a_site_not_served_here_is_passed_over(desk):
    try:
        desk.report(site="lgp")
    except DeskError:
        pytest.fail("one unserved site's repair blocks the whole stream")
    assert desk.app.position() == desk.seq


def test_dispatch_records_are_stamped_by_the_injected_clock(desk, clock):
    ticket = desk.report(kind="complaint", category=None, content="楼上噪音")
    clock.advance(LATER)
    ticket.classify(at=clock.now(), meta=META, category="noise")
    desk.deliver(ticket)
    assert desk.app.get(ticket.id, TicketFile).modified_on == clock.now()
