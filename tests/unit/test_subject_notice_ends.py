"""A notice about something other than a ticket ends when its subject closes, as a ticket's do
(R6.3; docs/NOTIFICATIONS.md): an incident closed, a promise kept or broken, a maintenance notice
ended or cancelled, a violation case closed, a shift log signed, a special-care resident visited;
and one about a deadline when the deadline is replaced: an outage's restoration time revised, a
violation case's measure followed by a later one.
Each records why as a code (`Notice.Ended.why`, what the channel's settled check reads), is
published as `escalation.notification_ended` with that code, and leaves its board's notices
still owed (`owed`) — as an acknowledgement does, so an end reads only those still owed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from services.escalation.adapters.translate import translate
from services.escalation.application import EscalationApp
from services.escalation.domain import Cause, IncidentWatch, Notice, watch_id_for
from services.escalation.domain.case_deadlines import CaseDeadlines, case_board_id_for
from services.escalation.domain.notice_watch import NoticeWatch, notice_watch_id_for
from services.escalation.domain.promise_watch import PromiseWatch, promise_board_id_for
from shared.contracts.escalation_commands import AcknowledgeNotification
from shared.contracts.escalation_events import EscalationNotificationEndedEvent
from shared.eventstore.desk_app import CommandContext
from shared.kernel.clock import FixedClock
from tests.unit.test_care_visits import FILE
from tests.unit.test_escalation_application import T0, TICKET, Feed, app_on
from tests.unit.test_escalation_handover import _closed
from tests.unit.test_escalation_incidents import OPENED
from tests.unit.test_escalation_notices import _announced
from tests.unit.test_escalation_promises import DUE, made, notices
from tests.unit.test_notice_ends import a_complaint_told


def on_a_clock() -> tuple[FixedClock, EscalationApp, Feed]:
    clock = FixedClock(T0)
    app = app_on(clock)
    return clock, app, Feed(app)


def settled(app: EscalationApp) -> dict[str, str | None]:
    """Each notification's reason → why it is sent no more (None: owed)."""
    return {n.reason: app.get(n.notification_id, Notice).settled() for n in notices(app)}


def ends(app: EscalationApp) -> list[tuple[UUID, str]]:
    """The ends published: (notification, why)."""
    stored = (app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 1000))
    published = [translate(e) for e in stored]
    return [(e.data.notification_id, e.data.why) for e in published
            if isinstance(e, EscalationNotificationEndedEvent)]  # fmt: skip


def an_incident_alerted() -> tuple[EscalationApp, Feed, UUID]:
    _, app, feed = on_a_clock()
    incident = uuid4()
    feed("incident.opened", incident, T0, **OPENED)
    return app, feed, incident


def close_incident(feed: Feed, incident: UUID, at: Any) -> None:
    feed("incident.closed", incident, at, follow_up="已更换", closed_at=at.isoformat())


def test_a_board_owes_what_its_events_say_and_a_replay_owes_the_same_R6_3():
    cause = Cause("escalation", "corr-1", None)
    watch = IncidentWatch.open(
        site="hbw", incident_id=uuid4(), incident_no="HBW-INC-202611-001", kind="fire",
        place=None, occurred_at=T0, follow_up_due=T0 + timedelta(hours=1), at=T0, cause=cause,
    )  # fmt: skip
    security, manager = watch.alert([("department_supervisor", "security"),
                                     ("project_manager", None)], T0, cause)  # fmt: skip
    assert watch.notices_owed() == [security.id, manager.id]
    assert watch.settle([security.id, uuid4()], T0, cause)  # one it owes, one it never raised
    assert not watch.settle([security.id], T0, cause)  # owed no more: nothing recorded
    events = watch.collect_events()
    assert [e.notification_ids for e in events if isinstance(e, IncidentWatch.NoticesSettled)] == [
        [security.id]
    ]
    replayed = None
    for event in events:
        replayed = event.mutate(replayed)
    assert replayed is not None and replayed.notices_owed() == [manager.id]


