"""What leaves intake: envelopes with no reporter name or phone number (R15.1–R15.5,
docs/DOMAIN.md §9)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.intake.adapters.translate import Translator
from services.intake.domain import Ticket, TicketCounter
from shared.contracts import commands as intake_commands
from shared.contracts import events as ticket_events
from shared.eventstore.desk_app import CommandContext, CommandReceipt

AT = datetime(2026, 11, 10, 3, 0, tzinfo=UTC)
META = {"actor": "S017", "correlation_id": "corr-1", "causation_id": "cmd-9"}


def digits(text: str) -> str:
    """The text without the separators people put inside phone numbers."""
    return re.sub(r"[\s+-]", "", text)


def envelopes(translate, ticket) -> list[ticket_events.Envelope]:
    return [translate(event) for event in ticket.collect_events()]


def a_whole_life(make_ticket) -> Ticket:
    """A ticket that emits every Ticket event type except Cancelled; free text names 张三."""
    t = make_ticket(kind="complaint", category="cleaning", content="张三 13800138000 投诉保洁")
    t.classify(at=AT, meta=META, validity="valid", severity="minor")
    t.hand_over(at=AT, meta=META, to_staff="S020", reason="张三要求换人跟进, 13800138000")  # R10.1
    t.reply(at=AT, meta=META, message="张三您好, 已通知保洁, 有事请打 13800138000")
    t.link_contact(
        at=AT,
        meta=META,
        channel="visit",
        content="王五来访, 电话 139 1234 5678",
        reporter={"name": "王五", "phone": "139 1234 5678", "room": "3-1202"},
        received_at=AT,
    )
    t.reveal_contact(at=AT, meta=META, purpose="回访张三")
    t.accept_solution(at=AT, meta=META, solution="张三同意今天下午重新清扫")
    t.resolve(at=AT, meta=META, resolution="已回复张三")
    t.follow_up(at=AT, meta=META, satisfied=False, score=2, comment="张三说还是脏")
    t.accept_solution(at=AT, meta=META, solution="王五同意明早再清 13800138000")
    t.resolve(at=AT, meta=META, resolution="再次清理, 已告知王五")
    t.follow_up(at=AT, meta=META, satisfied=True, score=5, comment="满意")
    return t


def test_the_reported_envelope_carries_neither_name_nor_phone_even_in_the_content(
    make_ticket, translate
):
    ticket = make_ticket(content="我是张三, 电话13800138000, 厨房水管漏水")
    [reported] = envelopes(translate, ticket)
    raw = reported.model_dump_json()
    assert "张三" not in raw
    assert "13800138000" not in digits(raw)
    assert "厨房水管漏水" in reported.data.content


def test_the_unit_is_the_reporters_room(make_ticket, translate):
    [reported] = envelopes(translate, make_ticket())
    assert reported.data.unit == "3-1201"


@pytest.mark.parametrize(
    "number", ["138 0013 8000", "+86-138-0013-8000", "0755-26012345", "13912345678"]
)
def test_phone_like_digit_runs_are_masked_even_when_not_the_reporters(
    make_ticket, translate, number
):
    ticket = make_ticket(channel="visit", reporter={"name": "张三"}, content=f"邻居电话 {number}")
    [reported] = envelopes(translate, ticket)
    assert digits(number) not in digits(reported.data.content)
    assert reported.data.content.startswith("邻居电话")


def cancelled(make_ticket) -> Ticket:
    ticket = make_ticket(client_ref="desk-0002")
    ticket.cancel(at=AT, meta=META, reason="withdrawn", note="张三(13800138000)撤回")
    return ticket


def test_no_free_text_of_any_event_names_any_reporter_of_the_ticket(make_ticket, translate):
    published = envelopes(translate, a_whole_life(make_ticket))
    published += envelopes(translate, cancelled(make_ticket))
    raws = [env.model_dump_json() for env in published]
    assert len(raws) == 16  # a hand-over among them (R10.1)
    for raw in raws:
        assert "张三" not in raw and "王五" not in raw
        assert "13800138000" not in digits(raw) and "13912345678" not in digits(raw)


def verified_finding(make_ticket) -> Ticket:
    """An inspection finding checked on site (R13.17); its note is masked like any free text."""
    ticket = make_ticket(client_ref="desk-0003", channel="inspection", reporter=None)
    ticket.resolve(at=AT, meta=META, resolution="已更换阀门")
    ticket.verify(at=AT, meta=META, verified_by="S07", verified_at=AT, passed=True,
                  note="复查无渗漏, 物业电话 13800138000")  # fmt: skip
    return ticket


def special_care(make_ticket) -> Ticket:
    """Reported from a special-care resident's phone (R11.10): marked, the resident by id."""
    ticket = make_ticket(client_ref="desk-0004")
    ticket.mark_special_care(at=AT, meta=META, resident_id=uuid4())
    return ticket


