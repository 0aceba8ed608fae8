"""What escalation's notifications say of an incident or a promise, and what they never say: what
was promised is masked again by escalation before it is published, then cut (R15.1, R15.4); a
watch from a store written before the notices said so still decides, its notices undescribed (a
reader falls back on its lists)."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from services.escalation.adapters.translate import translate
from services.escalation.domain.incident_watch import IncidentWatch
from services.escalation.domain.promise_watch import PromiseWatch
from shared.contracts.escalation_events import WHAT_SHOWN, notification_of
from shared.kernel.clock import FixedClock
from tests.support.stored import written_before
from tests.unit.test_escalation_application import T0, Feed, app_on
from tests.unit.test_escalation_incidents import INCIDENT, OPENED
from tests.unit.test_escalation_promises import DUE, made, notices

FILLER = "核实维修费用" * 18  # 108 characters


def test_what_was_promised_is_masked_again_by_escalation_then_cut_R6_15_R15_1_R15_4():
    """Intake masks what it publishes; escalation masks again what it sends on (an intake older
    than a masking rule published it as typed), and cuts only after masking: a number cut in two
    would no longer look like one."""
    clock = FixedClock(T0)
    app = app_on(clock)
    feed = Feed(app)
    made(feed, uuid4(), what=f"{FILLER}，回电13912345678")  # 122 characters as typed
    later = uuid4()
    feed("promise.made", later, T0, client_ref="p-2", kind="reply", owner="S01",
         owner_role="receptionist", due_at=DUE.isoformat(), what="答复张先生" + FILLER * 2,
         ticket_id=None, ticket_no=None)  # fmt: skip
    clock.set(DUE)
    app.tick()

    said = [n.promise.what for n in notices(app) if n.promise]
    assert said == [f"{FILLER}，回电***", f"答复***{FILLER * 2}"[: WHAT_SHOWN - 1] + "…"]
    assert not any(secret in what for what in said for secret in ("1391234", "张先生"))


# what class version 2 of each opening added: no place, no time, nothing promised
ADDED = {IncidentWatch.Opened: ("place", "occurred_at"), PromiseWatch.Opened: ("what", "on_ticket")}


def test_watches_from_a_store_written_before_still_decide_their_notices_undescribed():
    clock = FixedClock(T0)
    before = app_on(clock)
    feed = Feed(before)
    feed("incident.opened", INCIDENT, T0, **OPENED)
    made(feed, uuid4(), what="核实水费后回电", ticket_no="HBW-202611-0001")
    # as escalation stored them before its watches kept what their notices say
    stored = before.recorder.select_notifications(1, 1000)
    old = [written_before(e, ADDED) for e in stored]
    openings = [e.state for e in old if e.topic.endswith("Watch.Opened")]
    assert len(openings) == 2 and not any(b"class_version" in state for state in openings)

    clock.set(T0 + timedelta(days=1, minutes=1))  # the promise overdue, the follow-up too
    after = app_on(clock)
    after.recorder.insert_events(old)
    after.schedule.catch_up(after)
    assert sorted(d["event"] for d in after.tick()) == ["incident_follow_up_due", "promise_overdue"]

    new = after.recorder.select_notifications(len(old) + 1, 1000)
    told = [n for e in new if (p := translate(after.mapper.to_domain_event(e)))
            if (n := notification_of(p))]  # fmt: skip
    assert sorted(n.reason for n in told) == ["incident_follow_up_due", "promise_overdue"]
    assert all(n.incident is None and n.promise is None for n in told)
