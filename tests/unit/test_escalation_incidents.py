"""Escalation and emergency events (突发事件, R16.5, R10.7, R15.14; docs/INCIDENTS.md): security
and the duty manager are told the moment one opens, whatever the hour, and the duty manager is
reminded once if the follow-up is not recorded in time."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from services.escalation.adapters.translate import translate
from services.escalation.application import EscalationApp
from services.escalation.application.schedule import Schedule
from services.escalation.domain import Notice
from shared.contracts.escalation_events import IncidentSummary, notification_of
from shared.kernel.clock import FixedClock
from shared.kernel.incidents import IncidentKind
from shared.kernel.sites import SiteDirectory
from tests.unit.test_escalation_application import T0, Feed, app_on

INCIDENT = uuid4()
OPENED = {
    "incident_no": "HBW-INC-202611-001", "client_ref": "inc-1", "kind": "lift_entrapment",
    "place": "2号楼电梯", "occurred_at": T0.isoformat(), "ticket_id": None, "ticket_no": None,
    "help_category": None,
}  # fmt: skip


def _published(app) -> list:
    return [p for n in app.recorder.select_notifications(1, 1000) if (p := _one(app, n))]


def _one(app, notification):
    event = app.mapper.to_domain_event(notification)
    return translate(event)


def test_an_incident_tells_security_and_the_duty_manager_at_once_R10_7():
    """R10.4: the project manager, who handles special help events, is told at once as the duty
    manager, beside security's supervisor."""
    clock = FixedClock(T0)
    app = app_on(clock)
    feed = Feed(app)
    feed("incident.opened", INCIDENT, T0, **OPENED)
    feed("incident.opened", INCIDENT, T0, **OPENED)  # a repeat tells nobody again
    notes = [notification_of(p) for p in _published(app)]
    told = [(n.role.value, n.department and n.department.value) for n in notes if n]
    assert told == [("department_supervisor", "security"), ("project_manager", None)]
    assert {(n.reason, n.about, n.ticket_no, n.due_at) for n in notes if n} == {
        ("incident_alerted", "incident", "HBW-INC-202611-001", T0)
    }
    # what happened, where and when: security knows before opening the console (R16.5)
    assert {n.incident for n in notes if n} == {
        IncidentSummary(kind=IncidentKind.lift_entrapment, place="2号楼电梯", occurred_at=T0)
    }
    assert all(app.get(n.notification_id, Notice) is not None for n in notes if n)


def test_an_overdue_follow_up_reminds_the_duty_manager_once_R16_5():
    clock = FixedClock(T0)
    app = app_on(clock)
    Feed(app)("incident.opened", INCIDENT, T0, **OPENED)
    clock.set(T0 + timedelta(hours=23))
    assert app.tick() == []
    clock.set(T0 + timedelta(hours=24, minutes=1))
    assert [d["event"] for d in app.tick()] == ["incident_follow_up_due"]
    assert app.tick() == []
    reminder = notification_of(_published(app)[-1])
    assert (reminder.reason, reminder.role.value) == ("incident_follow_up_due", "project_manager")
    assert reminder.incident == IncidentSummary(
        kind=IncidentKind.lift_entrapment, place="2号楼电梯", occurred_at=T0
    )


def test_a_closed_incident_is_not_reminded():
    clock = FixedClock(T0)
    app = app_on(clock)
    feed = Feed(app)
    feed("incident.opened", INCIDENT, T0, **OPENED)
    closed_at = T0 + timedelta(hours=2)
    feed(
        "incident.closed", INCIDENT, closed_at, follow_up="已更换", closed_at=closed_at.isoformat()
    )
    clock.set(T0 + timedelta(days=3))
    assert app.tick() == []


def test_a_site_chooses_how_long_the_follow_up_may_wait():
    clock = FixedClock(T0)
    sites = SiteDirectory.model_validate({"sites": {"hbw": {"incidents": {"follow_up_hours": 2}}}})
    app = EscalationApp(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock, sites, schedule=Schedule(":memory:")
    )
    Feed(app)("incident.opened", INCIDENT, T0, **OPENED)
    clock.set(T0 + timedelta(hours=2))
    assert [d["event"] for d in app.tick()] == ["incident_follow_up_due"]
