"""Intake's aggregates stored before its domain became a package (issue 12) name their classes by
the old modules: `services.intake.domain:Ticket…`, `services.intake.bookkeeping:TicketCounter…`
(its snapshots too), `services.intake.review:MonthReview…`, `services.intake.audit:AccessLog…`.
Such a store still loads, into the same aggregates."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from services.intake.domain import AccessLog, MonthReview, Ticket, TicketCounter
from shared.contracts import commands

OLD = {
    Ticket: "services.intake.domain",
    TicketCounter: "services.intake.bookkeeping",
    MonthReview: "services.intake.review",
    AccessLog: "services.intake.audit",
}


def _as_stored_before(topic: str, kind: type) -> str:
    module, _, name = topic.partition(":")
    return f"{OLD[kind]}:{name}" if module == kind.__module__ else topic


def _stored_before(app, record, kind: type):
    """The record as the code before the move wrote it: its topic, and in the created event's
    state the aggregate's topic, name the old module."""
    state = app.mapper.transcoder.decode(record.state)
    if "originator_topic" in state:
        state["originator_topic"] = _as_stored_before(state["originator_topic"], kind)
    return replace(
        record,
        topic=_as_stored_before(record.topic, kind),
        state=app.mapper.transcoder.encode(state),
    )


def _stored(app, ctx, report_cmd) -> dict[type, UUID]:
    """Every kind of intake aggregate, a counter with a snapshot among them."""
    replies = [app.execute(ctx, report_cmd(client_ref=f"desk-{n:04d}")) for n in range(21)]
    analysis = {"staff_id": "M01", "month": "2026-11", "cause": "漏水多", "lessons": "巡查",
                "actions": "每周巡查"}  # fmt: skip
    app.execute(ctx, commands.AttachMonthAnalysis.model_validate(analysis))
    now = app.clock.now()
    log = AccessLog.reveal_refused(
        None, site="hbw", month="2026-11", at=now, staff_id="S9", role=None,
        ticket_id=UUID(replies[0]["ticket_id"]), purpose="回访", reason="not on the staff list",
        correlation_id="corr-1",
    )  # fmt: skip
    app.save(log)
    return {
        Ticket: UUID(replies[0]["ticket_id"]),
        TicketCounter: TicketCounter.id_for("hbw", "202611"),
        MonthReview: MonthReview.id_for("hbw", "2026-11"),
        AccessLog: log.id,
    }


def test_events_stored_under_the_old_topics_load_into_the_same_aggregates(app, ctx, report_cmd):
    for kind, aggregate_id in _stored(app, ctx, report_cmd).items():
        stored = app.recorder.select_events(aggregate_id)
        old = [_stored_before(app, s, kind) for s in stored]
        assert all(s.topic.startswith(f"{OLD[kind]}:{kind.__name__}.") for s in old), kind
        created = app.mapper.transcoder.decode(old[0].state)
        assert created["originator_topic"] == f"{OLD[kind]}:{kind.__name__}"
        loaded = None
        for record in old:
            loaded = app.mapper.to_domain_event(record).mutate(loaded)
        assert type(loaded) is kind
        assert vars(loaded) == vars(app.repository.get(aggregate_id))


def test_a_counter_snapshot_stored_under_the_old_topic_loads(app, ctx, report_cmd):
    counter_id = _stored(app, ctx, report_cmd)[TicketCounter]
    [snapshot] = app.snapshots.recorder.select_events(counter_id, desc=True, limit=1)
    state = app.mapper.transcoder.decode(snapshot.state)
    assert state["topic"] == f"{TicketCounter.__module__}:TicketCounter"
    state["topic"] = "services.intake.bookkeeping:TicketCounter"
    old = replace(snapshot, state=app.mapper.transcoder.encode(state))
    counter = app.mapper.to_domain_event(old).mutate(None)
    assert type(counter) is TicketCounter
    assert (counter.version, counter.last) == (20, 19)  # Started, then 19 numbers
