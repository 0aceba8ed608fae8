"""The ticket view applies a batch by reading each row once and writing it once: the rows must be
those of applying the same events one at a time (the live inbox's small batches and a replay's
large ones build the same view). And a live view that a switch closes waits for running calls."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from pathlib import Path

import pytest

from services.escalation.application.schedule import Schedule
from services.reporting.ops.live_view import LiveView, Switching
from services.reporting.views.analytics import AnalyticsView
from services.reporting.views.tickets import TicketView
from shared.eventstore.views import SQLiteView
from shared.messaging.inbox import Delivery, decode
from tests.support.generated import GeneratedHistory


@pytest.fixture(scope="module")
def stream() -> list[Delivery]:
    """A few days of two sites: every kind of ticket, work orders, clocks, the ladder, notices,
    as the services publish them; and a message no one reads."""
    history = GeneratedHistory(sites=2, seed=7)
    for day in range(4):
        history.day(day, tickets=12)
    payloads = [p.payload for p in history.rest()]
    payloads.insert(40, b'{"event_type": "other.thing"}')
    return [decode(seq, data) for seq, data in enumerate(payloads, start=1)]


def build(path: Path, stream: list[Delivery], size: int) -> TicketView:
    view = TicketView(str(path))
    for start in range(0, len(stream), size):
        view.apply(stream[start : start + size])
    return view


def rows(view: TicketView) -> dict[str, list[tuple]]:
    """Every row of every table, every column (the checksum leaves out e.g. a ticket's seq)."""
    with view.datastore.transaction(commit=False) as c:
        c.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        tables = [r["name"] for r in c.fetchall()]
        found = {}
        for table in tables:
            c.execute(f"SELECT * FROM {table} ORDER BY 1, 2")
            found[table] = [tuple(r) for r in c.fetchall()]
    return found


def test_batches_of_any_size_build_the_same_view(tmp_path, stream) -> None:
    kinds = {d.envelope.event_type.split(".")[0] for d in stream if d.envelope is not None}
    one_by_one = build(tmp_path / "one.sqlite3", stream, 1)
    views = [build(tmp_path / f"{n}.sqlite3", stream, n) for n in (7, 64, len(stream))]

    assert kinds == {"ticket", "workorder", "escalation"}
    assert len(stream) > 400
    assert {v.checksum() for v in views} == {one_by_one.checksum()}
    assert {v.position() for v in views} == {one_by_one.position()} == {len(stream)}
    assert all(rows(v) == rows(one_by_one) for v in views)


def test_a_batch_that_repeats_what_is_already_applied_changes_nothing(tmp_path, stream) -> None:
    view = build(tmp_path / "v.sqlite3", stream, 100)
    before = view.checksum()

    view.apply(stream[50:150])  # a redelivery
    republished = [Delivery(len(stream) + n, d.envelope) for n, d in enumerate(stream[:30], 1)]
    view.apply(republished)  # after the duplicate window: same versions, new sequences

    assert view.checksum() == before
    assert view.position() == len(stream) + 30


def test_closing_a_live_view_waits_for_the_calls_running_on_it(tmp_path) -> None:
    live = LiveView(TicketView(str(tmp_path / "v.sqlite3")))
    entered, release = threading.Event(), threading.Event()

    def slow(view: TicketView) -> int:
        entered.set()
        release.wait(5)
        return view.position()

    results: list[int] = []
    query = threading.Thread(target=lambda: results.append(live.run(slow)))
    query.start()
    entered.wait(5)
    closing = threading.Thread(target=live.close)
    closing.start()
    time.sleep(0.1)

    assert closing.is_alive()  # the query still runs on the view
    with pytest.raises(Switching):
        live.run(slow)  # a call that comes now waits for the switch instead
    release.set()
    query.join(5)
    closing.join(5)
    assert results == [0] and not closing.is_alive()


def test_the_checksum_digests_each_row_as_earlier_versions_did(tmp_path, stream) -> None:
    """`propdesk verify` compares a view's checksum with a rebuild's, which another version of
    the code may compute: each table's name, then each row as json.dumps of its columns."""
    view = build(tmp_path / "v.sqlite3", stream, 64)
    digest = hashlib.sha256()
    with view.datastore.transaction(commit=False) as c:
        for table, order in view.CHECKED:
            c.execute(f"SELECT * FROM {table} ORDER BY {order}")
            digest.update(f"{table}\n".encode())
            for r in c.fetchall():
                digest.update(json.dumps(list(r), ensure_ascii=False).encode() + b"\n")

    assert view.checksum() == digest.hexdigest()


def _synchronous(view: SQLiteView) -> int:
    """PRAGMA synchronous of the connections the view writes with (1 NORMAL, 2 FULL)."""
    with view.datastore.transaction(commit=True) as c:
        c.execute("PRAGMA synchronous")
        return c.fetchall()[0][0]


def test_derived_views_commit_without_waiting_for_the_disk(tmp_path: Path) -> None:
    """Reporting's views and escalation's schedule are folded with their position in one
    transaction and read again from it: each of their connections is set NORMAL (WAL), where a
    view that says nothing keeps SQLite's FULL (docs/ARCHITECTURE.md, "Where the stores are")."""
    views = [TicketView(str(tmp_path / "t.sqlite3")), AnalyticsView(str(tmp_path / "a.sqlite3")),
             Schedule(str(tmp_path / "s.sqlite3"))]  # fmt: skip
    for view in views:
        assert _synchronous(view) == 1, type(view).__name__
        with (  # a second connection of the pool too
            view.datastore.get_connection(commit=False) as first,
            view.datastore.get_connection(commit=True) as second,
        ):
            for conn in (first, second):
                cursor = conn.cursor()
                cursor.execute("PRAGMA synchronous")
                assert cursor.fetchall()[0][0] == 1
        view.close()

    class Plain(SQLiteView):
        def _apply_rows(self, c: object, deliveries: object) -> None:
            pass

    plain = Plain(str(tmp_path / "p.sqlite3"))
    assert _synchronous(plain) == 2
    plain.close()
