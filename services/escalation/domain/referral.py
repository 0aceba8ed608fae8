"""A staff finding referred to its department's supervisor (R13.15b: 员工不履职 → that
department's supervisor; docs/INSPECTION.md): the round's event notes it on the finding ticket's
board, and the next decision tells the supervisor at once, as a major complaint is reported
(due.py). Mixed into `TicketClocks` like the other jobs of the board."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from services.escalation.domain.ids import Cause
from services.escalation.domain.notice import Notice
from services.escalation.domain.ticket_event import TicketEvent
from services.escalation.domain.told import Telling
from shared.kernel.vocabulary import Role

if TYPE_CHECKING:
    from services.escalation.domain.ticket_clocks import TicketClocks

REFERRED_TO = Role.department_supervisor
REFER = "refer"  # the decision's action in due.py


class FindingNoted(TicketEvent):
    """The ticket is a staff finding of a round: its department's supervisor is to be told."""

    department: str | None
    about_staff: str | None

    def apply(self, board: TicketClocks) -> None:
        board.department = self.department
        board.referral_since = self.timestamp


class FindingReferred(Telling):  # the ticket's (told.py)
    """The department's supervisor was told (a notification, acknowledged like any other)."""

    due_at: datetime
    role: str
    department: str | None

    def apply(self, board: TicketClocks) -> None:
        board.referred = True


class Referrals:
    """`note_finding` (a reaction to round.recorded) and the referral it leaves pending."""

    status: str
    department: str | None

    def note_finding(self, department: str | None, about_staff: str | None, at: datetime,
                     cause: Cause) -> None:  # fmt: skip
        if getattr(self, "referral_since", None) is None:
            self.record(FindingNoted, at, cause, department=department, about_staff=about_staff)

    def referral_pending(self) -> list[tuple[datetime, tuple[str, str]]]:
        since = getattr(self, "referral_since", None)
        if since is None or getattr(self, "referred", False) or self.status != "open":
            return []
        return [(since, (REFER, REFERRED_TO.value))]

    def refer(self: Any, when: datetime, now: datetime, cause: Cause) -> Notice:
        notice = Notice.raise_for(self, f"finding:{REFERRED_TO.value}", REFERRED_TO.value, now)
        self.record(
            FindingReferred, now, cause, due_at=when, notice_id=notice.id,
            role=REFERRED_TO.value, department=self.department,
        )  # fmt: skip
        return notice
