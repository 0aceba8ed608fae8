"""Escalation and the desk's shift log (交接班, R15.9; docs/SHIFTS.md): a closed log not signed by
the incoming shift within the site's grace reminds the CS supervisor, once; a signature in time
reminds nobody."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from services.escalation.adapters.translate import translate
from shared.contracts.escalation_events import notification_of
from shared.kernel.clock import FixedClock
from tests.unit.test_escalation_application import T0, Feed, app_on


def _closed(sign_by) -> dict:
    return {
        "shift": "2026-11-10T08:00", "starts_at": T0.isoformat(),
        "ends_at": (T0 + timedelta(hours=12)).isoformat(), "entries": 2, "pending": [],
        "closed_at": T0.isoformat(), "sign_by": sign_by.isoformat(),
    }  # fmt: skip


def _notes(app) -> list:
    published = [
        translate(app.mapper.to_domain_event(n)) for n in app.recorder.select_notifications(1, 999)
    ]
    return [note for p in published if p and (note := notification_of(p))]


def test_an_unsigned_handover_reminds_the_cs_supervisor_once_R15_9():
    clock = FixedClock(T0)
    app = app_on(clock)
    log = uuid4()
    feed = Feed(app)
    feed("shift.closed", log, T0, **_closed(T0 + timedelta(minutes=30)))
    feed("shift.closed", log, T0, **_closed(T0 + timedelta(minutes=30)))  # a repeat
    clock.set(T0 + timedelta(minutes=29))
    assert app.tick() == []
    clock.set(T0 + timedelta(minutes=31))
    assert [(d["event"], d["ticket_no"], d["subject"]) for d in app.tick()] == [
        ("handover_unsigned", "2026-11-10T08:00", "handover")
    ]
    assert app.tick() == []
    [note] = _notes(app)
    assert (note.role.value, note.reason, note.ticket_id, note.about) == (
        "cs_supervisor",
        "handover_unsigned",
        log,
        "shift",
    )


def test_a_handover_signed_in_time_reminds_nobody_R15_9():
    clock = FixedClock(T0)
    app = app_on(clock)
    log = uuid4()
    feed = Feed(app)
    feed("shift.closed", log, T0, **_closed(T0 + timedelta(minutes=30)))
    signed = {"shift": "2026-11-10T08:00", "role": "receptionist", "late": False,
              "signed_at": (T0 + timedelta(minutes=5)).isoformat()}  # fmt: skip
    feed("shift.signed", log, T0 + timedelta(minutes=5), **signed)
    clock.set(T0 + timedelta(hours=2))
    assert app.tick() == []
    assert _notes(app) == []
