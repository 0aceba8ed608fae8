"""A notice is owed until it is acknowledged or what it is about ends (R6.3;
docs/NOTIFICATIONS.md): a ticket resolved, closed or cancelled ends every notice its board still
owes, a complaint taken off the ladder ends the complaint's; each says why, as a code
(`Notice.settled`, what the notification channel asks before each send; an end stored as a text
reads as its code), stays acknowledgeable, and sends no new notification (its end is published:
test_notification_ended.py; other subjects' ends: test_subject_notice_ends.py)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from services.escalation.adapters.translate import translate
from services.escalation.application import EscalationApp
from services.escalation.domain import Cause, Notice
from services.escalation.domain.notice import ACKNOWLEDGED
from shared.kernel.clock import FixedClock
from tests.unit.test_complaint_received import LATER, classified, on_a_clock
from tests.unit.test_escalation_application import T0, TICKET, Feed, app_on, reported
from tests.unit.test_escalation_promises import notices


def stored(app: EscalationApp) -> list[Any]:
    return [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 1000)]


def settled(app: EscalationApp) -> dict[str, str | None]:
    """Each notification's reason → why it is sent no more (None: owed)."""
    return {n.reason: _notice(app, n.notification_id).settled() for n in notices(app)}


def _notice(app: EscalationApp, notification_id: UUID) -> Notice:
    return app.get(notification_id, Notice)


def a_complaint_told(zone: str = "A区") -> tuple[FixedClock, EscalationApp, Feed]:
    clock, app, feed = on_a_clock()
    reported(feed, kind="complaint", category="noise", zone=zone, schema_version=2)
    app.tick()  # complaint_received, to the zone's CS assistant (R6.3)
    return clock, app, feed


def test_a_complaint_cancelled_after_she_was_told_ends_her_notice_R6_3():
    clock, app, feed = a_complaint_told()
    assert settled(app) == {"complaint_received": None}
    published = len(notices(app))
    clock.set(LATER)
    feed("ticket.cancelled", TICKET, LATER, reason="withdrawn", note=None, duplicate_of=None,
         schema_version=2)  # fmt: skip
    assert settled(app) == {"complaint_received": "cancelled"}
    assert len(notices(app)) == published  # no new notification: listed as it was


def test_a_complaint_closed_ends_her_notice_and_it_may_still_be_acknowledged_R6_3():
    _, app, feed = a_complaint_told()
    feed("ticket.closed", TICKET, LATER, reason="satisfied_follow_up")
    (note,) = notices(app)
    notice = _notice(app, note.notification_id)
    assert notice.settled() == "closed"
    notice.acknowledge("S02", "corr-2", None, None, LATER)  # her 签收, late: still taken
    assert notice.settled() == ACKNOWLEDGED


def test_a_complaint_reclassified_communicative_ends_the_complaints_notices_R5_6_R6_3():
    clock, app, feed = a_complaint_told()
    clock.set(LATER)
    classified(feed, validity="communicative", communicative_type="venting")
    assert settled(app) == {"complaint_received": "left_ladder"}
    (note,) = notices(app)
    (ended,) = [e for e in stored(app) if isinstance(e, Notice.Ended)]
    assert ended.originator_id == note.notification_id
    assert ended.reason == "communicative complaint (R5.6)"  # the ladder's, beside the code


def test_a_complaint_classified_again_on_the_ladder_keeps_her_notice_owed_R6_3():
    _, app, feed = a_complaint_told()
    classified(feed, severity="minor")
    assert settled(app) == {"complaint_received": None}


def test_a_breach_ends_with_its_tickets_resolution_and_the_follow_ups_breach_is_owed_R10_2():
    clock, app, feed = on_a_clock()
    reported(feed)  # a repair: its work order is due in minutes
    clock.set(T0 + timedelta(hours=1))
    app.tick()
    assert settled(app) == {"clock_breached": None}  # still open: owed
    feed("ticket.resolved", TICKET, clock.now(), resolution="修好")
    (late_order,) = notices(app)
    assert _notice(app, late_order.notification_id).settled() == "resolved"
    clock.set(T0 + timedelta(days=10))
    app.tick()  # the follow-up call is late: raised after the resolution, owed
    owed = [n for n in notices(app) if n.clock == "follow_up"]
    assert [_notice(app, n.notification_id).settled() for n in owed] == [None]
    feed("ticket.closed", TICKET, clock.now(), reason="satisfied_follow_up")
    assert [_notice(app, n.notification_id).settled() for n in owed] == ["closed"]
    assert _notice(app, late_order.notification_id).settled() == "resolved"  # once


def test_an_acknowledged_notice_is_not_ended():
    _, app, feed = a_complaint_told()
    (note,) = notices(app)
    notice = _notice(app, note.notification_id)
    notice.acknowledge("S02", "corr-2", None, None, LATER)
    app.save(notice)
    feed("ticket.cancelled", TICKET, LATER, reason="withdrawn", note=None, duplicate_of=None,
         schema_version=2)  # fmt: skip
    notice = _notice(app, note.notification_id)
    assert notice.settled() == ACKNOWLEDGED
    assert not notice.end("cancelled", LATER, Cause("escalation", "corr-1", None))


def _as_version_1(event: StoredEvent, text: str) -> StoredEvent:
    """A `Notice.Ended` as stored before it recorded a code: its why a text, no reason."""
    state = json.loads(event.state)
    state["why"] = text
    del state["reason"], state["class_version"]
    return StoredEvent(event.originator_id, event.originator_version, event.topic,
                       json.dumps(state).encode())  # fmt: skip


def test_an_end_stored_as_a_text_reads_as_its_code_and_publishes_it_R6_3_R5_6():
    for text, code, reason in (
        ("left the ladder: communicative complaint (R5.6)", "left_ladder",
         "communicative complaint (R5.6)"),
        ("ticket cancelled", "cancelled", None),
    ):  # fmt: skip
        clock, app, feed = a_complaint_told()
        classified(feed, validity="communicative", communicative_type="venting")
        (note,) = notices(app)
        old = []
        for event in app.recorder.select_notifications(1, 1000):
            ended = event.topic == get_topic(Notice.Ended)
            old.append(_as_version_1(event, text) if ended else event)
        assert sum(b"class_version" not in e.state for e in old if b'"why"' in e.state) == 1
        after = app_on(clock)
        after.recorder.insert_events(old)
        assert _notice(after, note.notification_id).settled() == code
        (ended,) = [e for e in stored(after) if isinstance(e, Notice.Ended)]
        assert ended.reason == reason
        assert translate(ended).data.why == code
