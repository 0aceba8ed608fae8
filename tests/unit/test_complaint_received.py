"""A valid complaint goes at once (立即) to the CS assistant of the customer's zone (R6.3, R1.3):
escalation tells cs_assistant, naming the ticket's zone, when a complaint is received — reported
as one, or classified or corrected into one later — once per ticket, whatever is delivered or
classified again; a repair, a communicative complaint (R5.6) or a ticket cancelled first tells
nobody."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

from services.escalation.application import EscalationApp
from shared.contracts.events import EVENT_TYPES
from shared.kernel.clock import FixedClock
from shared.messaging.inbox import Delivery
from tests.unit.test_escalation_application import T0, TICKET, Feed, app_on, reported
from tests.unit.test_escalation_promises import notices

LATER = T0 + timedelta(hours=1)


def classified(feed: Feed, at: Any = LATER, **overrides: Any) -> None:
    data = {"kind": "complaint", "category": "noise", "help_category": None, "validity": "valid",
            "communicative_type": None, "severity": "minor"} | overrides  # fmt: skip
    feed("ticket.classified", TICKET, at, **data)


def received(app: EscalationApp) -> list[tuple[str, str | None, Any]]:
    """(role, zone, due_at) of each complaint_received notification."""
    return [
        (n.role.value, n.zone, n.due_at) for n in notices(app) if n.reason == "complaint_received"
    ]


def on_a_clock() -> tuple[FixedClock, EscalationApp, Feed]:
    clock = FixedClock(T0)
    app = app_on(clock)
    return clock, app, Feed(app)


def test_a_complaint_reported_is_told_at_once_to_its_zones_cs_assistant_R6_3_R1_3():
    _, app, feed = on_a_clock()
    reported(feed, kind="complaint", category="noise", zone="A区", schema_version=2)
    decided = app.tick()  # at receipt: nothing else is due yet
    assert received(app) == [("cs_assistant", "A区", T0)]
    assert [(d["event"], d["subject"]) for d in decided] == [
        ("complaint_received", "received:cs_assistant")
    ]
    assert app.tick() == []  # told once


def test_a_complaint_with_no_zone_tells_every_cs_assistant_R6_3():
    _, app, feed = on_a_clock()
    reported(feed, kind="complaint", category="noise")  # a schema-1 report: no zone
    app.tick()
    assert received(app) == [("cs_assistant", None, T0)]


def test_a_repair_classified_into_a_complaint_is_told_when_classified_R6_2_R6_3():
    clock, app, feed = on_a_clock()
    reported(feed, zone="B区", schema_version=2)
    app.tick()
    assert received(app) == []  # a repair tells her nothing
    clock.set(LATER)
    classified(feed)
    classified(feed, at=LATER + timedelta(minutes=5))  # classified again: nothing new
    app.tick()
    assert received(app) == [("cs_assistant", "B区", LATER)]


def test_a_repair_tells_her_nothing():
    clock, app, feed = on_a_clock()
    reported(feed, zone="A区", schema_version=2)
    clock.set(LATER)
    app.tick()
    assert received(app) == []


def test_the_same_event_delivered_twice_tells_her_once_R6_3():
    _, app, _ = on_a_clock()
    data = {"ticket_no": "HBW-202611-0001", "client_ref": "r-1", "channel": "phone",
            "kind": "complaint", "category": "noise", "help_category": None, "unit": "3-201",
            "content": "楼上噪音", "received_at": T0, "appointment": None,
            "zone": "A区"}  # fmt: skip
    event = EVENT_TYPES["ticket.reported"].model_validate(
        {"event_id": uuid4(), "event_type": "ticket.reported", "schema_version": 2,
         "site": "hbw", "aggregate_id": TICKET, "aggregate_version": 1, "occurred_at": T0,
         "recorded_at": T0, "correlation_id": "corr-1", "causation_id": None, "actor": "S01",
         "data": data}
    )  # fmt: skip
    app.apply([Delivery(1, event)])
    app.tick()
    app.apply([Delivery(1, event)])  # redelivered: the same position
    app.apply([Delivery(2, event)])  # published again: a later position
    app.tick()
    assert received(app) == [("cs_assistant", "A区", T0)]


def test_a_complaint_reclassified_communicative_before_she_is_told_tells_nobody_R5_6():
    clock, app, feed = on_a_clock()
    reported(feed, kind="complaint", category="noise", zone="A区", schema_version=2)
    classified(feed, at=T0, validity="communicative", communicative_type="venting")
    clock.set(LATER)
    app.tick()
    assert received(app) == []
    classified(feed)  # corrected back to valid: on the ladder again, and told now
    app.tick()
    assert received(app) == [("cs_assistant", "A区", T0)]


def test_a_complaint_cancelled_before_she_is_told_tells_nobody():
    clock, app, feed = on_a_clock()
    reported(feed, kind="complaint", category="noise", zone="A区", schema_version=2)
    feed("ticket.cancelled", TICKET, T0, reason="duplicate", note=None,
         duplicate_of=uuid4(), schema_version=2)  # fmt: skip
    clock.set(LATER)
    app.tick()
    assert received(app) == []


def test_her_notice_stays_when_the_complaint_is_reclassified_after_R6_3():
    """Told is told: reclassified as a repair afterwards, the notice stays for her to acknowledge
    (docs/NOTIFICATIONS.md), and reclassified a complaint again tells her nothing new."""
    clock, app, feed = on_a_clock()
    reported(feed, kind="complaint", category="noise", zone="A区", schema_version=2)
    app.tick()
    clock.set(LATER)
    classified(feed, kind="repair", category="plumbing", validity=None, severity=None)
    classified(feed, at=LATER + timedelta(minutes=5))
    app.tick()
    assert received(app) == [("cs_assistant", "A区", T0)]
