"""The notices a ticket's board raised, kept by what each is about, so that the ticket's end ends
those still owed (`Notice.end`: the notification channel sends them no more, R6.3;
docs/NOTIFICATIONS.md):

- the complaint's — its receipt by the zone's CS assistant (R6.3, R1.3), the ladder's steps, its
  upgrade, its report and suggestion as major — end when it leaves the ladder (reclassified as
  another kind, or communicative, R5.6) and when the ticket is resolved, closed or cancelled;
- the ticket's — a clock breached, a staff finding referred — when the ticket is resolved,
  closed or cancelled.

A notice raised after an end (the follow-up call's breach, after the resolution) is owed until
the next. Mixed into `TicketClocks` like the other jobs of the board."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from services.escalation.domain.ticket_event import TicketEvent

if TYPE_CHECKING:
    from services.escalation.domain.ticket_clocks import TicketClocks

COMPLAINT = "complaint"  # the complaint's: its ladder
TICKET = "ticket"  # the ticket's: a clock, a finding
ABOUTS = (COMPLAINT, TICKET)


class Telling(TicketEvent):
    """A decision that raised a notice (`notice_id`): the board keeps it, by what it is about."""

    notice_id: UUID
    about: ClassVar[str] = TICKET

    def mutate(self, aggregate: Any) -> Any:
        board: TicketClocks = super().mutate(aggregate)
        board.told[self.notice_id] = self.about
        return board


class Told:
    """`told` (notice id → what it is about) and the notices an end ends."""

    told: dict[UUID, str]

    def notices_about(self, *abouts: str) -> list[UUID]:
        """The notices raised about these (COMPLAINT, TICKET), oldest first: those an end may
        end (each is asked whether it is still owed)."""
        return [notice_id for notice_id, about in self.told.items() if about in abouts]
