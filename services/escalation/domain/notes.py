"""What a ticket's clocks note of the ticket as DESK tells it: opened, classified, a work order
issued and its urgency overridden, the complaint ladder started or changed, the department that
answers for a complaint, a major classification, a repeat contact, closed or reopened. The
ladder's arithmetic is ladder.py's; what a note makes fall due is due.py's."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.escalation.domain import ladder as complaint_ladder
from services.escalation.domain.ids import Cause
from services.escalation.domain.ticket_event import TicketEvent

if TYPE_CHECKING:
    from services.escalation.domain.ticket_clocks import TicketClocks

# -- the events -----------------------------------------------------------------------------------


class Opened(TicketEvent, Aggregate.Created):
    kind: str
    received_at: datetime
    zone: str | None  # the ticket's zone at report (ticket.reported schema 2): its CS assistant's
    # where and what, as DESK published them at report (masked), cut: what its notices' messages
    # say outside PropDesk (notify/message.py)
    unit: str | None
    said: str | None

    class_version = 3  # v1, stored before tickets had zones, kept none; v2 kept no unit or words

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["zone"] = None

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state["unit"] = state["said"] = None


class Classified(TicketEvent):
    kind: str
    validity: str | None
    severity: str | None

    def apply(self, board: TicketClocks) -> None:
        board.kind, board.validity, board.severity = self.kind, self.validity, self.severity


class OrderNoted(TicketEvent):
    order_id: UUID
    order_no: str
    urgency: str
    scope: str
    appointment_start: datetime | None
    appointment_end: datetime | None = None  # not stored before issue 13
    department: str | None = None  # the department that does it; not stored before session 10

    def apply(self, board: TicketClocks) -> None:
        board.orders[str(self.order_id)] = {
            "order_no": self.order_no,
            "urgency": self.urgency,
            "scope": self.scope,
            "appointment_start": self.appointment_start,
            "appointment_end": getattr(self, "appointment_end", None),
            "department": getattr(self, "department", None),
        }


class UrgencyNoted(TicketEvent):
    """A noted order's urgency overridden by a supervisor (R7.1): what its clocks count by."""

    order_id: UUID
    urgency: str

    def apply(self, board: TicketClocks) -> None:
        board.orders[str(self.order_id)]["urgency"] = self.urgency


class ScopeNoted(TicketEvent):
    """A noted order's scope overridden by a supervisor (household ↔ public): which of each pair
    of its clocks it runs."""

    order_id: UUID
    scope: str

    def apply(self, board: TicketClocks) -> None:
        board.orders[str(self.order_id)]["scope"] = self.scope


class LadderStarted(TicketEvent):
    steps: dict[str, datetime]
    upgrade_at: datetime

    def apply(self, board: TicketClocks) -> None:
        board.ladder = complaint_ladder.started(self.steps, self.upgrade_at)


class LadderChanged(TicketEvent):
    state: str  # running (reopened) | stopped (resolved, closed, cancelled) | left
    reason: str

    def apply(self, board: TicketClocks) -> None:
        board.ladder["state"] = self.state


class DepartmentNoted(TicketEvent):
    """The department that answers for the complaint (R6.3, R4.12), as last classified."""

    department: str | None
    about_staff: str | None

    def apply(self, board: TicketClocks) -> None:
        board.department = self.department


class MajorNoted(TicketEvent):
    """The complaint was classified major: the project manager is told at once (R5.4)."""

    def apply(self, board: TicketClocks) -> None:
        if board.major_since is None:
            board.major_since = self.timestamp


class RepeatNoted(TicketEvent):
    """The customer raised the complaint again (a linked contact, R16.1)."""

    raised: int  # times raised, the first contact included

    def apply(self, board: TicketClocks) -> None:
        board.raised = self.raised
        if self.raised >= complaint_ladder.RAISED_FOR_MAJOR and board.raised_again_at is None:
            board.raised_again_at = self.timestamp


class Closed(TicketEvent):
    status: str

    def apply(self, board: TicketClocks) -> None:
        board.status = self.status


class Reopened(TicketEvent):
    def apply(self, board: TicketClocks) -> None:
        board.status = "open"


# -- the operations -------------------------------------------------------------------------------


class Notes:
    """The notes `TicketClocks` takes once each: a note that changes nothing records nothing.
    (Classified, OrderNoted, Closed and Reopened the application records as DESK says.)"""

    orders: dict[str, dict[str, Any]]
    ladder: dict[str, Any] | None
    department: str | None
    major_since: datetime | None
    major_reported: bool
    raised: int

    def note_urgency(self, order_id: UUID, urgency: str, at: datetime, cause: Cause) -> None:
        """The order's urgency as last overridden; an order not noted has no clocks to count."""
        order = self.orders.get(str(order_id))
        if order is not None and order["urgency"] != urgency:
            self.record(UrgencyNoted, at, cause, order_id=order_id, urgency=urgency)

    def note_scope(self, order_id: UUID, scope: str, at: datetime, cause: Cause) -> None:
        """The order's scope as last overridden; an order not noted has no clocks to count."""
        order = self.orders.get(str(order_id))
        if order is not None and order["scope"] != scope:
            self.record(ScopeNoted, at, cause, order_id=order_id, scope=scope)

    def start_ladder(self, steps: dict[str, datetime], upgrade_at: datetime, at: datetime,
                     cause: Cause) -> None:  # fmt: skip
        if self.ladder is None:
            self.record(LadderStarted, at, cause, steps=steps, upgrade_at=upgrade_at)

    def change_ladder(self, state: str, reason: str, at: datetime, cause: Cause,
                      *, rejoin: bool = False) -> None:  # fmt: skip
        """Stop, leave or resume the ladder. A left ladder (communicative, or another kind) is
        resumed only by a classification that puts the complaint back on it (`rejoin`): still
        counted from receipt, so the steps due by then are taken at once, in order."""
        if self.ladder is None or self.ladder["state"] == state:
            return
        if self.ladder["state"] == complaint_ladder.LEFT and not rejoin:
            return
        self.record(LadderChanged, at, cause, state=state, reason=reason)

    def note_department(self, department: str | None, about_staff: str | None, at: datetime,
                        cause: Cause) -> None:  # fmt: skip
        if department != self.department:
            self.record(DepartmentNoted, at, cause, department=department, about_staff=about_staff)

    def note_major(self, at: datetime, cause: Cause) -> None:
        if self.major_since is None and not self.major_reported:
            self.record(MajorNoted, at, cause)

    def note_repeat(self, raised: int, at: datetime, cause: Cause) -> None:
        if raised > self.raised:
            self.record(RepeatNoted, at, cause, raised=raised)
