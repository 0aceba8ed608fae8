"""TicketView: applies stream batches exactly once and answers the ticket queries."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from services.reporting.queries.tickets import get_ticket, list_tickets
from services.reporting.views.tickets import TicketView
from shared.contracts.commands import GetTicket, ListTickets
from shared.contracts.escalation_events import EscalationIncidentAlertedEvent
from shared.contracts.replies import ErrorCode
from shared.messaging.errors import DeskError
from shared.messaging.inbox import Delivery, decode

AT = datetime(2026, 11, 10, 6, 0, tzinfo=UTC)
META = {"actor": "S030", "correlation_id": "corr-2", "causation_id": None}


@pytest.fixture
def deliveries(make_ticket, translate) -> list[Delivery]:
    """Four tickets as the stream carries them: seq 1.. in order, one foreign message at seq 4."""
    a = make_ticket(client_ref="a", ticket_no="HBW-202611-0001")
    b = make_ticket(client_ref="b", ticket_no="HBW-202611-0002", kind="complaint")
    c = make_ticket(client_ref="c", ticket_no="HBW-202611-0003", kind="inquiry")
    d = make_ticket(site="lgp", client_ref="d", ticket_no="LGP-202611-0001")
    reported = [*a.collect_events(), *b.collect_events()]
    a.resolve(at=AT, meta=META, resolution="修好了")
    b.classify(at=AT, meta=META, validity="valid", severity="minor")
    events = [*reported, *a.collect_events(), None, *c.collect_events(), *b.collect_events()]
    events += d.collect_events()
    return [
        Delivery(seq, translate(ev) if ev is not None else None)
        for seq, ev in enumerate(events, start=1)
    ]


@pytest.fixture
def view(tmp_path):
    v = TicketView(str(tmp_path / "view.db"))
    yield v
    v.close()


def ids(page) -> list[str]:
    return [t["client_ref"] for t in page]


def test_a_new_view_is_at_position_zero(view):
    assert view.position() == 0


def test_applying_a_batch_records_the_last_sequence_with_the_rows(view, deliveries):
    view.apply(deliveries)
    assert view.position() == len(deliveries)
    a = view.get("hbw", str(deliveries[0].envelope.aggregate_id))
    assert (a["status"], a["resolution"]) == ("resolved", "修好了")
    assert [h["event_type"] for h in a["history"]] == ["ticket.reported", "ticket.resolved"]


def test_a_redelivered_batch_changes_nothing(view, deliveries):
    view.apply(deliveries[:5])
    before = (view.checksum(), view.position())
    view.apply(deliveries[:5])
    view.apply(deliveries[2:4])
    assert (view.checksum(), view.position()) == before


def test_an_event_republished_under_a_new_sequence_changes_nothing_but_moves_on(view, deliveries):
    view.apply(deliveries)
    before = view.checksum()
    republished = Delivery(len(deliveries) + 1, deliveries[2].envelope)  # a's resolved, again
    view.apply([republished])
    assert view.checksum() == before
    assert view.position() == republished.seq


def test_a_message_the_view_cannot_read_only_advances_the_position(view, deliveries):
    view.apply(deliveries[:3])
    before = view.checksum()
    view.apply([decode(4, b'{"event_type": "workorder.issued"}')])
    assert (view.checksum(), view.position()) == (before, 4)


def test_the_same_stream_in_any_batch_sizes_gives_the_same_view(tmp_path, deliveries):
    checksums = set()
    for size in (1, 3, len(deliveries)):
        view = TicketView(str(tmp_path / f"view-{size}.db"))
        for i in range(0, len(deliveries), size):
            view.apply(deliveries[i : i + size])
        checksums.add(view.checksum())
        view.close()
    assert len(checksums) == 1


def test_a_ticket_is_not_visible_from_another_site(view, deliveries):
    view.apply(deliveries)
    lgp_ticket = str(deliveries[-1].envelope.aggregate_id)
    assert view.get("lgp", lgp_ticket) is not None
    assert view.get("hbw", lgp_ticket) is None
    assert ids(view.list("hbw", status=None, kind=None, limit=50, before_seq=None)[0]) == [
        "c",
        "b",
        "a",
    ]


def test_list_pages_newest_first_with_a_cursor(view, deliveries):
    view.apply(deliveries)
    pages, cursor = [], None
    while True:
        reply = list_tickets(view, "hbw", ListTickets(limit=2, cursor=cursor))
        pages.append(ids(reply["tickets"]))
        cursor = reply["next_cursor"]
        if cursor is None:
            break
    assert pages == [["c", "b"], ["a"]]


def test_list_filters_by_status_and_kind(view, deliveries):
    view.apply(deliveries)
    assert ids(list_tickets(view, "hbw", ListTickets(status="classified"))["tickets"]) == ["b"]
    assert ids(list_tickets(view, "hbw", ListTickets(kind="repair"))["tickets"]) == ["a"]
    received_repairs = ListTickets(status="received", kind="repair")
    assert list_tickets(view, "hbw", received_repairs)["tickets"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [(ListTickets(status="open"), "status"), (ListTickets(cursor="abc"), "cursor")],
)
def test_list_refuses_an_unknown_status_or_a_foreign_cursor(view, query, field):
    with pytest.raises(DeskError) as raised:
        list_tickets(view, "hbw", query)
    assert (raised.value.code, raised.value.fields[0].field) == (ErrorCode.invalid, field)


def test_get_ticket_of_another_site_is_not_found(view, deliveries):
    view.apply(deliveries)
    query = GetTicket(ticket_id=deliveries[-1].envelope.aggregate_id)
    assert get_ticket(view, "lgp", query)["ticket"]["client_ref"] == "d"
    with pytest.raises(DeskError) as raised:
        get_ticket(view, "hbw", query)
    assert raised.value.code is ErrorCode.not_found


def _alert(occurred_at: datetime | None) -> EscalationIncidentAlertedEvent:
    """An incident's alert as escalation published it: schema 1 (before it said when the incident
    happened) or 2."""
    data = {
        "incident_id": str(uuid4()), "incident_no": "HBW-INC-202611-001", "kind": "fire",
        "place": "地下车库B2", "notification": {"notification_id": str(uuid4()),
                                               "role": "project_manager"},
    } | ({"occurred_at": occurred_at.isoformat()} if occurred_at else {})  # fmt: skip
    return EscalationIncidentAlertedEvent.model_validate(
        {
            "event_id": str(uuid4()), "event_type": "escalation.incident_alerted",
            "schema_version": 2 if occurred_at else 1, "site": "hbw", "aggregate_id": str(uuid4()),
            "aggregate_version": 1, "occurred_at": AT.isoformat(), "recorded_at": AT.isoformat(),
            "correlation_id": "c", "causation_id": None, "actor": "escalation", "data": data,
        }
    )  # fmt: skip


def test_a_notice_lists_what_its_incident_says_and_an_older_one_reads_as_it_was_written(view):
    """A schema-1 alert's row is what the view wrote before notices said more (a view rebuilt
    from the same stream keeps its checksum, contract §21); a schema-2 alert's says what
    happened, where and when (R16.5)."""
    view.apply([Delivery(1, _alert(None)), Delivery(2, _alert(AT))])
    older, newer = view.notices("hbw", role=None, unacknowledged=False, limit=10, after_seq=0)[0]
    assert "incident" not in older and "promise" not in older
    assert newer["incident"] == {
        "kind": "fire", "place": "地下车库B2", "occurred_at": "2026-11-10T06:00:00Z"
    }  # fmt: skip
