"""The notices a board raised that are still owed, kept by what each is about, so that the end of
what they are about ends them (`Notice.end`: the notification channel sends them no more, R6.3;
docs/NOTIFICATIONS.md). Every board keeps its own (`owed`): a ticket's, an incident's, a
promise's, a maintenance notice's, a violation case's, a shift log's, a special-care resident's.

- A ticket's board keeps two kinds: the complaint's — its receipt by the zone's CS assistant
  (R6.3, R1.3), the ladder's steps, its upgrade, its report and suggestion as major — end when it
  leaves the ladder (reclassified as another kind, or communicative, R5.6) and when the ticket is
  resolved, closed or cancelled; the ticket's own — a clock breached, a staff finding referred —
  when the ticket is resolved, closed or cancelled.
- Every other board's notices are its subject's (SUBJECT), ended when the subject closes (an
  incident closed, a promise kept or broken, …: application/notice_ends.py); a maintenance
  notice's are each about what it waits for (`explanation`, `restoration`, notice_watch.py): its
  end ends the restoration's alert, while the explanation the households are owed afterwards
  (R7.10) is reminded until it is given.

A notice leaves `owed` when it is acknowledged or ended (`NoticesSettled`, recorded on the board
by the acknowledgement and by the end), so an end reads only the notices still owed. `owed` is
derived from the board's stored events, so a restart or a replay rebuilds it. A notice raised
after an end (the follow-up call's breach, after the resolution) is owed until the next."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from services.escalation.domain.ids import Cause
from services.escalation.domain.ticket_event import TicketEvent

if TYPE_CHECKING:
    from services.escalation.domain.ticket_clocks import TicketClocks

COMPLAINT = "complaint"  # a ticket's complaint's: its ladder
SUBJECT = "subject"  # the board's subject's own: a ticket's clock or finding, an incident's alert


def owe(board: Any, notice_id: UUID, about: str = SUBJECT) -> None:
    """A telling event's `apply`: the board owes the notice it raised."""
    board.owed[notice_id] = about


def forget(board: Any, notice_ids: Iterable[UUID]) -> None:
    """A `NoticesSettled` event's `apply`: acknowledged or ended, owed no more."""
    for notice_id in notice_ids:
        board.owed.pop(notice_id, None)


class Telling(TicketEvent):
    """A decision of a ticket's board that raised a notice (`notice_id`): owed, by what it is
    about."""

    notice_id: UUID
    about: ClassVar[str] = SUBJECT

    def mutate(self, aggregate: Any) -> Any:
        board: TicketClocks = super().mutate(aggregate)
        owe(board, self.notice_id, self.about)
        return board


class NoticesSettled(TicketEvent):
    """A ticket's notices acknowledged or ended: owed no more."""

    notification_ids: list[UUID]

    def apply(self, board: TicketClocks) -> None:
        forget(board, self.notification_ids)


class Owed:
    """`owed` (notice id → what it is about), the notices an end ends, and `settle`. A board
    mixes it in with its own `NoticesSettled` event and `_record_settled`, which records that
    event as the board records its others (TicketClocks, NoticeWatch, IncidentWatch,
    SystemBoard)."""

    owed: dict[UUID, str]
    _record_settled: Callable[[list[UUID], datetime, Cause], None]

    def notices_owed(self, *abouts: str) -> list[UUID]:
        """The notices still owed about these (none named: all), oldest first: those an end
        ends."""
        return [
            notice_id for notice_id, about in self.owed.items() if not abouts or about in abouts
        ]

    def settle(self, notice_ids: Iterable[UUID], at: datetime, cause: Cause) -> bool:
        """These notices are owed no more (acknowledged, or ended); whether it changed the board."""
        settled = [notice_id for notice_id in notice_ids if notice_id in self.owed]
        if settled:
            self._record_settled(settled, at, cause)
        return bool(settled)
