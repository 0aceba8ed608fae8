"""services.dispatch.adapters.translate: every work-order event becomes a published contract that
the bus's own parser accepts; dispatch's private records stay private; free text loses phone numbers
(docs/DOMAIN.md §9)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from services.dispatch.adapters.translate import PUBLISHED, translate
from services.dispatch.domain import TicketFile, WorkOrder
from shared.contracts.events import parse_event
from shared.eventstore.desk_app import CommandReceipt
from shared.messaging.subjects import subject_of

PHONE = "13800138000"
SAY = f"业主电话{PHONE}"  # free text with a phone number in it
# domain event -> the name it is published under, after `workorder.`
EVENT_NAMES = {kind: env.type_name().removeprefix("workorder.") for kind, env in PUBLISHED.items()}


@pytest.fixture
def story(desk, clock) -> list[object]:
    """Every kind of event dispatch records, read back from its store in order."""
    window = {"start": clock.now() + timedelta(days=1), "end": clock.now() + timedelta(days=2)}
    ticket = desk.report(content="顶层屋面渗水", appointment=window)
    first = desk.order(ticket).id
    desk.do("override", first, urgency="urgent", reason=f"{SAY} 家有老人", command_id="c-1")
    desk.walk(first, "collect", "assign", "arrive")
    desk.do("reschedule", first, reason=f"{SAY} 不在家", appointment=window)
    desk.do("arrive", first)
    desk.do("quote", first, amount=Decimal("120.50"), items=f"防水涂料 {SAY}")
    desk.do("accept_quote", first)
    clock.advance(timedelta(hours=3))
    desk.do("complete", first, notes=SAY, actual_item=f"屋面防水 {SAY}", fee=Decimal("120.50"))
    desk.do("confirm_acceptance", first, note=f"雨后不漏 {SAY}")
    desk.do("sign_off", first, comment=f"很好 {SAY}")
    desk.do("return", first)
    second = desk.issue(ticket, reason=f"{SAY} 要求另派")["work_order_id"]
    desk.walk(second, "collect", "quote")
    desk.do("decline_quote", second, reason=f"{SAY} 嫌贵")
    third = desk.issue(ticket, reason="外墙另查")["work_order_id"]
    desk.do("refer", third, reason=f"{SAY} 属开发商保修")
    fourth = desk.issue(ticket, reason="重复派单")["work_order_id"]
    desk.do("cancel", fourth, reason=f"{SAY} 重复派单")
    app = desk.app
    return [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 1000)]


def first_of(story: list[object], kind: type) -> object:
    return next(event for event in story if type(event) is kind)


def test_the_story_holds_every_work_order_event(story):
    assert {type(e) for e in story if isinstance(e, WorkOrder.Event)} == set(EVENT_NAMES)


@pytest.mark.parametrize("kind", list(EVENT_NAMES), ids=lambda k: k.__name__)
def test_a_work_order_event_round_trips_through_the_bus_parser(story, kind):
    published = translate(first_of(story, kind))
    assert published is not None
    assert parse_event(published.model_dump_json()) == published


@pytest.mark.parametrize("kind", list(EVENT_NAMES), ids=lambda k: k.__name__)
def test_a_work_order_envelope_names_its_order_version_and_causes(story, kind):
    event = first_of(story, kind)
    published = translate(event)
    assert published.event_type == f"workorder.{EVENT_NAMES[kind]}"
    assert subject_of(published) == f"desk.evt.hbw.workorder.{EVENT_NAMES[kind]}"
    assert (published.aggregate_id, published.aggregate_version) == (
        event.originator_id, event.originator_version,
    )  # fmt: skip
    assert (published.actor, published.causation_id) == (event.actor, event.causation_id)
    assert published.occurred_at == published.recorded_at == event.timestamp


def test_translating_the_same_event_twice_gives_the_same_event_id(story):
    event = first_of(story, WorkOrder.Completed)
    assert translate(event).event_id == translate(event).event_id


@pytest.mark.parametrize(
    "kind",
    [TicketFile.Noted, TicketFile.OrderAdded, CommandReceipt.Recorded],
    ids=lambda k: k.__qualname__,
)
def test_ticket_files_and_command_receipts_are_not_published(story, kind):
    assert translate(first_of(story, kind)) is None


def test_only_work_order_events_are_published(story):
    for event in story:
        assert (translate(event) is None) is (not isinstance(event, WorkOrder.Event))


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        (WorkOrder.Overridden, "reason"),
        (WorkOrder.Rescheduled, "reason"),
        (WorkOrder.Quoted, "items"),
        (WorkOrder.Completed, "notes"),
        (WorkOrder.Completed, "actual_item"),
        (WorkOrder.AcceptanceConfirmed, "note"),
        (WorkOrder.SignedOff, "comment"),
        (WorkOrder.QuoteDeclined, "reason"),
        (WorkOrder.Referred, "reason"),
    ],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_free_text_is_published_without_phone_numbers(story, kind, field):
    event = first_of(story, kind)
    assert PHONE in getattr(event, field)  # dispatch keeps what staff typed
    text = getattr(translate(event).data, field)
    assert PHONE not in text and "***" in text


def test_the_reason_of_a_manual_order_is_published_without_phone_numbers(story):
    manual = next(e for e in story if type(e) is WorkOrder.Issued and e.origin == "manual")
    assert translate(manual).data.reason == "业主电话*** 要求另派"


def test_an_issued_order_carries_the_tickets_appointment_and_its_leak_flag(story):
    data = translate(first_of(story, WorkOrder.Issued)).data
    assert (data.origin, data.leak, data.free_of_charge, data.rework_of) == (
        "automatic", True, False, None,
    )  # fmt: skip
    assert data.appointment.end - data.appointment.start == timedelta(days=1)
