"""A notice whose ticket ended, or whose complaint left the ladder, before anyone acknowledged it
is published as ended (`escalation.notification_ended`, R6.3): its ticket, its role and why, as
the code it records (`resolved`, `closed`, `cancelled`, `left_ladder`; the other subjects' ends:
test_subject_notice_ends.py)."""

from __future__ import annotations

from typing import Any

from services.escalation.adapters.translate import translate
from services.escalation.application import EscalationApp
from shared.contracts.escalation_events import (
    EscalationNotificationEndedEvent,
    NotificationEnded,
)
from tests.unit.test_complaint_received import LATER, classified
from tests.unit.test_escalation_application import TICKET
from tests.unit.test_escalation_promises import notices
from tests.unit.test_notice_ends import a_complaint_told


def stored(app: EscalationApp) -> list[Any]:
    return [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 1000)]


def ends(app: EscalationApp) -> list[EscalationNotificationEndedEvent]:
    published = [translate(e) for e in stored(app)]
    return [e for e in published if isinstance(e, EscalationNotificationEndedEvent)]


def cancel(feed: Any) -> None:
    feed("ticket.cancelled", TICKET, LATER, reason="withdrawn", note=None, duplicate_of=None,
         schema_version=2)  # fmt: skip


def test_a_complaint_cancelled_publishes_its_notices_end_R6_3():
    _, app, feed = a_complaint_told()
    assert ends(app) == []  # owed: nothing ended
    (told,) = notices(app)
    cancel(feed)
    (ended,) = ends(app)
    assert ended.event_type == "escalation.notification_ended"
    assert ended.aggregate_id == told.notification_id  # the notice's, as an acknowledgement's
    assert ended.occurred_at == LATER
    assert ended.data == NotificationEnded(
        ticket_id=told.ticket_id, ticket_no=told.ticket_no,
        notification_id=told.notification_id, role="cs_assistant", why="cancelled",
    )  # fmt: skip


def test_each_end_is_published_as_the_code_it_records_R6_3_R5_6():
    _, app, feed = a_complaint_told()
    classified(feed, validity="communicative", communicative_type="venting")
    (ended,) = ends(app)
    assert ended.data.why == "left_ladder"  # recorded as its code, the ladder's reason beside it
    for event, why, data in (
        ("ticket.resolved", "resolved", {"resolution": "修好"}),
        ("ticket.closed", "closed", {"reason": "satisfied_follow_up"}),
    ):
        _, app, feed = a_complaint_told()
        feed(event, TICKET, LATER, **data)
        assert [e.data.why for e in ends(app)] == [why]
