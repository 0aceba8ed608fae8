"""Fees and rework: quote before the work, never after (R8.5–R8.7, R7.14); rework under the
warranty is free and linked to the original order (R8.9)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from services.dispatch.domain import WorkOrder
from shared.contracts.replies import ErrorCode
from shared.kernel.sites import SiteConfig, SiteDirectory

FINISH = ("complete", "sign_off")


def fields_of(error) -> list[str]:
    return [f.field for f in error.fields]


def test_a_fee_without_an_accepted_quote_is_invalid_R8_5(desk):
    order_id = desk.order_in("arrived")
    error = desk.rejected(desk.do, "complete", order_id, fee=Decimal("50"))
    assert error.code is ErrorCode.invalid and fields_of(error) == ["fee"]


def test_a_quote_can_be_given_when_the_order_is_collected_before_dispatch_R7_14(desk):
    order_id = desk.order_in("collected")
    desk.do("quote", order_id, amount=Decimal("80.00"))
    assert desk.app.get(order_id, WorkOrder).quote["state"] == "pending"


def test_the_fee_of_quoted_work_is_the_accepted_quote_R8_5(desk):
    order_id = desk.order_in("arrived")
    desk.walk(order_id, "quote", "accept_quote")
    reply = desk.do("complete", order_id, fee=Decimal("120.00"))
    assert reply["status"] == "completed"
    assert desk.app.get(order_id, WorkOrder).fee == Decimal("120.00")


@pytest.mark.parametrize("fee", [Decimal("100"), Decimal("0"), Decimal("150")])
def test_a_fee_other_than_the_accepted_quote_is_invalid_R8_5(desk, fee):
    order_id = desk.order_in("arrived")
    desk.walk(order_id, "quote", "accept_quote")
    error = desk.rejected(desk.do, "complete", order_id, fee=fee)
    assert error.code is ErrorCode.invalid and fields_of(error) == ["fee"]


def test_accepting_a_quote_records_the_quoted_amount(desk):
    """R8.6: paid work has its price agreed, and the order carries the amount."""
    order_id = desk.order_in("arrived")
    desk.walk(order_id, "quote", "accept_quote")
    accepted = list(desk.app.repository.event_store.get(order_id))[-1]
    assert isinstance(accepted, WorkOrder.QuoteAccepted)
    assert accepted.amount == Decimal("120.00")


def test_a_pending_quote_blocks_completion_R8_5(desk):
    order_id = desk.order_in("arrived")
    desk.do("quote", order_id)
    error = desk.rejected(desk.do, "complete", order_id)
    assert error.code is ErrorCode.conflict and "accept the quote" in error.message


def test_a_declined_quote_ends_the_order_as_declined_R8_5(desk):
    order_id = desk.order_in("arrived")
    desk.do("quote", order_id)
    reply = desk.do("decline_quote", order_id)
    order = desk.app.get(order_id, WorkOrder)
    assert reply["status"] == order.status == "declined"
    assert (order.quote["state"], order.finished) == ("declined", True)


@pytest.mark.parametrize("answered", [(), ("accept_quote",)], ids=["pending", "accepted"])
def test_a_second_quote_while_one_stands_is_a_conflict(desk, answered):
    order_id = desk.order_in("arrived")
    desk.walk(order_id, "quote", *answered)
    error = desk.rejected(desk.do, "quote", order_id, amount=Decimal("200"))
    assert error.code is ErrorCode.conflict and "quoted" in error.message


@pytest.mark.parametrize("verb", ["accept_quote", "decline_quote"])
def test_answering_a_quote_that_was_never_given_is_a_conflict(desk, verb):
    error = desk.rejected(desk.do, verb, desk.order_in("arrived"))
    assert error.code is ErrorCode.conflict and "without a pending quote" in error.message


def test_the_warranty_runs_from_the_owners_signature_not_the_completion_R8_9(desk):
    """修理项目竣工以业主验收签字为准: signed 60 days after the work, reworked 120 days after the
    work and 60 after the signature, the rework is still free."""
    ticket = desk.report()
    original = desk.order(ticket)
    desk.walk(original.id, "collect", "assign", "arrive", "complete")
    desk.app.clock.advance(timedelta(days=60))
    desk.do("sign_off", original.id)
    desk.app.clock.advance(timedelta(days=60))
    reply = desk.do("rework", original.id)
    assert desk.app.get(UUID(reply["work_order_id"]), WorkOrder).free_of_charge is True


def test_a_leak_repairs_warranty_starts_when_it_is_signed_after_the_rain_R8_8_R8_9(desk):
    ticket = desk.report(content="顶层卧室屋面渗水, 下雨时滴水")
    original = desk.order(ticket)
    desk.walk(original.id, "collect", "assign", "arrive", "complete")
    desk.app.clock.advance(timedelta(days=40))
    desk.walk(original.id, "confirm_acceptance", "sign_off")
    desk.app.clock.advance(timedelta(days=91))
    reply = desk.do("rework", original.id)
    assert desk.app.get(UUID(reply["work_order_id"]), WorkOrder).free_of_charge is False


def _rework(desk, *, after: timedelta, finish: tuple[str, ...] = FINISH):
    """Finish a repair's order, let `after` pass since its signature, and ask for rework."""
    ticket = desk.report()
    original = desk.order(ticket)
    desk.walk(original.id, "collect", "assign", "arrive", *finish)
    desk.app.clock.advance(after)
    reply = desk.do("rework", original.id)
    return original, desk.app.get(UUID(reply["work_order_id"]), WorkOrder), reply


