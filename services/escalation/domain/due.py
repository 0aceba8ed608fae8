"""What a ticket's clocks and complaint ladder have falling due, and `decide(now)`, which records
it once, in the order it fell due: a clock warned or breached, a ladder step reached, the upgrade
to major, a major complaint reported upward (R5.4) or one raised again and again flagged toward
major (R5.1a). A replay of the recorded events never decides anything again. The notices a
decision raises are returned, to be saved with it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from services.escalation.domain import clock_run
from services.escalation.domain import ladder as complaint_ladder
from services.escalation.domain.clocks import ClockBreached, ClockWarned
from services.escalation.domain.ids import SYSTEM, Cause
from services.escalation.domain.notice import Notice
from services.escalation.domain.receipt import RECEIVE
from services.escalation.domain.referral import REFER
from services.escalation.domain.told import COMPLAINT, Telling
from shared.kernel.vocabulary import Department, Role
from shared.kernel.zones import zone_told

if TYPE_CHECKING:
    from services.escalation.domain.ticket_clocks import TicketClocks

# -- the events (ClockWarned and ClockBreached are clocks.py's) -----------------------------------


class ComplaintEscalated(Telling):
    about = COMPLAINT  # ends with its ladder (told.py)
    level: str
    due_at: datetime
    role: str
    department: str | None = None  # the supervisor step's department (R6.3, R4.12)

    def apply(self, board: TicketClocks) -> None:
        board.ladder["reached"].append(self.level)


class ComplaintUpgraded(Telling):
    about = COMPLAINT  # ends with its ladder (told.py)
    due_at: datetime
    role: str

    def apply(self, board: TicketClocks) -> None:
        board.ladder["upgraded"] = True
        board.severity = "major"


class MajorReported(Telling):
    """A major complaint reported to a role (R5.4): `classified` major by the desk, or
    `upgraded` after a month (R5.1c), where every level of the ladder is told."""

    about = COMPLAINT  # ends with its ladder (told.py)
    reason: str  # classified | upgraded
    due_at: datetime
    role: str
    department: str | None

    def apply(self, board: TicketClocks) -> None:
        board.major_reported = True


class MajorSuggested(Telling):
    """Raised again and again without result: flagged toward major for the desk (R5.1a)."""

    about = COMPLAINT  # ends with its ladder (told.py)
    raised: int
    due_at: datetime
    role: str

    def apply(self, board: TicketClocks) -> None:
        board.major_suggested = True


DEPARTMENTS = frozenset(Department)

# -- deciding -------------------------------------------------------------------------------------


class Decisions:
    """What falls due on `TicketClocks`, and deciding it."""

    clocks: dict[str, dict[str, Any]]
    ladder: dict[str, Any] | None
    severity: str | None
    correlation_id: str
    department: str | None
    zone: str | None
    orders: dict[str, dict[str, Any]]
    raised: int

    def next_due(self) -> datetime | None:
        moments = [due for due, _ in self._pending()]
        return min(moments) if moments else None

    def _pending(self) -> list[tuple[datetime, tuple[str, str]]]:
        return (
            clock_run.pending(self.clocks)
            + complaint_ladder.pending(self.ladder, self.severity)
            + complaint_ladder.major_pending(self)
            + self.referral_pending()  # referral.py
            + self.receipt_pending()  # receipt.py
        )

    def decide(self, now: datetime) -> list[Notice]:
        """Record everything due at `now`, in the order it fell due; the notices it raises."""
        notices: list[Notice] = []
        cause = Cause(SYSTEM, self.correlation_id, None)
        due = sorted(
            ((when, what) for when, what in self._pending() if when <= now),
            key=lambda item: (
                item[0],
                item[1][0] != "warn",
                complaint_ladder.rank(item[1][1]),
            ),
        )
        for when, (action, subject) in due:
            if action == "warn":
                deadline = self.clocks[subject]["deadline"]
                self.record_clock(ClockWarned, subject, now, cause, deadline=deadline)
                continue
            if action == "report":
                told = complaint_ladder.MAJOR_TOLD
                notices.append(self._report_major("classified", when, told, now, cause))
                continue
            if action == "suggest":
                notices.append(self._suggest_major(when, now, cause))
                continue
            if action == REFER:  # a staff finding, to its department's supervisor (R13.15b)
                notices.append(self.refer(when, now, cause))
                continue
            if action == RECEIVE:  # a complaint, to its zone's CS assistant (R6.3, R1.3)
                notices.append(self.tell_receipt(when, now, cause))
                continue
            if action == "breach":
                role = self.clocks[subject]["notify"]
            else:
                role = subject if action == "escalate" else Role.quality.value
            notice = Notice.raise_for(self, f"{action}:{subject}:{self._run(subject)}", role, now)
            if action == "breach":
                self.record_clock(
                    ClockBreached,
                    subject,
                    now,
                    cause,
                    deadline=when,
                    compensation_risk=self.clocks[subject]["compensation_risk"],
                    notice_id=notice.id,
                    role=role,
                    department=self._department_of_clock(subject, role),
                    zone=self._zone_of(role),
                )
            elif action == "escalate":
                self.record(
                    ComplaintEscalated,
                    now,
                    cause,
                    level=subject,
                    due_at=when,
                    notice_id=notice.id,
                    role=role,
                    department=self._department_of(role),
                )
            else:
                self.record(
                    ComplaintUpgraded, now, cause, due_at=when, notice_id=notice.id, role=role
                )
                notices.append(notice)
                # R5.4: a major complaint is reported upward; the ladder's people answer for it
                for told in complaint_ladder.upgrade_told():
                    notices.append(self._report_major("upgraded", when, told, now, cause))
                continue
            notices.append(notice)
        return notices

    def _department_of(self, role: str) -> str | None:
        """A department supervisor is told of their own department's complaints (R6.3, R4.12)."""
        return self.department if role == Role.department_supervisor.value else None

    def _zone_of(self, role: str) -> str | None:
        """The CS assistant of the ticket's zone is told of it (R1.3, R6.3); None: every CS
        assistant of the site (a ticket with no zone, or a notice to another role)."""
        return zone_told(role, self.zone)

    def _department_of_clock(self, key: str, role: str) -> str | None:
        """A department supervisor is told of their own department's late work: a work order's
        clock names the order's department (R7.6, R7.7, R7.12–R7.14); a ticket's clock the
        complaint's department, else the one department its orders are for (R7.3). None — every
        department's supervisors — when that is not one department, or not known (an order
        noted before the department was)."""
        if role != Role.department_supervisor.value:
            return None
        order_no = self.clocks[key].get("order_no")
        if order_no is None and self.department:
            return self.department
        departments = {
            order.get("department")
            for order in self.orders.values()
            if order_no is None or order["order_no"] == order_no
        }
        known = departments.pop() if len(departments) == 1 else None
        return known if known in DEPARTMENTS else None  # a free text from an older dispatch: none

    def _report_major(self, why: str, when: datetime, role: Role, now: datetime,
                      cause: Cause) -> Notice:  # fmt: skip
        notice = Notice.raise_for(self, f"major:{why}:{role.value}", role.value, now)
        self.record(
            MajorReported,
            now,
            cause,
            reason=why,
            due_at=when,
            notice_id=notice.id,
            role=role.value,
            department=self._department_of(role.value),
        )
        return notice

    def _suggest_major(self, when: datetime, now: datetime, cause: Cause) -> Notice:
        role = complaint_ladder.MAJOR_SUGGESTED_TO.value
        notice = Notice.raise_for(self, f"suggest:major:{self.raised}", role, now)
        self.record(
            MajorSuggested,
            now,
            cause,
            raised=self.raised,
            due_at=when,
            notice_id=notice.id,
            role=role,
        )
        return notice

    def _run(self, key: str) -> int:
        clock = self.clocks.get(key)
        return clock["run"] if clock else 1