def test_an_incident_closed_ends_its_alerts_still_owed_R16_5_R6_3():
    app, feed, incident = an_incident_alerted()
    assert settled(app) == {"incident_alerted": None}  # two roles, both owed
    assert len(app.get(watch_id_for(incident), IncidentWatch).owed) == 2
    closed = T0 + timedelta(hours=1)
    close_incident(feed, incident, closed)
    assert settled(app) == {"incident_alerted": "incident_closed"}
    assert sorted(why for _, why in ends(app)) == ["incident_closed"] * 2
    assert app.get(watch_id_for(incident), IncidentWatch).owed == {}
    close_incident(feed, incident, closed)  # redelivered: nothing more ends
    assert len(ends(app)) == 2


def test_an_acknowledged_alert_leaves_the_owed_and_is_not_ended_by_the_close_R16_5_R6_3():
    app, feed, incident = an_incident_alerted()
    security, manager = notices(app)
    reply = app.execute(CommandContext("hbw", "corr-ack"), AcknowledgeNotification(
        staff_id="SEC1", notification_id=security.notification_id))  # fmt: skip
    assert reply["acknowledged_by"] == "SEC1"
    watch = app.get(watch_id_for(incident), IncidentWatch)
    assert list(watch.owed) == [manager.notification_id]  # only the one still owed
    close_incident(feed, incident, T0 + timedelta(hours=1))
    assert ends(app) == [(manager.notification_id, "incident_closed")]
    assert app.get(security.notification_id, Notice).settled() == "acknowledged"


def test_the_owed_notices_are_rebuilt_from_the_store_after_a_restart_R6_3(tmp_path):
    clock = FixedClock(T0)
    app = app_on(clock, tmp_path)
    feed = Feed(app)
    incident = uuid4()
    feed("incident.opened", incident, T0, **OPENED)
    security, manager = notices(app)
    app.execute(CommandContext("hbw", "corr-ack"), AcknowledgeNotification(
        staff_id="SEC1", notification_id=security.notification_id))  # fmt: skip
    app.close()
    again = app_on(clock, tmp_path)  # read back from its stored events, from the start
    watch = again.get(watch_id_for(incident), IncidentWatch)
    assert list(watch.owed) == [manager.notification_id]


def test_a_promise_kept_after_its_overdue_notice_ends_it_R6_15_R6_3():
    clock, app, feed = on_a_clock()
    promise = uuid4()
    made(feed, promise)
    clock.set(DUE - timedelta(minutes=15))
    app.tick()  # the reminder to its owner, then the overdue notice to the supervisor
    clock.set(DUE)
    app.tick()
    assert settled(app) == {"promise_reminder": None, "promise_overdue": None}
    kept = DUE + timedelta(minutes=10)
    feed("promise.kept", promise, kept, kept_at=kept.isoformat(), on_time=False, outcome="已答复")
    assert settled(app) == {"promise_reminder": "promise_kept", "promise_overdue": "promise_kept"}
    assert app.get(promise_board_id_for(promise), PromiseWatch).owed == {}


def test_a_promise_broken_ends_its_notices_as_broken_R6_15_R6_3():
    clock, app, feed = on_a_clock()
    promise = uuid4()
    made(feed, promise)
    clock.set(DUE)
    app.tick()
    broken = DUE + timedelta(hours=1)
    feed("promise.broken", promise, broken, broken_at=broken.isoformat(), reason="客户不接电话")
    assert set(settled(app).values()) == {"promise_broken"}


def test_an_outage_ended_or_cancelled_ends_its_restoration_alert_R16_6_R6_3():
    for event, data, why in (
        ("maintenance.ended", {"outcome": "restored", "note": None}, "maintenance_ended"),
        ("maintenance.cancelled", {"reason": "误报"}, "maintenance_cancelled"),
    ):
        clock, app, feed = on_a_clock()
        notice = uuid4()
        feed("maintenance.announced", notice, T0, **_announced())
        clock.set(T0 + timedelta(hours=2, minutes=1))
        app.tick()  # past its restoration: the duty manager is alerted
        assert settled(app) == {"maintenance_restoration_overdue": None}
        at = clock.now()
        if event == "maintenance.ended":
            data = {**data, "ended_at": at.isoformat()}
        feed(event, notice, at, **data)
        assert settled(app) == {"maintenance_restoration_overdue": why}
        assert [w for _, w in ends(app)] == [why]


