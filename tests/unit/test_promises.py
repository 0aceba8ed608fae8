"""A promise's rules, on intake's application with an in-memory store (R6.15, R10.6, R2.6,
R11.5; docs/PROMISES.md): made for a time ahead, a missed call due within the site's callback
time, kept on time or late, re-promised or broken with a reason; every refusal changes nothing
(a refused look at a missed call's number is kept in the access log); a missed call's phone is
never published."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from services.intake.adapters.translate import Translator
from services.intake.application import IntakeApp
from services.intake.domain import Promise
from shared.contracts import promise_commands as pc
from shared.eventstore.desk_app import CommandContext
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteDirectory
from shared.messaging.errors import DeskError
from tests.unit.conftest import T0, notifications, refused

STAFF = {"S01": {"role": "receptionist"}, "CS1": {"role": "cs_assistant"}}
PHONE = "13912345678"


def run(app: IntakeApp, ctx: CommandContext, command: type, **body: Any) -> dict[str, Any]:
    return app.execute(ctx, command.model_validate({"staff_id": "S01", **body}))


def promise(app: IntakeApp, ctx: CommandContext, ref: str = "p-1", hours: float = 2, **more):
    due = (T0 + timedelta(hours=hours)).isoformat()
    return run(app, ctx, pc.MakePromise, client_ref=ref, due_at=due, what="回复水费疑问", **more)


def published(app: IntakeApp) -> list:
    translate = Translator(app.reporters_of, promise_of=lambda i: app.get(i, Promise))
    events = (app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 1000))
    return [p for e in events if (p := translate(e)) is not None]


def test_a_promise_kept_by_its_due_time_is_on_time_R6_15(app, ctx, clock: FixedClock) -> None:
    made = promise(app, ctx)
    assert (made["kind"], made["status"], made["owner"], made["outcome"]) == (
        "reply", "open", "S01", None
    )  # fmt: skip
    assert made["due_at"] == "2026-11-10T12:00:00+08:00"  # the site's zone
    clock.advance(timedelta(hours=1))
    kept = run(app, ctx, pc.KeepPromise, promise=made["promise_id"], outcome="已电话答复")
    assert (kept["status"], kept["outcome"]) == ("kept", "on_time")
    assert [p.event_type for p in published(app)] == ["promise.made", "promise.kept"]


def test_a_promise_kept_after_its_due_time_is_late_R10_6(app, ctx, clock: FixedClock) -> None:
    promise(app, ctx)
    clock.advance(timedelta(hours=3))
    assert run(app, ctx, pc.KeepPromise, promise="p-1", outcome="答复")["outcome"] == "late"


def test_a_promise_is_made_for_a_time_ahead(app, ctx) -> None:
    assert "time ahead" in refused(app, lambda: promise(app, ctx, hours=-1), "invalid")
    assert "time ahead" in refused(app, lambda: promise(app, ctx, hours=0), "invalid")


def test_a_follow_up_question_names_its_ticket_R11_5(app, ctx) -> None:
    message = refused(app, lambda: promise(app, ctx, kind="answer"), "invalid")
    assert "R11.5" in message


def test_a_missed_call_is_due_within_the_callback_time_R2_6(app, ctx, clock) -> None:
    called = (T0 - timedelta(minutes=10)).isoformat()
    made = run(app, ctx, pc.RecordMissedCall, client_ref="m-1", phone=PHONE, called_at=called)
    assert (made["kind"], made["due_at"]) == ("callback", "2026-11-10T10:20:00+08:00")
    assert PHONE not in "".join(p.model_dump_json() for p in published(app))


def test_a_site_chooses_its_callback_time_and_a_missed_call_hides_its_phone(clock) -> None:
    sites = SiteDirectory.model_validate(
        {"sites": {"hbw": {"staff": STAFF, "promise_tasks": {"callback_minutes": 60}}}}
    )
    app = IntakeApp({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock, sites)
    ctx = CommandContext("hbw", "corr-1")
    made = run(app, ctx, pc.RecordMissedCall, client_ref="m-1", phone=PHONE, owner="CS1")
    assert (made["due_at"], made["owner"]) == ("2026-11-10T11:00:00+08:00", "CS1")
    [event] = published(app)
    assert (event.data.owner_role.value, event.data.kind.value) == ("cs_assistant", "callback")
    assert PHONE not in event.model_dump_json()
    assert app.get(event.aggregate_id, Promise).caller == {"phone": PHONE}  # intake's only
    stranger = lambda: run(app, ctx, pc.RecordMissedCall, client_ref="m-2", phone=PHONE,  # noqa: E731
                           owner="X99")  # fmt: skip
    assert "staff list" in refused(app, stranger, "invalid")


def test_a_repromise_agreed_in_time_moves_the_due_time(app, ctx, clock) -> None:
    promise(app, ctx)
    later = (T0 + timedelta(hours=5)).isoformat()
    moved = run(app, ctx, pc.ReschedulePromise, promise="p-1", due_at=later, reason="待工程部确认")
    assert moved["due_at"] == "2026-11-10T15:00:00+08:00"
    clock.advance(timedelta(hours=4))
    assert run(app, ctx, pc.KeepPromise, promise="p-1", outcome="答复")["outcome"] == "on_time"


def test_a_repromise_after_the_due_time_is_kept_late_at_best(app, ctx, clock) -> None:
    promise(app, ctx)
    clock.advance(timedelta(hours=3))
    later = (T0 + timedelta(hours=5)).isoformat()
    run(app, ctx, pc.ReschedulePromise, promise="p-1", due_at=later, reason="未能按时联系")
    assert run(app, ctx, pc.KeepPromise, promise="p-1", outcome="答复")["outcome"] == "late"


def test_a_broken_promise_takes_no_more_outcomes(app, ctx) -> None:
    promise(app, ctx)
    broken = run(app, ctx, pc.BreakPromise, promise="p-1", reason="客户无法联系")
    assert broken["status"] == "broken"
    keep = lambda: run(app, ctx, pc.KeepPromise, promise="p-1", outcome="x")  # noqa: E731
    refused(app, keep, "conflict")
    refused(app, lambda: run(app, ctx, pc.BreakPromise, promise="p-9", reason="x"), "not_found")


def test_a_repeated_promise_is_the_same_promise(app, ctx) -> None:
    first = promise(app, ctx)
    before = notifications(app)
    assert promise(app, ctx, hours=5) == first
    assert notifications(app) == before


def test_a_missed_calls_number_is_shown_only_to_the_desk_roles_R15_2(clock) -> None:
    staff = STAFF | {"T01": {"role": "technician"}}
    sites = SiteDirectory.model_validate({"sites": {"hbw": {"staff": staff}}})
    app = IntakeApp({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock, sites)
    ctx = CommandContext("hbw", "corr-1")
    made = run(app, ctx, pc.RecordMissedCall, client_ref="m-1", phone=PHONE)
    shown = run(app, ctx, pc.RevealCaller, promise=made["promise_id"])
    assert (shown["phone"], shown["client_ref"]) == (PHONE, "m-1")
    assert published(app)[-1].event_type == "promise.made"  # the look is intake's record only
    before = published(app)
    with pytest.raises(DeskError) as caught:  # a technician: refused, and the attempt kept
        app.execute(ctx, pc.RevealCaller.model_validate({"staff_id": "T01", "promise": "m-1"}))
    assert caught.value.code.value == "forbidden" and "R15.2" in caught.value.message
    [attempt] = app.refused_reveals("hbw", T0.strftime("%Y-%m"))  # R15.3, in intake alone
    assert (attempt["staff_id"], attempt["promise_id"], attempt["ticket_id"]) == (
        "T01", UUID(made["promise_id"]), None,
    )  # fmt: skip
    assert published(app) == before  # the refused look publishes nothing
    promise(app, ctx, ref="p-9")
    no_phone = lambda: run(app, ctx, pc.RevealCaller, promise="p-9")  # noqa: E731
    assert "missed call" in refused(app, no_phone, "invalid")
