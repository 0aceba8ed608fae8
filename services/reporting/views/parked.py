"""Where reporting's views keep the events their inbox (or a rebuild) parked: a table in the view's
own SQLite file, written in the same transaction as the view's position
(shared/messaging/parking.py).

It is not part of a view's checksum: a park says how the view was fed, not what it shows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore

from shared.messaging.errors import retryable
from shared.messaging.inbox import Delivery
from shared.messaging.parking import (
    StillFailing,
    describe,
    failed_again,
    parked_entry,
    retried,
    waiting,
)
from shared.messaging.subjects import STREAM

PARKED_TABLE = "CREATE TABLE IF NOT EXISTS parked (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL)"


class ParkingView:
    """Mixed into a shared.eventstore.views.SQLiteView, which applies a batch's rows without
    recording the position in `_apply_rows`."""

    datastore: SQLiteDatastore

    # and, from the recorder: _max_tracking_id(name, c), _insert_tracking(c, tracking)

    if TYPE_CHECKING:  # the view it is mixed into writes the rows

        def _apply_rows(self, c: SQLiteCursor, deliveries: Sequence[Delivery]) -> None: ...

    def park(
        self, consumer: str, delivery: Delivery, error: str, attempts: int, at: datetime
    ) -> bool:
        """Record the park and the position past it, at once; False when already past it."""
        with self.datastore.transaction(commit=True) as c:
            if delivery.seq <= (self._max_tracking_id(STREAM, c) or 0):  # type: ignore[attr-defined]
                return False
            entry = parked_entry(consumer, delivery, error, attempts, at)
            c.execute("INSERT INTO parked (seq, entry) VALUES (?, ?)", (delivery.seq, _dump(entry)))
            self._insert_tracking(c, Tracking(STREAM, delivery.seq))  # type: ignore[attr-defined]
        return True

    def parked(self) -> list[dict[str, Any]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT entry FROM parked ORDER BY seq")
            return [json.loads(r["entry"]) for r in c.fetchall()]

    def retry_parked(self, delivery: Delivery, at: datetime) -> None:
        """Apply the parked event now and close its park, in one transaction; when it fails
        again the park stays, with the new error (StillFailing)."""
        try:
            with self.datastore.transaction(commit=True) as c:
                entry = _waiting(c, delivery.seq)
                if delivery.error is not None:
                    raise StillFailing(delivery.error)
                self._apply_rows(c, [delivery])
                _put(c, retried(entry, at))
        except KeyError:
            raise
        except Exception as exc:
            if retryable(exc):
                raise
            error = str(exc) if isinstance(exc, StillFailing) else describe(exc)
            with self.datastore.transaction(commit=True) as c:
                _put(c, failed_again(_waiting(c, delivery.seq), error))
            raise StillFailing(error) from None


def _waiting(c: SQLiteCursor, seq: int) -> dict[str, Any]:
    c.execute("SELECT entry FROM parked WHERE seq = ?", (seq,))
    row = c.fetchone()
    entry = json.loads(row["entry"]) if row is not None else None
    if entry is None or not waiting(entry):
        raise KeyError(seq)
    return entry


def _put(c: SQLiteCursor, entry: dict[str, Any]) -> None:
    c.execute("UPDATE parked SET entry = ? WHERE seq = ?", (_dump(entry), entry["seq"]))


def _dump(entry: dict[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False)
