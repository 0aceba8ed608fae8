"""What the one writer of a store has just recorded, kept for the readers of its notification
log in the same process (the relay), so that they need not read it back.

A service's application is the only writer of its store (StoreLock, WriterLock), and each of its
writes goes through `DeskApplication._record`, which hands its recordings here: their
notification ids and the domain events as recorded. A reader asks for what follows its position:
it is given the recorded events only when they continue that position without a gap — the next
notifications of the log, in order — and otherwise nothing, and then reads the store as ever (a
position behind what is kept, a recorder that gave no ids, notifications another process wrote,
ids the database skipped). So the shortcut can be missing, never wrong about which notifications
come next.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import Recording

KEPT = 4096  # recordings kept at most: a reader further behind reads the store


class RecentRecords:
    def __init__(self, kept: int = KEPT) -> None:
        self._lock = threading.Lock()  # added to by the store's thread, taken by the event loop
        self._kept: deque[tuple[int, Any]] = deque(maxlen=kept)

    def add(self, recordings: Sequence[Recording], events: int) -> None:
        """After a write of `events` domain events committed with `recordings`. A write whose
        recordings do not name each event's notification breaks the run: what follows it is
        not given to a reader until it has read past it from the store."""
        with self._lock:
            if len(recordings) != events:
                self._kept.clear()
                return
            self._kept.extend((r.notification.id, r.domain_event) for r in recordings)

    def after(self, position: int, limit: int) -> list[tuple[int, Any]] | None:
        """Up to `limit` (notification id, domain event) that follow `position` without a gap;
        None when the next notification is not kept (read the store)."""
        with self._lock:
            kept = self._kept
            while kept and kept[0][0] <= position:
                kept.popleft()
            if not kept or kept[0][0] != position + 1:
                return None
            found: list[tuple[int, Any]] = []
            for notification_id, event in kept:
                if notification_id != position + 1 + len(found) or len(found) == limit:
                    break
                found.append((notification_id, event))
            return found
