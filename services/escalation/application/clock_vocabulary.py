"""The words the clock rules are written in (services/escalation/application/policy.py): the
moment an event arrives, conditions and starting points with the words the document uses for
them (services/escalation/adapters/clock_doc.py), and the actions on a ticket's clocks, which
services/escalation/application/clock_actions.py `perform()` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.escalation.domain import Cause, TicketClocks
from shared.kernel.repairs import scope_of, urgency_of
from shared.kernel.sites import SiteConfig
from shared.kernel.vocabulary import ClockName, Scope, Urgency

# -- what the rules see -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Moment:
    """One event as the rules see it: the ticket's board, the work order it names (if the board
    noted its issue), and the ticket's kind before the event."""

    event: Any
    board: TicketClocks
    site: SiteConfig
    cause: Cause
    was_kind: str

    @property
    def at(self) -> datetime:
        return self.event.occurred_at

    @property
    def order(self) -> dict[str, Any] | None:
        return self.board.orders.get(str(self.event.aggregate_id))

    @property
    def urgent(self) -> bool:
        """Whether the work is urgent (R7.1): the order's urgency, the event's, or else what the
        ticket reports (a repair before its order is issued)."""
        if self.order is not None:
            return self.order["urgency"] == Urgency.urgent
        data = self.event.data
        urgency = getattr(data, "urgency", None)
        if urgency is None:
            urgency = urgency_of(getattr(data, "category", None), getattr(data, "content", ""))
        return urgency == Urgency.urgent

    @property
    def ticket_scope(self) -> Scope:
        """A repair's scope as the ticket event reports it: where its content says the fault is,
        else its category and room (R4.3a; a classification names neither content nor unit)."""
        data = self.event.data
        return scope_of(data.category, getattr(data, "unit", None), getattr(data, "content", ""))


@dataclass(frozen=True, slots=True)
class When:
    """A condition, in the words the document uses."""

    says: str
    holds: Callable[[Moment], bool]


@dataclass(frozen=True, slots=True)
class From:
    """Where a clock starts counting."""

    says: str
    at: Callable[[Moment], datetime]


@dataclass(frozen=True, slots=True)
class Until:
    """The end of an appointment window: a clock counted from the window's start lasts at least
    until its end (a visit booked 09:00–11:00 is due by 11:00, R7.15)."""

    says: str
    at: Callable[[Moment], datetime | None]


@dataclass(frozen=True, slots=True)
class ByScope:
    """A pair of clocks, one for a household repair and one for a public facility."""

    household: ClockName
    public: ClockName

    def of(self, scope: Scope) -> ClockName:
        return self.public if scope is Scope.public else self.household

    def __iter__(self) -> Any:
        return iter((self.household, self.public))


Clock = ClockName | ByScope

# -- the actions --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Start:
    """Start a clock unless it runs; `per_order`: one run for each work order."""

    clock: Clock
    counted_from: From
    when: tuple[When, ...] = ()
    per_order: bool = False
    until: Until | None = None


@dataclass(frozen=True, slots=True)
class Stop:
    """Stop these clocks (every clock of the ticket if none): `met` or `late` as counted, or
    `cancelled` where they no longer apply."""

    clocks: tuple[Clock, ...] = ()
    cancelled: bool = False
    when: tuple[When, ...] = ()
    per_order: bool = False


@dataclass(frozen=True, slots=True)
class Pause:
    """Pause these clocks where they run; `per_order`: the work order's run of each."""

    clocks: tuple[Clock, ...]
    reason: str
    note: str
    when: tuple[When, ...] = ()
    per_order: bool = False


@dataclass(frozen=True, slots=True)
class Resume:
    """Resume these clocks where they were paused for `reason` (other pauses are the desk's)."""

    clocks: tuple[Clock, ...]
    reason: str
    when: tuple[When, ...] = ()
    per_order: bool = False


@dataclass(frozen=True, slots=True)
class Recount:
    """Count these clocks, running or paused, as the work's urgency now says (R7.1), again from
    their start; `per_order`: the work order's run of each. A clock that counts so already is
    left as it is."""

    clocks: tuple[Clock, ...]
    when: tuple[When, ...] = ()
    per_order: bool = False


@dataclass(frozen=True, slots=True)
class Rescope:
    """The order's scope overridden (household ↔ public, R7.5, R7.12): each of these pairs' run
    of the order that runs or is paused is cancelled and the other scope's clock of the pair
    starts in its place, counted from the same start (and due no earlier than the same window's
    end), paused if it was; then the order's new scope is noted, for the clocks it starts later."""

    clocks: tuple[ByScope, ...]
    when: tuple[When, ...] = ()


@dataclass(frozen=True, slots=True)
class NoteUrgency:
    """Note the order's urgency as the event gives it (an override, R7.1): what the order's
    clocks count by from now on."""

    when: tuple[When, ...] = ()


@dataclass(frozen=True, slots=True)
class StartLadder:
    """Put the complaint on the ladder, every step counted from receipt."""

    when: tuple[When, ...] = ()


@dataclass(frozen=True, slots=True)
class ForwardComplaint:
    """Tell the CS assistant of the ticket's zone of the complaint at once (R6.3, R1.3); she holds
    it from receipt (domain/receipt.py)."""

    when: tuple[When, ...] = ()


@dataclass(frozen=True, slots=True)
class Ladder:
    """Stop, resume or leave the ladder; `reason` may name the ticket's `{kind}`. `rejoin`: a
    left ladder runs again (a classification put the complaint back on it)."""

    state: str  # running | stopped | left
    reason: str
    when: tuple[When, ...] = ()
    rejoin: bool = False


@dataclass(frozen=True, slots=True)
class NoteDepartment:
    """Note the department that answers for the complaint: a named staff member's, else the
    category's (R4.12, R6.3); its supervisor is the one told at the supervisor step."""

    when: tuple[When, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportMajor:
    """Report a major complaint to the project manager at once (R5.4)."""

    when: tuple[When, ...] = ()


@dataclass(frozen=True, slots=True)
class NoteRepeat:
    """Count the times the customer raised the complaint (R5.1a, R16.1)."""

    when: tuple[When, ...] = ()


Action = (
    Start
    | Stop
    | Pause
    | Resume
    | Recount
    | Rescope
    | NoteUrgency
    | StartLadder
    | ForwardComplaint
    | Ladder
    | NoteDepartment
    | ReportMajor
    | NoteRepeat
)


def later(a: datetime, b: datetime | None) -> datetime:
    return b if b is not None and b > a else a


def order_key(clock: Clock, order: dict[str, Any]) -> str:
    name = clock if isinstance(clock, ClockName) else clock.of(Scope(order["scope"]))
    return f"{name.value}:{order['order_no']}"
