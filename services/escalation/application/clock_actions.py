"""The words the clock rules are written in (services/escalation/application/policy.py): the
moment an event arrives, conditions and starting points with the words the document uses for
them, the actions on a ticket's clocks, and `perform()`, which does them to the ticket's
`TicketClocks`.

Every condition of one event is decided before any of its actions runs, so an action never
changes whether the next one applies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.escalation.domain import Cause, TicketClocks
from shared.kernel.departments import responsible
from shared.kernel.repairs import scope_of, urgency_of
from shared.kernel.sites import SiteConfig
from shared.kernel.vocabulary import ClockName, Level, Scope, Urgency

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
class StartLadder:
    """Put the complaint on the ladder, every step counted from receipt."""

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
    Start | Stop | Pause | Resume | StartLadder | Ladder | NoteDepartment | ReportMajor | NoteRepeat
)


def later(a: datetime, b: datetime | None) -> datetime:
    return b if b is not None and b > a else a


def perform(actions: Iterable[Action], m: Moment) -> None:
    """Do to the moment's board those of `actions` whose conditions hold."""
    due = [a for a in actions if all(c.holds(m) for c in a.when)]
    for action in due:
        _do(action, m)


def _do(action: Action, m: Moment) -> None:
    board, at, cause, work = m.board, m.at, m.cause, m.site.worktime
    match action:
        case Start(clock=clock, counted_from=counted_from, per_order=per_order, until=until):
            order_no = m.order["order_no"] if per_order and m.order else None
            if per_order and order_no is None:
                return
            name = _name(clock, m, per_order)
            rule = m.site.sla.clock(name)
            counting = rule.counting(urgent=m.urgent)
            board.start_clock(
                name.value, rule, work, counted_from.at(m), at, cause, order_no, counting,
                due_by=until.at(m) if until else None,
            )  # fmt: skip
        case Stop(clocks=clocks, cancelled=cancelled, per_order=True):
            if m.order is not None:
                for clock in clocks:
                    board.stop_clock(
                        order_key(clock, m.order), at, cause, work, cancelled=cancelled
                    )
        case Stop(clocks=clocks, cancelled=cancelled):
            names = [str(name) for clock in clocks for name in _names(clock)]
            for key in board.clock_keys(*names):
                board.stop_clock(key, at, cause, work, cancelled=cancelled)
        case Pause(clocks=clocks, reason=reason, note=note, per_order=per_order):
            for key in _keys(m, clocks, per_order, "running"):
                board.pause_clock(key, at, cause, work, reason, note)
        case Resume(clocks=clocks, reason=reason, per_order=per_order):
            for key in _keys(m, clocks, per_order, "paused"):
                if board.clocks[key]["pause_reason"] == reason:
                    board.resume_clock(key, at, cause, work)
        case StartLadder():
            received, sla = board.received_at, m.site.sla
            steps = {level.value: sla.ladder_due(received, level) for level in Level}
            board.start_ladder(steps, sla.upgrade_due(received), at, cause)
        case Ladder(state=state, reason=reason, rejoin=rejoin):
            board.change_ladder(state, reason.format(kind=board.kind), at, cause, rejoin=rejoin)
        case NoteDepartment():
            data = m.event.data
            about = getattr(data, "about_staff", None)
            department = responsible(data.category, m.site.routing, about, m.site.staff)
            board.note_department(_value(department), about, at, cause)
        case ReportMajor():
            board.note_major(at, cause)
        case NoteRepeat():
            board.note_repeat(m.event.data.repeat_count + 1, at, cause)


def _value(department: Any) -> str | None:
    return None if department is None else str(department.value)


def _keys(m: Moment, clocks: tuple[Clock, ...], per_order: bool, state: str) -> list[str]:
    """The ticket's clocks of these names in `state`; `per_order`: only the event's order's."""
    if not per_order:
        names = [str(name) for clock in clocks for name in _names(clock)]
        return m.board.clock_keys(*names, states=(state,))
    if m.order is None:
        return []
    keys = [order_key(clock, m.order) for clock in clocks]
    return [k for k in keys if k in m.board.clocks and m.board.clocks[k]["state"] == state]


def _names(clock: Clock) -> tuple[ClockName, ...]:
    return tuple(clock) if isinstance(clock, ByScope) else (clock,)


def _name(clock: Clock, m: Moment, per_order: bool) -> ClockName:
    if isinstance(clock, ClockName):
        return clock
    return clock.of(Scope(m.order["scope"]) if per_order and m.order else m.ticket_scope)


def order_key(clock: Clock, order: dict[str, Any]) -> str:
    name = clock if isinstance(clock, ClockName) else clock.of(Scope(order["scope"]))
    return f"{name.value}:{order['order_no']}"
