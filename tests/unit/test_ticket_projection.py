"""projections.tickets.evolve: the read model a sequence of ticket events folds into."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import reduce
from uuid import uuid4

from services.reporting.projections.tickets import evolve, history_entry
from shared.contracts import events as ticket_events

AT = datetime(2026, 11, 10, 6, 0, tzinfo=UTC)
META = {"actor": "S030", "correlation_id": "corr-2", "causation_id": None}


def fold(translate, ticket):
    return reduce(evolve, [translate(ev) for ev in ticket.collect_events()], None)


def test_a_reported_ticket_is_received_owned_by_its_first_contact_R10_1(make_ticket, translate):
    state = fold(translate, make_ticket(actor="S099"))
    assert (state["status"], state["owner"], state["kind"]) == ("received", "S099", "repair")
    assert (state["unit"], state["category"], state["ticket_no"]) == (
        "3-1201",
        "plumbing",
        "HBW-202611-0001",
    )
    assert (state["repeat_count"], state["reopen_count"], state["follow_up_count"]) == (0, 0, 0)


def test_the_read_model_never_holds_the_reporters_name_or_phone_R15_1(make_ticket, translate):
    state = fold(translate, make_ticket(content="张三 13800138000 报修"))
    assert "张三" not in str(state) and "13800138000" not in str(state)


def test_a_classification_sets_validity_and_severity_of_a_complaint_R5_1(make_ticket, translate):
    ticket = make_ticket(kind="complaint", category="cleaning")
    ticket.classify(at=AT, meta=META, validity="valid", severity="important")
    state = fold(translate, ticket)
    assert (state["status"], state["validity"], state["severity"]) == (
        "classified",
        "valid",
        "important",
    )
    assert state["communicative_type"] is None


def test_a_full_life_counts_repeats_reopenings_and_follow_ups(make_ticket, translate):
    ticket = make_ticket()
    ticket.link_contact(
        at=AT, meta=META, channel="visit", content="再次反映", reporter=None, received_at=AT
    )
    ticket.resolve(at=AT, meta=META, resolution="第一次处理")
    ticket.follow_up(at=AT, meta=META, satisfied=False, score=2, comment="没修好")
    closed_at = AT + timedelta(days=1)
    ticket.resolve(at=closed_at, meta=META, resolution="第二次处理")
    ticket.follow_up(at=closed_at, meta=META, satisfied=True, score=5, comment=None)
    state = fold(translate, ticket)
    assert (state["status"], state["resolution"]) == ("closed", "第二次处理")
    assert (state["repeat_count"], state["reopen_count"], state["follow_up_count"]) == (1, 1, 2)
    assert state["closed_at"] == state["resolved_at"] == closed_at.isoformat()
    assert state["last_follow_up"] == {
        "satisfied": True,
        "score": 5,
        "comment": None,
        "at": closed_at.isoformat(),
    }


def test_reopening_a_closed_ticket_clears_its_closing_time(make_ticket, translate):
    ticket = make_ticket()
    ticket.resolve(at=AT, meta=META, resolution="done")
    ticket.follow_up(at=AT, meta=META, satisfied=True, score=4, comment=None)
    closed = fold(translate, ticket)
    assert closed["closed_at"] == AT.isoformat()
    ticket.reopen(at=AT, meta=META, reason="业主再次来电")
    [reopened] = (translate(ev) for ev in ticket.collect_events())
    state = evolve(closed, reopened)
    assert (state["status"], state["closed_at"], state["reopen_count"]) == ("reopened", None, 1)


def test_a_cancelled_ticket_keeps_the_reason(make_ticket, translate):
    ticket = make_ticket()
    ticket.cancel(at=AT, meta=META, reason="withdrawn", note="业主撤回")
    state = fold(translate, ticket)
    assert (state["status"], state["cancel_reason"], state["cancel_note"]) == (
        "cancelled", "withdrawn", "业主撤回",
    )  # fmt: skip


def test_an_event_about_a_ticket_not_yet_reported_yields_nothing(make_ticket, translate):
    ticket = make_ticket()
    ticket.resolve(at=AT, meta=META, resolution="done")
    _, resolved = (translate(ev) for ev in ticket.collect_events())
    assert evolve(None, resolved) is None


def test_a_schema_1_cancellation_reads_its_free_text_reason_as_the_note_G2():
    """Events published before issue 13 kept a free-text reason: still read, as the note."""
    data = ticket_events.TicketCancelled.model_validate({"reason": "重复", "duplicate_of": None})
    assert (data.reason, data.note) == ("withdrawn", "重复")
    dup = ticket_events.TicketCancelled.model_validate({"reason": "重复", "duplicate_of": uuid4()})
    assert (dup.reason, dup.note) == ("duplicate", "重复")


def test_a_directly_built_envelope_folds_like_a_translated_one():
    envelope = ticket_events.TicketCancelledEvent(
        event_id=uuid4(),
        event_type="ticket.cancelled",
        schema_version=1,
        site="hbw",
        aggregate_id=uuid4(),
        aggregate_version=2,
        occurred_at=AT,
        recorded_at=AT,
        correlation_id="c",
        causation_id=None,
        actor="S1",
        data=ticket_events.TicketCancelled(reason="重复", duplicate_of=None),
    )
    assert evolve({"status": "received", "cancel_reason": None}, envelope) == {
        "status": "cancelled",
        "cancel_reason": "withdrawn",
        "cancel_note": "重复",
        "duplicate_of": None,
    }


def test_a_history_entry_records_who_did_what_when(make_ticket, translate):
    ticket = make_ticket()
    ticket.resolve(at=AT, meta=META, resolution="换了阀门")
    _, resolved = (translate(ev) for ev in ticket.collect_events())
    entry = history_entry(resolved)
    assert (entry["version"], entry["event_type"], entry["actor"]) == (2, "ticket.resolved", "S030")
    assert (entry["data"], entry["occurred_at"]) == ({"resolution": "换了阀门"}, AT.isoformat())


def test_replies_record_the_first_reply_time_and_count_R10_2(make_ticket, translate):
    ticket = make_ticket()
    later = AT + timedelta(minutes=4)
    ticket.reply(at=AT, meta=META, message="已安排人员")
    ticket.reply(at=later, meta=META, message="师傅已出发")
    state = fold(translate, ticket)
    assert (state["first_reply_at"], state["reply_count"]) == (AT.isoformat(), 2)
    assert state["status"] == "received"


def test_every_published_event_of_a_ticket_order_or_clock_has_a_step_keyed_by_its_class() -> None:
    from services.reporting.projections.service_levels import SERVICE_LEVELS
    from services.reporting.projections.tickets import TICKETS
    from services.reporting.projections.work_orders import WORK_ORDERS
    from shared.contracts.escalation_events import ESCALATION_EVENTS
    from shared.contracts.workorder_events import WORKORDER_EVENTS

    assert set(SERVICE_LEVELS.steps) == set(ESCALATION_EVENTS)
    assert set(WORK_ORDERS.steps) == set(WORKORDER_EVENTS)
    assert set(TICKETS.steps) == set(ticket_events.TICKET_EVENTS)
