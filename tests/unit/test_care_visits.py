"""A special-care resident's visits (R11.10; docs/RESIDENTS.md): escalation's board waits for
the next visit within the site's interval, from the flag or the last visit as made, and tells
the visiting role once when it passes; only the flag and a visit move the wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from eventsourcing.utils import get_topic

from services.escalation.adapters.translate import translate
from services.escalation.domain.care_visits import CareVisits, care_board_id_for
from shared.contracts.escalation_events import notification_of
from shared.kernel.clock import FixedClock
from shared.kernel.residents import visit_wait_from
from tests.support.stored import written_before
from tests.unit.test_escalation_application import T0, Feed, app_on

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
DUE = AT + timedelta(days=30)
RESIDENT = uuid4()
FILE = {"resident_ref": "HBW-0001", "kind": "owner", "special_care": True}


def board() -> CareVisits:
    visits = CareVisits.open(site="hbw", resident_id=uuid4(), resident_ref="HBW-0001", at=AT,
                             correlation_id="c-1", causation_id=None)  # fmt: skip
    visits.visit_due(since=AT, due_at=DUE, role="cs_assistant", at=AT, causation_id=None)
    return visits


def test_a_visit_missed_tells_the_visiting_role_once_R11_10() -> None:
    visits = board()
    assert visits.next_due() == DUE and visits.decide(DUE - timedelta(seconds=1)) == []
    (notice,) = visits.decide(DUE)
    assert notice.role == "cs_assistant" and visits.decide(DUE + timedelta(days=1)) == []
    overdue = visits.collect_events()[-1]
    published = translate(overdue)
    assert published is not None and published.event_type == "escalation.care_visit_due"
    told = notification_of(published)
    assert told is not None and told.reason == "care_visit_due" and told.ticket_no == "HBW-0001"
    assert told.about == "resident"  # its ticket_id and ticket_no are the resident's


def test_a_visit_starts_the_wait_again_and_the_flag_cleared_ends_it_R11_10() -> None:
    visits = board()
    made = AT + timedelta(days=20)
    later = made + timedelta(days=30)
    visits.visit_due(since=made, due_at=later, role="cs_assistant", at=made + timedelta(days=3),
                     causation_id=None)  # fmt: skip
    assert visits.decide(DUE) == [] and (visits.since, visits.next_due()) == (made, later)
    visits.not_needed(AT, None)
    assert visits.since is None and visits.next_due() is None and visits.decide(later) == []


def test_a_reminder_sent_leaves_the_resident_owed_the_visit_until_the_flag_is_cleared_R11_10():
    visits = board()
    visits.decide(DUE)
    assert visits.next_due() is None and visits.since == AT  # told once; still waiting from AT
    visits.not_needed(DUE + timedelta(days=1), None)
    assert visits.since is None
    ended = visits.collect_events()[-1]
    assert isinstance(ended, CareVisits.WaitEnded) and ended.reason == "not_needed"


def test_the_wait_runs_from_the_latest_visit_made_while_flagged_R11_10() -> None:
    made = AT + timedelta(days=3)
    assert visit_wait_from(AT, made) == made  # entered days later: from when it was made
    assert visit_wait_from(made, AT) == made  # an older visit entered after: no move
    assert visit_wait_from(None, made) is None  # not flagged: nothing to wait for


def _feed(at: datetime) -> tuple[FixedClock, Any, Feed]:
    clock = FixedClock(at)
    app = app_on(clock)
    return clock, app, Feed(app)


def _visited(feed: Feed, entered: datetime, made: datetime | None) -> None:
    """A `resident.care_visited` entered at `entered`: of schema 2, made at `made`; or, if None,
    of schema 1, published before it said when the visit was made."""
    if made is None:
        feed("resident.care_visited", RESIDENT, entered, resident_ref="HBW-0001")
    else:
        feed("resident.care_visited", RESIDENT, entered, schema_version=2,
             resident_ref="HBW-0001", visited_at=made)  # fmt: skip


def _board(app: Any) -> CareVisits:
    return app.get(care_board_id_for(RESIDENT), CareVisits)


def test_a_visit_entered_three_days_late_is_due_again_from_when_it_was_made_R11_10() -> None:
    clock, app, feed = _feed(T0)
    feed("resident.registered", RESIDENT, T0, **FILE)
    made, entered = T0 + timedelta(days=1), T0 + timedelta(days=4)  # Monday, entered Thursday
    clock.set(entered)
    _visited(feed, entered, made)
    assert _board(app).next_due() == made + timedelta(days=30)
    _visited(feed, entered + timedelta(hours=1), T0 + timedelta(hours=2))  # an older one, late
    assert _board(app).next_due() == made + timedelta(days=30)
    clock.set(made + timedelta(days=30) - timedelta(seconds=1))
    assert app.tick() == []
    clock.set(made + timedelta(days=30))
    assert [d["event"] for d in app.tick()] == ["care_visit_due"]


def test_a_schema_1_visit_was_made_when_it_was_recorded_R11_10() -> None:
    _, app, feed = _feed(T0)
    feed("resident.registered", RESIDENT, T0, **FILE)
    entered = T0 + timedelta(days=4)
    _visited(feed, entered, None)
    assert _board(app).next_due() == entered + timedelta(days=30)


def test_a_correction_to_her_file_does_not_move_the_wait_even_once_reminded_R11_10() -> None:
    clock, app, feed = _feed(T0)
    feed("resident.registered", RESIDENT, T0, **FILE)
    feed("resident.corrected", RESIDENT, T0 + timedelta(days=10), **FILE)  # a phone changed
    assert _board(app).next_due() == T0 + timedelta(days=30)
    clock.set(T0 + timedelta(days=30))
    assert [d["event"] for d in app.tick()] == ["care_visit_due"]
    feed("resident.corrected", RESIDENT, T0 + timedelta(days=32), **FILE)  # a note this time
    assert _board(app).next_due() is None and _board(app).since == T0  # still owed, told once
    clock.set(T0 + timedelta(days=62))
    assert app.tick() == []  # no second wait started by the correction
    made = T0 + timedelta(days=63)
    _visited(feed, made, made)  # the visit made at last: the next from it
    assert _board(app).next_due() == made + timedelta(days=30)


def test_the_flag_cleared_after_the_reminder_and_set_again_waits_afresh_R11_10() -> None:
    clock, app, feed = _feed(T0)
    feed("resident.registered", RESIDENT, T0, **FILE)
    clock.set(T0 + timedelta(days=30))
    app.tick()
    feed("resident.corrected", RESIDENT, T0 + timedelta(days=31), **FILE | {"special_care": False})
    assert _board(app).since is None
    flagged = T0 + timedelta(days=40)
    feed("resident.corrected", RESIDENT, flagged, **FILE)
    assert _board(app).next_due() == flagged + timedelta(days=30)


def test_a_board_from_a_store_written_before_waits_on_and_ignores_a_correction_R11_10() -> None:
    clock, before, feed = _feed(T0)
    feed("resident.registered", RESIDENT, T0, **FILE)
    clock.set(T0 + timedelta(days=30))
    before.tick()  # reminded under the old store
    # class version 1 of `VisitDue`: the wait began when it was recorded
    stored = before.recorder.select_notifications(1, 1000)
    old = [written_before(e, {CareVisits.VisitDue: ("since",)}) for e in stored]
    assert sum(1 for e in old if e.topic == get_topic(CareVisits.VisitDue)) == 1
    assert not any(b'"since"' in e.state for e in old)

    clock.set(T0 + timedelta(days=32))
    after = app_on(clock)
    after.recorder.insert_events(old)
    after.schedule.catch_up(after)
    assert _board(after).since == T0  # the v1 wait began when it was recorded
    refeed = Feed(after)
    refeed.seq, refeed.versions = feed.seq, dict(feed.versions)  # the stream goes on
    refeed("resident.corrected", RESIDENT, T0 + timedelta(days=32), **FILE)
    assert _board(after).next_due() is None  # the correction does not start a wait
    _visited(refeed, T0 + timedelta(days=33), T0 - timedelta(days=1))  # made before: no move
    assert _board(after).next_due() is None
    made = T0 + timedelta(days=31)
    _visited(refeed, T0 + timedelta(days=33), made)
    assert _board(after).next_due() == made + timedelta(days=30)
