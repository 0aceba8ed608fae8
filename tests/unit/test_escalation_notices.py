"""Escalation and maintenance notices (维修通告, R7.10, R16.6; docs/OUTAGES.md): an emergency's
explanation afterwards is reminded to the CS supervisor when late; an outage past its expected
restoration, neither revised nor restored, alerts the duty manager once per expected time."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from services.escalation.adapters.translate import translate
from shared.contracts.escalation_events import notification_of
from shared.kernel.clock import FixedClock
from tests.unit.test_escalation_application import T0, Feed, app_on

NOTICE = uuid4()


def _announced(kind: str = "water_outage", explain_by=None) -> dict:
    return {
        "notice_no": "HBW-MN-0001", "client_ref": "mn-1", "kind": kind, "planned": False,
        "scope": {"buildings": ["3"]}, "categories": ["plumbing"], "starts_at": T0.isoformat(),
        "expected_end": (T0 + timedelta(hours=2)).isoformat(), "announced_at": T0.isoformat(),
        "late": False, "explain_by": explain_by, "text": "3号楼停水",
    }  # fmt: skip


def _notes(app) -> list:
    published = [translate(app.mapper.to_domain_event(n))
                 for n in app.recorder.select_notifications(1, 1000)]  # fmt: skip
    return [n for p in published if p and (n := notification_of(p))]


def test_an_outage_past_its_restoration_alerts_the_duty_manager_once_R16_6():
    clock = FixedClock(T0)
    app = app_on(clock)
    Feed(app)("maintenance.announced", NOTICE, T0, **_announced())
    clock.set(T0 + timedelta(hours=1, minutes=59))
    assert app.tick() == []
    clock.set(T0 + timedelta(hours=2, minutes=1))
    assert [d["event"] for d in app.tick()] == ["maintenance_restoration_overdue"]
    assert app.tick() == []
    (note,) = _notes(app)
    assert (note.reason, note.role.value, note.about, note.ticket_no) == (
        "maintenance_restoration_overdue", "project_manager", "maintenance", "HBW-MN-0001",
    )  # fmt: skip


def test_a_revised_restoration_moves_the_alert_and_restored_stops_it_R16_6():
    clock = FixedClock(T0)
    app = app_on(clock)
    feed = Feed(app)
    feed("maintenance.announced", NOTICE, T0, **_announced())
    at = T0 + timedelta(hours=1)
    feed("maintenance.revised", NOTICE, at, expected_end=(T0 + timedelta(hours=4)).isoformat(),
         previous_end=(T0 + timedelta(hours=2)).isoformat(), reason="管件另购")  # fmt: skip
    clock.set(T0 + timedelta(hours=3))
    assert app.tick() == []
    feed("maintenance.ended", NOTICE, clock.now(), outcome="restored",
         ended_at=clock.now().isoformat(), note=None)  # fmt: skip
    clock.set(T0 + timedelta(hours=5))
    assert app.tick() == []
    assert _notes(app) == []


def test_an_emergency_unexplained_in_time_reminds_the_cs_supervisor_R7_10():
    clock = FixedClock(T0)
    app = app_on(clock)
    feed = Feed(app)
    explain_by = (T0 + timedelta(hours=24)).isoformat()
    feed("maintenance.announced", NOTICE, T0, **_announced("emergency_work", explain_by))
    clock.set(T0 + timedelta(hours=25))
    assert [d["event"] for d in app.tick()] == ["maintenance_explanation_due"]
    (note,) = _notes(app)
    assert (note.reason, note.role.value) == ("maintenance_explanation_due", "cs_supervisor")


def test_an_explained_emergency_is_not_reminded_R7_10():
    clock = FixedClock(T0)
    app = app_on(clock)
    feed = Feed(app)
    explain_by = (T0 + timedelta(hours=24)).isoformat()
    feed("maintenance.announced", NOTICE, T0, **_announced("emergency_work", explain_by))
    feed("maintenance.explained", NOTICE, T0 + timedelta(hours=3), explanation="水泵已换",
         explained_at=(T0 + timedelta(hours=3)).isoformat())  # fmt: skip
    clock.set(T0 + timedelta(hours=30))
    assert app.tick() == []


def test_a_restoration_revised_back_to_a_time_already_alerted_alerts_again_R16_6():
    clock = FixedClock(T0)
    app = app_on(clock)
    feed = Feed(app)
    feed("maintenance.announced", NOTICE, T0, **_announced())
    first = T0 + timedelta(hours=2)
    clock.set(first + timedelta(minutes=1))
    assert len(app.tick()) == 1
    for end in (T0 + timedelta(hours=5), first):  # moved on, then back (a mistake corrected)
        feed("maintenance.revised", NOTICE, clock.now(), expected_end=end.isoformat(),
             previous_end=first.isoformat(), reason="改")  # fmt: skip
    assert [d["event"] for d in app.tick()] == ["maintenance_restoration_overdue"]
    assert len({n.notification_id for n in _notes(app)}) == 2