def test_every_ticket_event_becomes_an_envelope_that_the_stream_contract_accepts(
    make_ticket, translate
):
    published = envelopes(translate, a_whole_life(make_ticket))
    published += envelopes(translate, cancelled(make_ticket))
    published += envelopes(translate, special_care(make_ticket))
    published += envelopes(translate, verified_finding(make_ticket))
    assert "13800138000" not in digits(published[-2].model_dump_json())  # the note, masked
    assert {env.event_type for env in published} == {
        t for t in ticket_events.EVENT_TYPES if t.startswith("ticket.")
    }
    for env in published:
        assert ticket_events.parse_event(env.model_dump_json()) == env


def test_envelopes_carry_the_events_site_version_actor_and_causation(make_ticket, translate):
    ticket = make_ticket(received_at=AT - timedelta(minutes=30))
    ticket.resolve(at=AT, meta=META, resolution="done")
    reported, resolved = envelopes(translate, ticket)
    assert [(env.site, env.aggregate_id) for env in (reported, resolved)] == [
        ("hbw", ticket.id),
        ("hbw", ticket.id),
    ]
    assert (reported.aggregate_version, resolved.aggregate_version) == (1, 2)
    assert reported.occurred_at == AT - timedelta(minutes=30)  # when the contact came in
    assert (resolved.occurred_at, resolved.recorded_at) == (AT, AT)
    assert (resolved.actor, resolved.correlation_id, resolved.causation_id) == (
        "S017",
        "corr-1",
        "cmd-9",
    )


def test_the_event_id_is_the_same_whenever_the_same_event_is_translated_again(make_ticket):
    ticket = make_ticket()
    ticket.resolve(at=AT, meta=META, resolution="done")
    events = ticket.collect_events()
    one, two = Translator(lambda _: []), Translator(lambda _: [])
    ids = [one(ev).event_id for ev in events]
    assert ids == [two(ev).event_id for ev in events]
    assert len(set(ids)) == 2


def test_receipts_and_counters_are_not_published():
    receipt = CommandReceipt.record(site="hbw", service="intake", command_id="k", reply={}, at=AT)
    counter = TicketCounter.start(site="hbw", month="202611", at=AT)
    counter.next_number(AT)
    translator = Translator(lambda _: [])
    internal = receipt.collect_events() + counter.collect_events()
    assert [translator(ev) for ev in internal] == [None, None, None]


def test_events_read_back_from_the_intake_store_translate_like_the_relay_does(app, ctx):
    """The relay's path: stored notification -> domain event -> envelope (appointment included)."""
    start = AT + timedelta(days=1)
    cmd = intake_commands.ReportContact(
        staff_id="S017",
        client_ref="desk-42",
        channel="phone",
        kind="repair",
        reporter={"name": "赵六", "phone": "13700137000", "room": "8-801"},
        content="赵六报修热水器, 回电13700137000",
        appointment={"start": start, "end": start + timedelta(hours=2)},
    )
    app.execute(CommandContext("hbw", "corr-7"), cmd)

    def reporters_of(ticket_id):
        return [ev.reporter for ev in app.events.get(ticket_id) if isinstance(ev, Ticket.Reported)]

    translator = Translator(reporters_of)
    stored = app.recorder.select_notifications(1, 10)
    published = [translator(app.mapper.to_domain_event(n)) for n in stored]
    [reported] = [env for env in published if env is not None]
    assert reported.data.appointment == ticket_events.Appointment(
        start=start, end=start + timedelta(hours=2)
    )
    assert "赵六" not in reported.model_dump_json()
    assert "13700137000" not in digits(reported.model_dump_json())


def test_a_counters_events_keep_the_reporters_and_read_those_stored_before_them(app):
    """A number's event records who reported the ticket (intake's store only; the analysis is
    masked with them). Events stored before issue 5 (class version 1) are upcast, not refused;
    the counter's state, and so its snapshots, holds only the last number."""
    import dataclasses

    from eventsourcing.domain import Snapshot

    mapper = app.mapper
    transcoder = mapper.transcoder
    counter = TicketCounter.start(site="hbw", month="202611", at=AT)
    reporter = {"name": "王小明", "phone": "13800138000", "room": "3-201"}
    counter.next_number(AT, reporter)
    started, issued = counter.collect_events()
    assert issued.reporter == reporter

    stored = mapper.to_stored_event(issued)
    state = transcoder.decode(stored.state)
    state.pop("class_version")
    state.pop("reporter")
    old = mapper.to_domain_event(dataclasses.replace(stored, state=transcoder.encode(state)))
    assert old.reporter is None
    rebuilt = started.mutate(None)
    old.mutate(rebuilt)
    assert rebuilt.last == 1
    assert "王小明" not in str(Snapshot.take(counter).state)
