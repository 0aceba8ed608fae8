"""Escalation and promises (R6.15, R10.6, R2.6, R11.5; docs/PROMISES.md): the owner's role is
reminded before the due time, the CS supervisor told once it has passed unkept; a re-promise
starts both waits again; keeping the promise ends them."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from services.escalation.adapters.translate import translate
from services.escalation.application import EscalationApp
from services.escalation.application.schedule import Schedule
from shared.contracts.escalation_events import Notification, PromiseSummary, notification_of
from shared.kernel.clock import FixedClock
from shared.kernel.promises import PromiseKind
from shared.kernel.sites import SiteDirectory
from tests.unit.test_escalation_application import T0, Feed, app_on

DUE = T0 + timedelta(hours=2)


def made(feed: Feed, promise, due=DUE, kind: str = "reply", what: str = "回复",
         ticket_no: str | None = None) -> None:  # fmt: skip
    feed("promise.made", promise, T0, client_ref="p-1", kind=kind, owner="S01",
         owner_role="receptionist", due_at=due.isoformat(), what=what,
         ticket_id=uuid4() if ticket_no else None, ticket_no=ticket_no)  # fmt: skip


def notices(app) -> list[Notification]:
    events = (app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 1000))
    notes = [notification_of(p) for e in events if (p := translate(e)) is not None]
    return [n for n in notes if n is not None]


def told(app) -> list[tuple[str, str, str | None]]:
    return [(n.reason, n.role.value, n.staff) for n in notices(app)]


def test_the_owner_is_reminded_then_the_supervisor_told_R6_15():
    clock = FixedClock(T0)
    app, promise = app_on(clock), uuid4()
    feed = Feed(app)
    made(feed, promise, what="核实水费后回电", ticket_no="HBW-202611-0001")
    made(feed, promise)  # a repeat opens nothing new
    assert app.next_due(app.schedule.due(DUE)[0]) == DUE - timedelta(minutes=15)
    clock.set(DUE - timedelta(minutes=20))
    assert app.tick() == []
    clock.set(DUE - timedelta(minutes=15))
    [reminder] = app.tick()
    assert (reminder["event"], reminder["ticket_no"]) == ("promise_reminder", "p-1")
    clock.set(DUE)
    assert [d["event"] for d in app.tick()] == ["promise_overdue"]
    clock.set(DUE + timedelta(hours=5))
    assert app.tick() == []  # told once
    assert told(app) == [
        ("promise_reminder", "receptionist", "S01"),
        ("promise_overdue", "cs_supervisor", "S01"),
    ]
    # each says what was promised, on which ticket, and (its due_at) by when
    assert {(n.promise, n.due_at) for n in notices(app)} == {
        (PromiseSummary(kind=PromiseKind.reply, what="核实水费后回电",
                        ticket_no="HBW-202611-0001"), DUE)
    }  # fmt: skip


def test_a_kept_promise_is_not_chased():
    clock = FixedClock(T0)
    app, promise = app_on(clock), uuid4()
    feed = Feed(app)
    made(feed, promise)
    kept = T0 + timedelta(minutes=30)
    feed("promise.kept", promise, kept, kept_at=kept.isoformat(), on_time=True, outcome="已答复")
    clock.set(DUE + timedelta(hours=1))
    assert app.tick() == []
    assert told(app) == []


def test_a_repromise_starts_both_waits_again():
    clock = FixedClock(T0)
    app, promise = app_on(clock), uuid4()
    feed = Feed(app)
    made(feed, promise)
    clock.set(DUE)
    assert [d["event"] for d in app.tick()] == ["promise_overdue"]
    later = DUE + timedelta(hours=3)
    feed("promise.rescheduled", promise, DUE + timedelta(minutes=5), due_at=later.isoformat(),
         previous_due_at=DUE.isoformat(), reason="客户同意", late=True)  # fmt: skip
    clock.set(later)
    assert [d["event"] for d in app.tick()] == ["promise_overdue"]  # past the reminder too
    assert [r for r, _, _ in told(app)] == ["promise_overdue", "promise_overdue"]


def test_a_missed_call_due_soon_has_no_reminder_before_it_was_recorded_R2_6():
    clock = FixedClock(T0)
    app, promise = app_on(clock), uuid4()
    made(Feed(app), promise, due=T0 + timedelta(minutes=10), kind="callback")
    clock.set(T0 + timedelta(minutes=10))
    assert [d["event"] for d in app.tick()] == ["promise_overdue"]


def test_a_site_chooses_the_reminder_and_who_is_told_when_overdue() -> None:
    sites = SiteDirectory.model_validate(
        {
            "sites": {
                "hbw": {"promise_tasks": {"remind_minutes": 0, "overdue_role": "project_manager"}}
            }
        }
    )
    clock = FixedClock(T0)
    env = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    app = EscalationApp(env, clock, sites, schedule=Schedule(":memory:"))
    made(Feed(app), uuid4())
    clock.set(DUE - timedelta(minutes=1))
    assert app.tick() == []  # no reminder
    clock.set(DUE)
    assert [d["event"] for d in app.tick()] == ["promise_overdue"]
    assert told(app) == [("promise_overdue", "project_manager", "S01")]
