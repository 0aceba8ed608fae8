"""What the boards escalation keeps by itself share (domain/boards.py): `SystemBoard` records
each event as the service's own decision (actor `SYSTEM`) on the causal chain the board was
opened in; `WaitingBoard` waits for one thing at a time (a violation case's latest measure, a
special-care resident's next visit). Both keep the notices they raised still owed (`Owed`,
domain/told.py). Methods only: each board declares its own events, so their topics stay the
board's (`…case_deadlines:CaseDeadlines.WaitEnded`, `….NoticesSettled`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.escalation.domain.ids import SYSTEM, Cause
from services.escalation.domain.told import Owed


class SystemBoard(Owed, Aggregate):
    """A board with `site`, `correlation_id` and `owed`, set by its `__init__`, and a
    `NoticesSettled` event."""

    def _record(self, event_class: type, at: datetime, causation_id: str | None,
                **fields: Any) -> None:  # fmt: skip
        self.trigger_event(event_class, timestamp=at, site=self.site, actor=SYSTEM,
                           correlation_id=self.correlation_id, causation_id=causation_id,
                           **fields)  # fmt: skip

    def _record_settled(self, notice_ids: list[UUID], at: datetime, cause: Cause) -> None:
        """On the chain of what settled them: an acknowledgement's, or the DESK event's."""
        self.trigger_event(self.NoticesSettled, timestamp=at, site=self.site, actor=cause.actor,
                           correlation_id=cause.correlation_id, causation_id=cause.causation_id,
                           notification_ids=notice_ids)  # fmt: skip


class WaitingBoard(SystemBoard):
    """A board whose `waiting` is what it waits for ({"key", "due_at", …}, None when nothing),
    ended by its `WaitEnded` event with a reason."""

    def end_wait(self, reason: str, at: datetime, causation_id: str | None) -> None:
        if self.waiting is not None:
            self._record(self.WaitEnded, at, causation_id, key=self.waiting["key"], reason=reason)

    def next_due(self) -> datetime | None:
        return self.waiting["due_at"] if self.waiting else None
