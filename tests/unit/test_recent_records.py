"""What a writer has just recorded, kept for its relay (shared/eventstore/recent.py): given only
when it continues the reader's position without a gap, so the shortcut is never wrong about
which notifications come next."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from shared.eventstore.recent import RecentRecords as Kept


class RecentRecords(Kept):
    """As the relay reads it: (notification id, domain event)."""

    def after(self, position: int, limit: int) -> Any:
        found = super().after(position, limit)
        return None if found is None else [(r.notification.id, r.domain_event) for r in found]


def recordings(*ids: int) -> list[Any]:
    return [SimpleNamespace(notification=SimpleNamespace(id=i), domain_event=f"e{i}") for i in ids]


def test_what_follows_the_position_is_given_in_order_up_to_the_limit() -> None:
    recent = RecentRecords()
    recent.add(recordings(1, 2, 3), 3)
    recent.add(recordings(4), 1)
    assert recent.after(0, 10) == [(1, "e1"), (2, "e2"), (3, "e3"), (4, "e4")]
    assert recent.after(1, 2) == [(2, "e2"), (3, "e3")]
    assert recent.after(4, 10) is None  # nothing kept after it: the reader looks in the store


def test_a_gap_or_a_position_behind_what_is_kept_reads_the_store() -> None:
    recent = RecentRecords()
    recent.add(recordings(5, 6), 2)
    assert recent.after(3, 10) is None  # 4 is not kept: it may have been written elsewhere
    recent.add(recordings(8), 1)  # 7 skipped (another writer, a sequence's gap)
    assert recent.after(4, 10) == [(5, "e5"), (6, "e6")]  # up to the gap only
    assert recent.after(6, 10) is None


def test_a_write_whose_notifications_are_not_known_breaks_the_run() -> None:
    recent = RecentRecords()
    recent.add(recordings(1, 2), 2)
    recent.add([], 2)  # two events recorded, their ids not said (3 and 4, say)
    recent.add(recordings(5), 1)
    assert recent.after(0, 10) is None
    assert recent.after(2, 10) is None  # 3 and 4 come from the store
    assert recent.after(4, 10) == [(5, "e5")]


def test_only_the_last_recordings_are_kept() -> None:
    recent = RecentRecords(kept=3)
    recent.add(recordings(1, 2, 3, 4, 5), 5)
    assert recent.after(0, 10) is None  # 1 and 2 were let go
    assert recent.after(2, 10) == [(3, "e3"), (4, "e4"), (5, "e5")]