def test_an_outage_revised_ends_the_alert_about_the_time_replaced_and_watches_the_new_R16_6_R6_3():
    """The households were told a new time (R7.10, R16.6): the alert about the old one is owed no
    more, and the new time, when it too passes, alerts again."""
    clock, app, feed = on_a_clock()
    notice = uuid4()
    feed("maintenance.announced", notice, T0, **_announced())
    clock.set(T0 + timedelta(hours=2, minutes=1))
    app.tick()  # past its restoration: the duty manager is alerted
    [first] = [n.notification_id for n in notices(app)]
    revised_to = T0 + timedelta(hours=4)
    feed("maintenance.revised", notice, clock.now(), expected_end=revised_to.isoformat(),
         previous_end=(T0 + timedelta(hours=2)).isoformat(), reason="管件另购")  # fmt: skip
    assert settled(app) == {"maintenance_restoration_overdue": "maintenance_revised"}
    assert ends(app) == [(first, "maintenance_revised")]
    assert app.get(notice_watch_id_for(notice), NoticeWatch).owed == {}
    clock.set(revised_to - timedelta(minutes=1))
    assert app.tick() == []
    clock.set(revised_to + timedelta(minutes=1))
    assert [d["event"] for d in app.tick()] == ["maintenance_restoration_overdue"]
    owed = app.get(notice_watch_id_for(notice), NoticeWatch).notices_owed()
    assert len(owed) == 1 and owed[0] != first
    assert app.get(owed[0], Notice).settled() is None  # the new time's alert: owed


def test_a_revision_before_the_alert_ends_nothing_and_leaves_the_explanation_owed_R7_10_R6_3():
    """Only the restoration's alert is about the time replaced: an emergency's explanation
    reminder stays owed (R7.10)."""
    clock, app, feed = on_a_clock()
    notice = uuid4()
    explain_by = T0 + timedelta(hours=1)
    feed("maintenance.announced", notice, T0,
         **_announced("water_outage", explain_by.isoformat()))  # fmt: skip
    clock.set(explain_by + timedelta(minutes=1))
    app.tick()  # the explanation is late; the restoration not yet
    assert settled(app) == {"maintenance_explanation_due": None}
    feed("maintenance.revised", notice, clock.now(),
         expected_end=(T0 + timedelta(hours=4)).isoformat(),
         previous_end=(T0 + timedelta(hours=2)).isoformat(), reason="管件另购")  # fmt: skip
    assert settled(app) == {"maintenance_explanation_due": None}
    assert ends(app) == []


def test_emergency_work_done_still_owes_its_explanation_and_explained_ends_its_reminder_R7_10():
    """The work ended does not end the reminder of the explanation the households are owed
    afterwards (R7.10); the explanation given does."""
    clock, app, feed = on_a_clock()
    notice = uuid4()
    explain_by = T0 + timedelta(hours=24)
    feed(
        "maintenance.announced", notice, T0, **_announced("emergency_work", explain_by.isoformat())
    )
    clock.set(explain_by + timedelta(hours=1))
    app.tick()
    feed("maintenance.ended", notice, clock.now(), outcome="done",
         ended_at=clock.now().isoformat(), note=None)  # fmt: skip
    assert settled(app) == {"maintenance_explanation_due": None}  # still owed
    explained = clock.now() + timedelta(hours=1)
    feed("maintenance.explained", notice, explained, explanation="水泵已换",
         explained_at=explained.isoformat())  # fmt: skip
    assert settled(app) == {"maintenance_explanation_due": "maintenance_explained"}


def a_measure_overdue(measure: str) -> tuple[FixedClock, EscalationApp, Feed, UUID]:
    """A case whose first measure, due on T0's date, is overdue: its role told, a day on."""
    clock, app, feed = on_a_clock()
    case = uuid4()
    feed("violation.opened", case, T0, client_ref="v-1", violation_class="general",
         category="fire_door", place="3栋", description="堵塞消防通道", observed_at=T0.isoformat(),
         responsible="cs_supervisor", ticket_id=None, finding=None)  # fmt: skip
    feed("violation.measure_recorded", case, T0, measure=measure, due_on="2026-11-23",
         responsible="cs_supervisor", note=None)  # fmt: skip
    clock.set(T0 + timedelta(days=1))
    app.tick()
    assert settled(app) == {"measure_overdue": None}
    return clock, app, feed, case


