"""How a consumer tells "this event cannot be applied" from "the store is briefly unavailable"
(shared/messaging/parking.py), and which messages the inbox parks rather than skips
(shared/messaging/inbox.py)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from uuid import uuid4

import pytest
from eventsourcing.persistence import OperationalError

from shared.messaging.errors import Retryable, retryable
from shared.messaging.inbox import Delivery, SharedDecoding, decode
from shared.messaging.parking import settle


class Consumer:
    """A consumer's store in memory: what it applied, what it parked, and its position, each
    batch all or nothing; `faults` are raised (and consumed) one per call, before anything."""

    def __init__(self, poison: set[int] = frozenset(), faults: Sequence[Exception] = ()) -> None:
        self.poison = poison
        self.faults = list(faults)
        self.applied: list[int] = []
        self.parked: dict[int, tuple[str, int]] = {}
        self.position = 0
        self.calls = 0

    def apply(self, deliveries: Sequence[Delivery]) -> None:
        self.calls += 1
        if self.faults:
            raise self.faults.pop(0)
        fresh = [d.seq for d in deliveries if d.seq > self.position]
        if any(seq in self.poison for seq in fresh):
            raise OverflowError("date value out of range")
        self.applied += fresh
        self.position = max([self.position, *fresh])

    def park(self, delivery: Delivery, error: str, attempts: int) -> bool:
        if delivery.seq <= self.position:
            return False
        self.parked[delivery.seq] = (error, attempts)
        self.position = delivery.seq
        return True


def batch(*seqs: int) -> list[Delivery]:
    return [Delivery(seq, None, "desk.evt.hbw.ticket.reported") for seq in seqs]


def no_sleep(_: float) -> None:
    pass


def test_the_one_event_that_cannot_be_applied_is_parked_and_the_rest_applied_in_order() -> None:
    consumer = Consumer(poison={5})

    stuck = settle(batch(*range(1, 9)), consumer.apply, consumer.park, sleep=no_sleep)

    assert consumer.applied == [1, 2, 3, 4, 6, 7, 8]
    assert consumer.parked == {5: ("OverflowError: date value out of range", 3)}
    assert [(s.delivery.seq, s.attempts) for s in stuck] == [(5, 3)]
    assert consumer.position == 8


def test_an_error_that_goes_away_within_the_tries_parks_nothing() -> None:
    consumer = Consumer(faults=[KeyError("flaky"), KeyError("flaky")])

    stuck = settle(batch(1), consumer.apply, consumer.park, sleep=no_sleep)

    assert (stuck, consumer.parked, consumer.applied) == ([], {}, [1])


@pytest.mark.parametrize(
    "fault",
    [
        sqlite3.OperationalError("database is locked"),
        OperationalError("database or disk is full"),
        OSError(28, "No space left on device"),
        TimeoutError(),
        Retryable("the view is being switched"),
        sqlite3.DatabaseError("database disk image is malformed"),
    ],
    ids=repr,
)
def test_a_store_briefly_unavailable_is_never_the_events_fault(fault: Exception) -> None:
    consumer = Consumer(faults=[fault])

    with pytest.raises(type(fault)):  # the inbox tries the batch again from its position
        settle(batch(1, 2, 3), consumer.apply, consumer.park, sleep=no_sleep)
    assert (consumer.parked, consumer.applied, consumer.position) == ({}, [], 0)

    assert settle(batch(1, 2, 3), consumer.apply, consumer.park, sleep=no_sleep) == []
    assert consumer.applied == [1, 2, 3]


def test_what_the_event_causes_is_not_retryable_even_when_raised_from_a_store_call() -> None:
    assert not retryable(OverflowError("Python int too large to convert to SQLite INTEGER"))
    assert not retryable(ValueError("year 0 is out of range"))
    assert not retryable(RuntimeError("a bug"))
    wrapped = RuntimeError("store")
    wrapped.__cause__ = sqlite3.OperationalError("database is locked")
    assert retryable(wrapped)


def test_an_unreadable_message_is_parked_at_once_in_its_place() -> None:
    consumer = Consumer()
    unreadable = Delivery(2, None, "desk.evt.hbw.ticket.replied", "unreadable ticket.replied: …")

    stuck = settle([*batch(1), unreadable, *batch(3)], consumer.apply, consumer.park)

    assert consumer.applied == [1, 3]
    assert consumer.parked == {2: ("unreadable ticket.replied: …", 1)}
    assert [s.delivery.seq for s in stuck] == [2]


def test_a_redelivered_event_already_past_is_neither_applied_nor_parked_again() -> None:
    consumer = Consumer(poison={2})
    settle(batch(1, 2, 3), consumer.apply, consumer.park, sleep=no_sleep)

    again = settle(batch(1, 2, 3), consumer.apply, consumer.park, sleep=no_sleep)

    assert again == [] and list(consumer.parked) == [2] and consumer.applied == [1, 3]


# -- what the inbox parks, and what it rightly skips --------------------------------------------


def envelope(**overrides: object) -> dict[str, object]:
    at = "2026-11-23T10:00:00+08:00"
    return {
        "event_id": str(uuid4()), "event_type": "ticket.resolved", "schema_version": 1,
        "site": "hbw", "aggregate_id": str(uuid4()), "aggregate_version": 3,
        "occurred_at": at, "recorded_at": at, "correlation_id": "c-1", "causation_id": None,
        "actor": "S1", "data": {"resolution": "已修好"},
    } | overrides  # fmt: skip


SUBJECT = "desk.evt.hbw.ticket.resolved"


def test_a_valid_event_is_read() -> None:
    delivery = decode(7, json.dumps(envelope()).encode(), SUBJECT)
    assert delivery.envelope is not None and delivery.error is None


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("desk.evt.hbw.ticket.merged", envelope(event_type="ticket.merged")),  # not ours
        (SUBJECT, envelope(schema_version=2)),  # a newer schema: a later reader's
        ("desk.evt.hbw.other.thing", b"not json"),
    ],
    ids=["unknown type", "newer schema", "unknown subject"],
)
def test_what_this_version_does_not_know_is_skipped(subject: str, body: object) -> None:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    delivery = decode(7, data, subject)
    assert (delivery.envelope, delivery.error) == (None, None)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (envelope(aggregate_version=10**20), "aggregate_version"),
        (envelope(data={"resolution": "x", "extra": 1}), "data.extra"),
        (envelope(occurred_at="yesterday"), "occurred_at"),
        (b"\xff{", "Invalid JSON"),
        (b"[]", "ticket.resolved"),
    ],
    ids=["version too large", "unknown field", "bad time", "not JSON", "not an object"],
)
def test_a_known_event_that_does_not_validate_is_unreadable_and_says_why(
    body: object, why: str
) -> None:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    delivery = decode(7, data, SUBJECT)
    assert delivery.envelope is None and delivery.error is not None
    assert delivery.error.startswith("unreadable ticket.resolved") and why in delivery.error
    assert delivery.data == data  # kept with the park, to show


def test_inboxes_reading_the_same_message_share_one_decoding() -> None:
    decoding = SharedDecoding(readers=3, size=2)
    data = json.dumps(envelope()).encode()
    first = decoding(7, data, SUBJECT)
    assert decoding(7, bytes(data), SUBJECT) is first  # the other views' inboxes, same message
    assert decoding(7, bytes(data), SUBJECT) is first
    assert len(decoding) == 0  # every reader took it: not kept
    assert decoding(7, data, SUBJECT) is not first  # read again (a redelivery): decoded anew
    # another message at that sequence (another DESK) is decoded anew, as is one long gone
    other = json.dumps(envelope()).encode()
    assert decoding(7, other, SUBJECT).envelope != first.envelope
    for seq in (8, 9):  # more than it keeps
        decoding(seq, data, SUBJECT)
    assert len(decoding) == 2
    assert decoding(7, other, SUBJECT) == decode(7, other, SUBJECT)


def test_one_reader_keeps_nothing() -> None:
    decoding = SharedDecoding(readers=1)
    data = json.dumps(envelope()).encode()
    assert decoding(7, data, SUBJECT) is not decoding(7, data, SUBJECT)
    assert len(decoding) == 0
