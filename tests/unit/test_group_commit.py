"""Group commit: the commands that arrive together are applied in order and recorded in one
transaction; each is answered as it would have been alone, a failing one with its error, which
does not fail the others (shared/eventstore/group_commit.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import ProcessingEvent, project_aggregate

from services.intake.application import IntakeApp
from services.intake.domain import Ticket, TicketCounter
from shared.contracts import commands
from shared.contracts.replies import ErrorCode
from shared.eventstore.desk_app import CommandReceipt
from shared.eventstore.group_commit import Collecting
from shared.eventstore.store import store_env
from shared.eventstore.ticket_numbers import TicketNumber
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.errors import DeskError
from shared.messaging.inbox import Delivery
from tests.postgres import STORES
from tests.support.builders import History

T1 = {"staff_id": "S017"}


@pytest.fixture
def transactions(app: IntakeApp, monkeypatch) -> list[int]:
    """How many events each transaction of the store recorded."""
    seen: list[int] = []
    record = app._record

    def counted(processing: Any) -> Any:
        seen.append(len(processing.events))
        return record(processing)

    monkeypatch.setattr(app, "_record", counted)
    return seen


def reports(report_cmd, n: int, **fields: Any) -> list[commands.ReportContact]:
    return [report_cmd(client_ref=f"desk-{i:04d}", **fields) for i in range(n)]


def test_a_batch_of_reports_is_one_transaction_numbered_as_one_by_one(
    app, ctx, report_cmd, transactions
):
    outcomes = app.execute_batch([(ctx, cmd) for cmd in reports(report_cmd, 5)])
    assert [o["ticket_no"] for o in outcomes] == [f"HBW-202611-{n:04d}" for n in range(1, 6)]
    assert len(transactions) == 1
    for outcome in outcomes:
        assert type(app.repository.get(UUID(outcome["ticket_id"]))) is Ticket


def test_the_replies_equal_those_of_the_same_commands_run_alone(ctx, report_cmd, clock):
    def fresh() -> IntakeApp:
        env = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        return IntakeApp(env, clock, SiteDirectory(strict=False))

    cmds = reports(report_cmd, 4, command_id=None)
    alone, batched = fresh(), fresh()
    one_by_one = [alone.execute(ctx, cmd) for cmd in cmds]
    assert batched.execute_batch([(ctx, cmd) for cmd in cmds]) == one_by_one


def test_a_failing_command_is_answered_with_its_error_and_the_others_commit(
    app, ctx, report_cmd, transactions, recorded
):
    good = reports(report_cmd, 3)
    bad = commands.ClassifyTicket(ticket_id="HBW-202611-0099", category="plumbing", **T1)
    outcomes = app.execute_batch([(ctx, good[0]), (ctx, bad), (ctx, good[1]), (ctx, good[2])])
    assert isinstance(outcomes[1], DeskError) and outcomes[1].code is ErrorCode.not_found
    assert [o["ticket_no"] for o in (outcomes[0], outcomes[2], outcomes[3])] == [
        "HBW-202611-0001",
        "HBW-202611-0002",
        "HBW-202611-0003",
    ]
    assert len(transactions) == 1  # it changed nothing the batch holds: the batch went on


def test_a_later_command_sees_what_an_earlier_one_of_the_same_batch_did(app, ctx, report_cmd):
    reported = app.execute(ctx, report_cmd())
    tid = reported["ticket_id"]
    classify = commands.ClassifyTicket(ticket_id=tid, category="electrical", **T1)
    resolve = commands.ResolveTicket(ticket_id=tid, resolution="修好了", **T1)
    again = commands.ResolveTicket(ticket_id=tid, resolution="又修了", **T1)
    outcomes = app.execute_batch([(ctx, classify), (ctx, resolve), (ctx, again)])
    assert outcomes[1]["status"] == "resolved"
    assert isinstance(outcomes[2], DeskError) and outcomes[2].code is ErrorCode.conflict
    events = [type(e) for e in app.events.get(UUID(tid))]
    assert events == [Ticket.Reported, Ticket.Classified, Ticket.Resolved]


def test_a_repeated_command_id_in_one_batch_takes_effect_once(app, ctx, report_cmd, recorded):
    first = report_cmd(command_id="c-1")
    repeat = report_cmd(command_id="c-1", client_ref="desk-other")
    outcomes = app.execute_batch([(ctx, first), (ctx, repeat)])
    assert outcomes[0] == outcomes[1]
    alone = app.execute(ctx, repeat)
    assert alone == outcomes[0]


def fail_after_classifying(app: IntakeApp, tid: str) -> None:
    """A VerifyOnSite of this app classifies the ticket `tid` as security, then fails."""

    def classify_then_fail(app: IntakeApp, ctx: Any, cmd: Any) -> Any:
        ticket = app.repository.get(UUID(tid))
        ticket.classify(at=app.clock.now(), meta=ctx.meta(cmd), category="security")
        raise DeskError(ErrorCode.invalid, "refused after a change")

    app.handlers = {**IntakeApp.handlers, commands.VerifyOnSite: classify_then_fail}


def test_a_command_that_half_changed_a_shared_aggregate_leaves_no_trace_of_it(
    app, ctx, report_cmd, transactions
):
    tid = app.execute(ctx, report_cmd())["ticket_id"]
    transactions.clear()

    fail_after_classifying(app, tid)
    first = commands.ClassifyTicket(ticket_id=tid, category="electrical", **T1)
    broken = commands.VerifyOnSite(ticket_id=tid, passed=True, **T1)
    after = commands.ResolveTicket(ticket_id=tid, resolution="修好了", **T1)
    outcomes = app.execute_batch([(ctx, first), (ctx, broken), (ctx, after)])
    assert isinstance(outcomes[1], DeskError)
    assert outcomes[2]["status"] == "resolved"
    ticket = app.repository.get(UUID(tid))
    assert ticket.category == "electrical"  # not the failed command's "security"
    events = [type(e) for e in app.events.get(UUID(tid))]
    assert events == [Ticket.Reported, Ticket.Classified, Ticket.Resolved]
    assert len(transactions) == 2  # what came before it, then the rest


def test_a_batch_the_store_refuses_runs_again_one_command_at_a_time(
    app, ctx, report_cmd, monkeypatch
):
    record, calls = app._record, []

    def refuse_batches(processing: Any) -> Any:
        calls.append(len(processing.events))
        if len(calls) == 1:
            raise OSError("disk full, for a moment")
        return record(processing)

    monkeypatch.setattr(app, "_record", refuse_batches)
    outcomes = app.execute_batch([(ctx, cmd) for cmd in reports(report_cmd, 3)])
    assert [o["ticket_no"] for o in outcomes] == [f"HBW-202611-{n:04d}" for n in range(1, 4)]
    assert len(calls) == 4  # the batch, then each alone


# -- deliveries from DESK: a batch, one transaction, one position ----------------------------


def orders_of(app: IntakeApp, reply: dict[str, Any]) -> History:
    """Two work orders of the ticket issued, the first signed off, as dispatch publishes them."""
    h, at = History(), app.clock.now()
    for n in (1, 2):
        h.emit("hbw", UUID(int=n), "workorder.issued", at, ticket_id=reply["ticket_id"],
               order_no=f"{reply['ticket_no']}-W{n}", origin="automatic",
               department="engineering", category=None, urgency="general", scope="household",
               unit=None, content="工单", appointment=None, leak=False, rework_of=None,
               free_of_charge=False, reason=None)  # fmt: skip
    h.emit("hbw", UUID(int=1), "workorder.signed_off", at, ticket_id=reply["ticket_id"],
           quality=5, attitude=5, comment=None, ticket_done=False)  # fmt: skip
    return h


def test_a_batch_of_deliveries_is_one_transaction_with_its_last_position(
    app, ctx, report_cmd, transactions
):
    reply = app.execute(ctx, report_cmd())
    transactions.clear()
    h = orders_of(app, reply)
    app.apply([Delivery(seq, e) for seq, e in enumerate(h.events, start=1)])
    assert len(transactions) == 1
    assert app.position() == 3
    ticket = app.repository.get(UUID(reply["ticket_id"]))
    alone = IntakeApp({"PERSISTENCE_MODULE": "eventsourcing.popo"}, app.clock, app.sites)
    alone_reply = alone.execute(ctx, report_cmd())
    for seq, e in enumerate(orders_of(alone, alone_reply).events, start=1):
        alone.apply([Delivery(seq, e)])
    assert vars(ticket) == vars(alone.repository.get(UUID(alone_reply["ticket_id"])))


def test_a_batch_whose_reaction_fails_records_nothing_of_it(app, ctx, report_cmd, monkeypatch):
    reply = app.execute(ctx, report_cmd())
    before = app.recorder.max_notification_id()
    h = orders_of(app, reply)
    react = app.react

    def third_fails(event: Any) -> list[Any]:
        if event is h.events[2]:
            raise ValueError("cannot apply")
        return react(event)

    monkeypatch.setattr(app, "react", third_fails)
    with pytest.raises(ValueError):
        app.apply([Delivery(seq, e) for seq, e in enumerate(h.events, start=1)])
    assert app.position() == 0 and app.recorder.max_notification_id() == before


# -- the cache of the store's one writer: as recorded, read again only after a failure -------


def stored(app: IntakeApp, aggregate_id: UUID) -> Any:
    """The aggregate as the store has it, not the cache."""
    return app.repository._reconstruct_aggregate(aggregate_id, None, project_aggregate)


def test_what_a_command_recorded_is_cached_and_not_read_again(app, ctx, report_cmd, monkeypatch):
    tid = UUID(app.execute(ctx, report_cmd())["ticket_id"])
    reads: list[UUID] = []
    get = app.events.get

    def get_counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(kwargs.get("originator_id", args[0] if args else None))
        return get(*args, **kwargs)

    monkeypatch.setattr(app.events, "get", get_counted)
    classify = commands.ClassifyTicket(ticket_id=tid, category="electrical", **T1)
    app.execute(ctx, classify)
    assert tid not in reads  # the ticket as the report recorded it, not read from the store
    assert vars(app.repository.get(tid)) == vars(stored(app, tid))


def test_a_reader_that_read_before_the_last_commit_does_not_put_back_the_older(
    app, ctx, report_cmd
):
    tid = UUID(app.execute(ctx, report_cmd())["ticket_id"])
    older = stored(app, tid)  # a reader's miss, read just before the writer's commit
    app.execute(ctx, commands.ClassifyTicket(ticket_id=tid, category="electrical", **T1))
    assert app.repository.remember(tid, older).version > older.version
    assert app.repository.get(tid).category == "electrical"


def test_what_the_store_refused_is_read_again_from_the_store(app, ctx, report_cmd, monkeypatch):
    tid = UUID(app.execute(ctx, report_cmd())["ticket_id"])
    put = app.events.put

    def refuse_once(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(app.events, "put", put)
        raise OSError("disk full, for a moment")

    monkeypatch.setattr(app.events, "put", refuse_once)
    classify = commands.ClassifyTicket(ticket_id=tid, category="electrical", **T1)
    with pytest.raises(OSError):
        app.execute(ctx, classify)
    assert vars(app.repository.get(tid)) == vars(stored(app, tid))
    app.execute(ctx, classify)
    assert app.repository.get(tid).category == "electrical"


def test_a_half_changed_aggregate_of_a_batch_is_not_cached_as_it_was_left(app, ctx, report_cmd):
    tid = app.execute(ctx, report_cmd())["ticket_id"]

    fail_after_classifying(app, tid)
    first = commands.ClassifyTicket(ticket_id=tid, category="electrical", **T1)
    broken = commands.VerifyOnSite(ticket_id=tid, passed=True, **T1)
    app.execute_batch([(ctx, first), (ctx, broken)])
    assert app.repository.get(UUID(tid)).category == "electrical"
    assert vars(app.repository.get(UUID(tid))) == vars(stored(app, UUID(tid)))


def test_an_aggregate_not_in_the_store_costs_one_read_and_a_counter_its_snapshot(
    app, ctx, report_cmd, monkeypatch
):
    for cmd in reports(report_cmd, 25):  # the month's counter snapshotted at 20
        app.execute(ctx, cmd)
    reads: list[str] = []

    def counted(name: str, get: Any) -> Any:
        return lambda *args, **kwargs: reads.append(name) or get(*args, **kwargs)

    monkeypatch.setattr(app.events, "get", counted("events", app.events.get))
    monkeypatch.setattr(app.snapshots, "get", counted("snapshots", app.snapshots.get))
    assert app.get(UUID(int=7), Ticket) is None
    assert reads == ["events"]
    app.repository.forget(TicketCounter.id_for("hbw", "202611"))
    reads.clear()
    counter = app.repository.get(TicketCounter.id_for("hbw", "202611"))
    assert counter.last == 25 and reads == ["events", "snapshots", "events"]


def test_a_counter_is_snapshotted_as_recorded_without_reading_it_back(
    app, ctx, report_cmd, monkeypatch
):
    counter_id = TicketCounter.id_for("hbw", "202611")
    reads: list[UUID] = []
    get = app.events.get

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(kwargs.get("originator_id", args[0] if args else None))
        return get(*args, **kwargs)

    cmds = reports(report_cmd, 45)
    app.execute_batch([(ctx, cmd) for cmd in cmds[:7]])  # the counter read once: not there
    monkeypatch.setattr(app.events, "get", counted)
    for at in range(7, 45, 7):  # batches that cross 20 and 40 mid-batch
        app.execute_batch([(ctx, cmd) for cmd in cmds[at : at + 7]])
    assert counter_id not in reads
    monkeypatch.undo()
    snapshots = list(app.snapshots.get(counter_id))
    assert [s.originator_version for s in snapshots] == [22, 43]  # a crossing batch's last
    for snapshot in snapshots:  # the state the store's events give at that version
        replayed = project_aggregate(None, get(counter_id, lte=snapshot.originator_version))
        assert vars(snapshot.mutate(None)) == vars(replayed)
    app.repository.forget(counter_id)
    assert app.repository.get(counter_id).last == 45


@pytest.mark.parametrize("persistence", STORES)
def test_a_batch_asks_the_store_once_for_the_ids_its_commands_will_look_up(
    store_settings, tmp_path, clock, ctx, report_cmd, monkeypatch
):
    """Its new tickets, their numbers' index entries and its receipts cost no query each; what
    the store holds (a repeated report, a repeated command) is found as before."""
    env = store_env(Settings(data_dir=tmp_path, **store_settings), "intake")
    cmds = [report_cmd(client_ref=f"desk-{i:04d}", command_id=f"c-{i}") for i in range(6)]
    app = IntakeApp(env, clock, SiteDirectory(strict=False))
    try:
        first = app.execute_batch([(ctx, cmd) for cmd in cmds[:3]])
    finally:
        app.close()
    app = IntakeApp(env, clock, SiteDirectory(strict=False))  # nothing cached
    try:
        reads: list[UUID] = []
        get = app.events.get

        def counted(*args: Any, **kwargs: Any) -> Any:
            reads.append(kwargs.get("originator_id", args[0] if args else None))
            return get(*args, **kwargs)

        monkeypatch.setattr(app.events, "get", counted)
        again = [report_cmd(client_ref="desk-0000", command_id="c-new"), cmds[1]]
        outcomes = app.execute_batch([(ctx, cmd) for cmd in [*again, *cmds[3:]]])
        assert outcomes[0] == first[0] | {"duplicate": True}  # the same report again
        assert outcomes[1] == first[1]  # the same command again: its first reply
        assert [o["ticket_no"] for o in outcomes[2:]] == [f"HBW-202611-{n:04d}" for n in (4, 5, 6)]
        assert UUID(first[0]["ticket_id"]) in reads  # what the store holds is read as before
        assert CommandReceipt.id_for(ctx.site, "intake", "c-1") in reads
        new = {UUID(o["ticket_id"]) for o in outcomes[2:]}
        new |= {CommandReceipt.id_for(ctx.site, "intake", f"c-{i}") for i in range(3, 6)}
        new |= {TicketNumber.id_for(ctx.site, o["ticket_no"]) for o in outcomes[2:]}
        assert not new & set(reads)  # what it does not hold: one query for them all
    finally:
        app.close()


def test_a_batch_collects_what_eventsourcing_would_in_the_same_order() -> None:
    """`Collecting` skips eventsourcing's protocol checks for aggregates only: aggregates,
    domain events and None, mixed, give the events, their order and the aggregates that
    `ProcessingEvent` gives."""

    def made() -> list[Any]:
        first, second, loose = (
            TicketCounter.start(site=site, month=month, at=datetime(2026, 11, 2, tzinfo=UTC))
            for site, month in (("hbw", "202611"), ("tech-park", "202611"), ("hbw", "202612"))
        )
        first.next_number(datetime(2026, 11, 2, 1, tzinfo=UTC))
        [event] = loose.collect_events()  # a domain event on its own
        return [first, None, event, second]

    ours, theirs = Collecting(), ProcessingEvent()
    ours.collect_events(*made(), note=1)
    theirs.collect_events(*made(), note=1)
    assert [(type(e), e.originator_id) for e in ours.events] == [
        (type(e), e.originator_id) for e in theirs.events
    ]
    assert list(ours.aggregates) == list(theirs.aggregates)
    assert ours.saved_kwargs == theirs.saved_kwargs == {"note": 1}
