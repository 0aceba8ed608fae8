"""A complaint received goes at once to the CS assistant of its zone (R6.3: 立即将内容反馈至客服
助理; R1.3: to the assistant of the customer's zone), who holds it from receipt: when a complaint
is first put on the ladder — reported as one, or classified or corrected into one later — the
board notes it (policy.py `ForwardComplaint`), and the next decision tells `cs_assistant`, naming
the ticket's zone (`ComplaintReceived`, a notification acknowledged like any other: her 签收).
Once per ticket, as the ladder starts once; not while it is communicative (R5.6) or once it has
ended. Mixed into `TicketClocks` like the other jobs of the board."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from services.escalation.domain.ids import Cause
from services.escalation.domain.notice import Notice
from services.escalation.domain.ticket_event import TicketEvent
from services.escalation.domain.told import COMPLAINT, Telling
from shared.kernel.sla import climbs_ladder
from shared.kernel.vocabulary import Role

if TYPE_CHECKING:
    from services.escalation.domain.ticket_clocks import TicketClocks

RECEIVED_BY = Role.cs_assistant
RECEIVE = "receive"  # the decision's action in due.py


class ReceiptNoted(TicketEvent):
    """A complaint put on the ladder for the first time: its zone's CS assistant is to be told."""

    def apply(self, board: TicketClocks) -> None:
        board.received_since = self.timestamp


class ComplaintReceived(Telling):
    """The zone's CS assistant was told of the complaint (R6.3, R1.3)."""

    about = COMPLAINT  # ends with its ladder (told.py)
    due_at: datetime
    role: str
    zone: str | None  # the ticket's zone; none: every CS assistant of the site

    def apply(self, board: TicketClocks) -> None:
        board.receipt_told = True


class Receipts:
    """`note_receipt` (a clock rule's action) and the telling it leaves pending."""

    status: str
    kind: str
    validity: str | None
    zone: str | None

    def note_receipt(self, at: datetime, cause: Cause) -> None:
        if getattr(self, "received_since", None) is None:
            self.record(ReceiptNoted, at, cause)

    def receipt_pending(self) -> list[tuple[datetime, tuple[str, str]]]:
        since = getattr(self, "received_since", None)
        told = getattr(self, "receipt_told", False)
        if since is None or told or self.status != "open":
            return []
        if not climbs_ladder(self.kind, self.validity):  # communicative or another kind by now
            return []
        return [(since, (RECEIVE, RECEIVED_BY.value))]

    def tell_receipt(self: Any, when: datetime, now: datetime, cause: Cause) -> Notice:
        role = RECEIVED_BY.value
        notice = Notice.raise_for(self, f"received:{role}", role, now)
        self.record(
            ComplaintReceived, now, cause, due_at=when, notice_id=notice.id, role=role,
            zone=self.zone,
        )  # fmt: skip
        return notice