def test_a_violation_case_closed_ends_its_measure_overdue_notice_R14_3_R6_3():
    clock, app, feed, case = a_measure_overdue("rectify")
    feed("violation.closed", case, clock.now(), outcome="已整改", closed_on="2026-11-24",
         removable_on="2029-11-24", penalty_lapsed=False)  # fmt: skip
    assert settled(app) == {"measure_overdue": "violation_closed"}
    assert app.get(case_board_id_for(case), CaseDeadlines).owed == {}


def test_a_later_measure_ends_the_earlier_measure_s_overdue_notice_R14_3_R6_3():
    """Persuasion overdue, then 限期整改 recorded (R14.3): the notice about the persuasion is owed
    no more; the rectification's due date is watched, and told when it passes."""
    clock, app, feed, case = a_measure_overdue("persuasion")
    [persuasion] = notices(app)
    feed("violation.measure_recorded", case, clock.now(), measure="rectify",
         due_on="2026-11-30", responsible="cs_supervisor", note=None)  # fmt: skip
    assert settled(app) == {"measure_overdue": "measure_replaced"}
    assert ends(app) == [(persuasion.notification_id, "measure_replaced")]
    assert app.get(case_board_id_for(case), CaseDeadlines).owed == {}
    clock.set(T0 + timedelta(days=8))
    app.tick()  # the rectification's due date passed: told, and owed
    rectify = [n for n in notices(app) if n.notification_id != persuasion.notification_id]
    assert [app.get(n.notification_id, Notice).settled() for n in rectify] == [None]
    assert ends(app) == [(persuasion.notification_id, "measure_replaced")]


def test_a_shift_log_signed_after_its_reminder_ends_it_R15_9_R6_3():
    clock, app, feed = on_a_clock()
    log = uuid4()
    feed("shift.closed", log, T0, **_closed(T0 + timedelta(minutes=30)))
    clock.set(T0 + timedelta(minutes=31))
    app.tick()
    assert settled(app) == {"handover_unsigned": None}
    signed = clock.now()
    feed("shift.signed", log, signed, shift="2026-11-10T08:00", role="receptionist", late=True,
         signed_at=signed.isoformat())  # fmt: skip
    assert settled(app) == {"handover_unsigned": "shift_signed"}


def test_a_ticket_end_reads_only_the_notices_still_owed_R6_3():
    """The ticket's board drops a notice acknowledged (through `ack`) and one ended: a later end
    reads neither."""
    _, app, feed = a_complaint_told()
    (received,) = notices(app)
    board_id = app.get(received.notification_id, Notice).board_id
    assert list(app.board(board_id).owed) == [received.notification_id]
    app.execute(CommandContext("hbw", "corr-ack"), AcknowledgeNotification(
        staff_id="CS1", notification_id=received.notification_id))  # fmt: skip
    assert app.board(board_id).owed == {}
    feed("ticket.closed", TICKET, T0 + timedelta(days=1), reason="satisfied_follow_up")
    assert ends(app) == []


def test_a_special_care_visit_made_ends_its_reminder_and_the_flag_cleared_ends_one_R11_10_R6_3():
    for flagged_off, why in ((False, "care_visited"), (True, "care_not_needed")):
        clock, app, feed = on_a_clock()
        resident = uuid4()
        feed("resident.registered", resident, T0, **FILE)
        clock.set(T0 + timedelta(days=30))
        app.tick()
        assert settled(app) == {"care_visit_due": None}
        at = T0 + timedelta(days=31)
        if flagged_off:
            feed("resident.corrected", resident, at, **FILE | {"special_care": False})
        else:
            feed("resident.care_visited", resident, at, schema_version=2,
                 resident_ref="HBW-0001", visited_at=at)  # fmt: skip
        assert settled(app) == {"care_visit_due": why}
