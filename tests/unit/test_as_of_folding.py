"""ticket.get with `as_of`: the view's history folded again, up to what was recorded by then."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.reporting.projections.tickets import history_entry
from services.reporting.queries.as_of import envelope_of, ticket_as_of
from services.reporting.queries.tickets import get_ticket
from services.reporting.views.tickets import TicketView
from shared.contracts import events as ticket_events
from shared.contracts.commands import GetTicket
from shared.contracts.replies import ErrorCode
from shared.messaging.errors import DeskError
from shared.messaging.inbox import Delivery
from shared.messaging.rpc import parse_body

T0 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
META = {"actor": "S030", "correlation_id": "corr-9", "causation_id": None}
ORDER = uuid4()
BOARD = uuid4()


def envelope(event_type: str, aggregate_id: UUID, version: int, at: datetime, **data: Any):
    """A published envelope recorded at `at`, as dispatch or escalation would send it."""
    model = ticket_events.EVENT_TYPES[event_type]
    return model.model_validate(
        {
            "event_id": uuid4(),
            "event_type": event_type,
            "schema_version": getattr(model.data_model(), "SCHEMA_VERSION", 1),
            "site": "hbw",
            "aggregate_id": aggregate_id,
            "aggregate_version": version,
            "occurred_at": at,
            "recorded_at": at,
            "correlation_id": "corr-9",
            "causation_id": None,
            "actor": "escalation" if event_type.startswith("escalation.") else "E01",
            "data": data,
        }
    )


@pytest.fixture
def life(make_ticket, translate) -> list[ticket_events.Envelope]:
    """A repair's life as the stream carries it: the ticket, its order and its clock, each event
    recorded a few minutes after the one before."""
    ticket = make_ticket()  # recorded at T0 (conftest)
    tid = ticket.id
    ref = {"ticket_id": tid, "ticket_no": "HBW-202611-0001"}
    clock = ref | {"clock": "on_site_household", "key": "on_site_household:HBW-202611-0001-W1"}
    ticket.classify(at=T0 + 10 * MINUTE, meta=META, category="plumbing")
    tickets = [translate(ev) for ev in ticket.collect_events()]
    order = [
        envelope("workorder.issued", ORDER, 1, T0 + 2 * MINUTE, ticket_id=tid,
                 order_no="HBW-202611-0001-W1", origin="automatic", department="engineering",
                 category="plumbing", urgency="general", scope="household", unit="3-1201",
                 content="厨房水管漏水", appointment=None, leak=False, rework_of=None,
                 free_of_charge=False, reason=None, non_standard=False),
        envelope("workorder.collected", ORDER, 2, T0 + 20 * MINUTE, collected_by="ENG"),
        envelope("workorder.quoted", ORDER, 3, T0 + 30 * MINUTE, amount="80.00", items="角阀"),
    ]  # fmt: skip
    sla = [
        envelope("escalation.clock_started", BOARD, 1, T0 + 3 * MINUTE, **clock,
                 order_no="HBW-202611-0001-W1", started_at=T0, deadline=T0 + 60 * MINUTE,
                 warn_at=T0 + 48 * MINUTE, target_seconds=3600, role="department_supervisor"),
        envelope("escalation.clock_paused", BOARD, 2, T0 + 30 * MINUTE, **clock,
                 reason="customer_consent", note=None, counted_seconds=1800),
    ]  # fmt: skip
    ticket.resolve(at=T0 + 40 * MINUTE, meta=META, resolution="更换角阀")
    [resolved] = [translate(ev) for ev in ticket.collect_events()]
    return [tickets[0], order[0], sla[0], tickets[1], *order[1:], sla[1], resolved]


def view_of(path, events: list[ticket_events.Envelope]) -> TicketView:
    view = TicketView(str(path))
    view.apply([Delivery(seq, ev) for seq, ev in enumerate(events, start=1)])
    return view


def test_a_history_entry_gives_back_the_envelope_it_was_made_from(life):
    for event in life:
        if event.event_type.startswith("escalation."):
            continue
        rebuilt = envelope_of(
            history_entry(event), site=event.site, aggregate_id=str(event.aggregate_id)
        )
        assert rebuilt == event.model_copy(update={"causation_id": None})


@pytest.mark.parametrize("minutes", [0, 2, 3, 9, 10, 25, 30, 39, 40, 60 * 24])
def test_as_of_a_time_is_the_view_of_what_had_been_recorded_by_then(tmp_path, life, minutes):
    """The ticket as of T equals the current ticket of a view that applied only those events."""
    as_of = T0 + minutes * MINUTE
    full = view_of(tmp_path / "full.db", life)
    then = view_of(tmp_path / "then.db", [ev for ev in life if ev.recorded_at <= as_of])
    tid = life[0].aggregate_id

    answer = get_ticket(full, "hbw", GetTicket(ticket_id=tid, as_of=as_of))

    assert answer["as_of"] == as_of.isoformat()
    assert answer["ticket"] == get_ticket(then, "hbw", GetTicket(ticket_id=tid))["ticket"]
    full.close()
    then.close()


def test_the_steps_show_in_status_history_orders_and_clocks(tmp_path, life):
    view = view_of(tmp_path / "view.db", life)
    number = "HBW-202611-0001"

    def at(minutes: int) -> dict[str, Any]:
        query = GetTicket(ticket_no=number, as_of=T0 + minutes * MINUTE)
        return get_ticket(view, "hbw", query)["ticket"]

    early, classified, paused, now = at(5), at(25), at(35), at(60)
    assert [len(t["history"]) for t in (early, classified, paused, now)] == [1, 2, 2, 3]
    assert [t["status"] for t in (early, classified, paused, now)] == [
        "received", "classified", "classified", "resolved",
    ]  # fmt: skip
    assert [t["work_orders"][0]["status"] for t in (early, classified, paused)] == [
        "issued", "collected", "collected",
    ]  # fmt: skip
    assert paused["work_orders"][0]["quote"] == {"amount": "80.00", "items": "角阀",
                                                 "state": "pending"}  # fmt: skip
    clock = "on_site_household:HBW-202611-0001-W1"
    assert early["sla"]["clocks"][clock]["state"] == "running"
    assert early["sla"]["next_deadline"] == (T0 + 60 * MINUTE).isoformat().replace("+00:00", "Z")
    assert paused["sla"]["clocks"][clock]["state"] == "paused"
    assert paused["sla"]["open_clocks"] == [clock]
    view.close()


def test_a_time_before_the_ticket_was_recorded_is_not_found(tmp_path, life):
    view = view_of(tmp_path / "view.db", life)
    query = GetTicket(ticket_id=life[0].aggregate_id, as_of=T0 - timedelta(seconds=1))

    with pytest.raises(DeskError) as raised:
        get_ticket(view, "hbw", query)

    assert raised.value.code is ErrorCode.not_found
    assert "not yet recorded as of 2026-11-10T01:59:59+00:00" in raised.value.message
    assert "recorded it at 2026-11-10T02:00:00+00:00" in raised.value.message
    view.close()


def test_an_unknown_ticket_or_another_sites_is_not_found_as_of_any_time(tmp_path, life):
    view = view_of(tmp_path / "view.db", life)
    for site, query in [
        ("hbw", GetTicket(ticket_id=uuid4(), as_of=T0)),
        ("lgp", GetTicket(ticket_id=life[0].aggregate_id, as_of=T0)),
    ]:
        with pytest.raises(DeskError) as raised:
            get_ticket(view, site, query)
        assert raised.value.code is ErrorCode.not_found
    view.close()


def test_as_of_needs_an_offset():
    with pytest.raises(DeskError) as raised:
        parse_body(GetTicket, {"ticket_no": "HBW-202611-0001", "as_of": "2026-11-10T10:00:00"})
    assert raised.value.code is ErrorCode.invalid
    assert raised.value.fields[0].field == "as_of"


def test_a_view_projected_before_it_kept_escalation_events_does_not_guess_past_clocks(
    tmp_path, life
):
    path = tmp_path / "old.db"
    view_of(path, life[:4]).close()
    with sqlite3.connect(path) as db:  # as an older version left it
        db.execute("DROP TABLE ticket_sla_events")
        db.execute("DROP TABLE view_meta")
    view = TicketView(str(path))
    view.apply([Delivery(seq, ev) for seq, ev in enumerate(life, start=1)][4:])
    tid = life[0].aggregate_id

    past = get_ticket(view, "hbw", GetTicket(ticket_id=tid, as_of=T0 + 35 * MINUTE))["ticket"]
    records = view.records("hbw", ticket_id=str(tid))

    assert past["sla"] is None  # unknown, rather than a wrong past
    assert past["status"] == "classified" and len(past["history"]) == 2
    assert records is not None and records.sla_events is None
    assert ticket_as_of(records, T0 + 60 * MINUTE)["status"] == "resolved"
    assert view.get("hbw", str(tid))["sla"]["clocks"]  # the current state is as before
    view.close()
