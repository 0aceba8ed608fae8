"""What the one writer of a store has just recorded, kept for the readers of its notification
log in the same process (the relay, escalation's schedule), so that they need not read it back.

A service's application is the only writer of its store (StoreLock, WriterLock), and each of its
writes goes through `DeskApplication._record`, which hands its recordings here: their
notifications and the domain events as recorded. A reader asks for what follows its position:
it is given the recorded events only when they continue that position without a gap — the next
notifications of the log, in order — and otherwise nothing, and then reads the store as ever (a
position behind what is kept, a recorder that gave no ids, notifications another process wrote,
ids the database skipped). So the shortcut can be missing, never wrong about which notifications
come next. Readers do not consume it: each asks from its own position.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Sequence

from eventsourcing.persistence import Recording

KEPT = 4096  # recordings kept at most: a reader further behind reads the store


class RecentRecords:
    def __init__(self, kept: int = KEPT) -> None:
        self._lock = threading.Lock()  # added to by the store's thread, read by the event loop
        self._limit = kept
        self._kept: list[Recording] = []  # in notification order

    def add(self, recordings: Sequence[Recording], events: int) -> None:
        """After a write of `events` domain events committed with `recordings`. A write whose
        recordings do not name each event's notification breaks the run: what follows it is
        not given to a reader until it has read past it from the store."""
        with self._lock:
            if len(recordings) != events:
                self._kept.clear()
                return
            self._kept.extend(recordings)
            del self._kept[: len(self._kept) - self._limit]

    def after(self, position: int, limit: int) -> list[Recording] | None:
        """Up to `limit` recordings that follow `position` without a gap; None when the next
        notification is not kept (read the store)."""
        with self._lock:
            kept = self._kept
            at = bisect_left(kept, position + 1, key=_id)
            if at == len(kept) or _id(kept[at]) != position + 1:
                return None
            found = kept[at : at + limit]
        for n, recording in enumerate(found):  # up to a gap, if any
            if _id(recording) != position + 1 + n:
                return found[:n]
        return found


def _id(recording: Recording) -> int:
    return recording.notification.id
