"""What the boards escalation keeps by itself share (domain/boards.py): `SystemBoard` records
each event as the service's own decision (actor `SYSTEM`) on the causal chain the board was
opened in; `WaitingBoard` waits for one thing at a time (a violation case's latest measure, a
special-care resident's next visit). Methods only: each board declares its own events, so their
topics stay the board's (`…case_deadlines:CaseDeadlines.WaitEnded`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate

from services.escalation.domain.ids import SYSTEM


class SystemBoard(Aggregate):
    """A board with `site` and `correlation_id`, set by its `__init__`."""

    def _record(self, event_class: type, at: datetime, causation_id: str | None,
                **fields: Any) -> None:  # fmt: skip
        self.trigger_event(event_class, timestamp=at, site=self.site, actor=SYSTEM,
                           correlation_id=self.correlation_id, causation_id=causation_id,
                           **fields)  # fmt: skip


class WaitingBoard(SystemBoard):
    """A board whose `waiting` is what it waits for ({"key", "due_at", …}, None when nothing),
    ended by its `WaitEnded` event with a reason."""

    def end_wait(self, reason: str, at: datetime, causation_id: str | None) -> None:
        if self.waiting is not None:
            self._record(self.WaitEnded, at, causation_id, key=self.waiting["key"], reason=reason)

    def next_due(self) -> datetime | None:
        return self.waiting["due_at"] if self.waiting else None