def test_rework_within_the_warranty_is_free_and_linked_to_the_original_R8_9(desk):
    original, rework, reply = _rework(desk, after=timedelta(days=60))
    assert (rework.origin, rework.rework_of, rework.free_of_charge) == ("rework", original.id, True)
    assert reply["order_no"] == rework.order_no == "HBW-202611-0001-W2"
    assert (rework.department, rework.urgency, rework.scope, rework.status) == (
        original.department, original.urgency, original.scope, "issued",
    )  # fmt: skip


def test_rework_on_the_last_day_of_the_warranty_is_still_free_R8_9(desk):
    assert _rework(desk, after=timedelta(days=90))[1].free_of_charge is True


def test_rework_of_a_returned_order_is_allowed_R8_9(desk):
    _, rework, _ = _rework(desk, after=timedelta(days=1), finish=(*FINISH, "return"))
    assert rework.free_of_charge is True


def test_rework_after_the_warranty_is_not_free_R8_9(desk):
    original, rework, _ = _rework(desk, after=timedelta(days=91))
    assert (rework.rework_of, rework.free_of_charge) == (original.id, False)


@pytest.mark.parametrize(
    "sites", [SiteDirectory(strict=False, sites={"hbw": SiteConfig(warranty_days=30)})]
)
def test_a_site_may_set_a_shorter_warranty(desk):
    assert _rework(desk, after=timedelta(days=31))[1].free_of_charge is False


def test_free_rework_cannot_be_quoted_R8_9(desk):
    _, rework, _ = _rework(desk, after=timedelta(days=10))
    desk.do("collect", rework.id)
    error = desk.rejected(desk.do, "quote", rework.id)
    assert error.code is ErrorCode.invalid and fields_of(error) == ["amount"]


def test_free_rework_cannot_charge_a_fee_R8_9(desk):
    _, rework, _ = _rework(desk, after=timedelta(days=10))
    desk.walk(rework.id, "collect", "assign", "arrive")
    error = desk.rejected(desk.do, "complete", rework.id, fee=Decimal("30"))
    assert error.code is ErrorCode.invalid and fields_of(error) == ["fee"]


def test_paid_rework_after_the_warranty_can_be_quoted_R8_9(desk):
    _, rework, _ = _rework(desk, after=timedelta(days=120))
    desk.walk(rework.id, "collect", "quote", "accept_quote")
    assert desk.app.get(rework.id, WorkOrder).quote["state"] == "accepted"
