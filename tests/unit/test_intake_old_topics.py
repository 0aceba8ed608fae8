"""Intake's aggregates stored before its domain became a package (issue 12) name their classes by
the old modules: `services.intake.domain:Ticket…`, `services.intake.bookkeeping:TicketCounter…`
(its snapshots too), `services.intake.review:MonthReview…`, `services.intake.audit:AccessLog…`.
Such a store still loads, into the same aggregates. The ticket's events, written in
`domain/ticket_events.py` since (issue 12), keep the topics they were stored under."""

from __future__ import annotations

import sqlite3
import tarfile
from dataclasses import replace
from pathlib import Path
from uuid import UUID

from eventsourcing.utils import get_topic, resolve_topic

from services.intake.domain import AccessLog, MonthReview, Ticket, TicketCounter
from shared.contracts import commands

LEGACY = Path(__file__).parents[1] / "fixtures" / "legacy" / "data.tar.gz"
TICKET_EVENTS = ("Reported", "Classified", "ContactLinked", "ContactRevealed", "Replied",
                 "SolutionAccepted", "Resolved", "FollowedUp", "VerifiedOnSite", "Closed",
                 "Reopened", "Cancelled")  # fmt: skip

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


def test_a_cancellation_stored_with_a_free_text_reason_reads_as_its_note_G2() -> None:
    """Ticket.Cancelled v1 (before issue 13) kept a free-text reason: it loads as the note, with
    reason duplicate when it named duplicate_of, else withdrawn."""
    import json
    from uuid import uuid4

    from eventsourcing.persistence import StoredEvent

    from services.intake.application import IntakeApp
    from shared.kernel.clock import FixedClock
    from shared.kernel.sites import SiteDirectory
    from tests.unit.conftest import META, T0, _ticket

    for duplicate_of, reason in ((None, "withdrawn"), (uuid4(), "duplicate")):
        app = IntakeApp(
            {"PERSISTENCE_MODULE": "eventsourcing.popo"},
            FixedClock(T0),
            SiteDirectory(strict=False),
        )
        ticket = _ticket()
        ticket.cancel(at=T0, meta=META, reason=reason, note="x", duplicate_of=duplicate_of)
        stored = [app.mapper.to_stored_event(e) for e in ticket.collect_events()]
        state = json.loads(stored[-1].state)
        state.pop("note"), state.pop("class_version")
        state["reason"] = "业主来电撤回, 重复登记"
        old = StoredEvent(stored[-1].originator_id, stored[-1].originator_version,
                          stored[-1].topic, json.dumps(state).encode())  # fmt: skip
        app.recorder.insert_events([*stored[:-1], old])
        [*_, cancelled] = app.events.get(ticket.id)
        assert (cancelled.reason, cancelled.note) == (reason, "业主来电撤回, 重复登记")
        assert app.ticket(ticket.id).status == "cancelled"


def test_the_tickets_events_keep_their_topics_written_in_their_own_module(tmp_path) -> None:
    """Named in `Ticket`'s body, each event of ticket_events.py is `Ticket.<Name>` of
    services.intake.domain.ticket, as when it was written inside `Ticket`; a store written before
    (tests/fixtures/legacy, under the older `services.intake.domain:Ticket.<Name>`) reads into
    the same classes."""
    for name in TICKET_EVENTS:
        event_class = getattr(Ticket, name)
        assert get_topic(event_class) == f"services.intake.domain.ticket:Ticket.{name}"
        assert resolve_topic(f"services.intake.domain.ticket:Ticket.{name}") is event_class
        assert issubclass(event_class, Ticket.Event)
    with tarfile.open(LEGACY) as tar:
        tar.extract("data/intake.sqlite3", tmp_path, filter="data")
    with sqlite3.connect(tmp_path / "data" / "intake.sqlite3") as db:
        topics = {r[0] for r in db.execute("SELECT DISTINCT topic FROM stored_events")}
    stored = {t for t in topics if t.startswith("services.intake.domain:Ticket.")}
    assert len(stored) >= 6
    for topic in stored:
        assert resolve_topic(topic) is getattr(Ticket, topic.rpartition(".")[2]), topic
