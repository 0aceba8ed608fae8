"""`perform()`: the clock rules' actions (the words of
services/escalation/application/clock_vocabulary.py) done to a ticket's `TicketClocks`.

Every condition of one event is decided before any of its actions runs, so an action never
changes whether the next one applies.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from services.escalation.application.clock_vocabulary import (
    Action,
    ByScope,
    Clock,
    ForwardComplaint,
    Ladder,
    Moment,
    NoteDepartment,
    NoteRepeat,
    NoteUrgency,
    Pause,
    Recount,
    ReportMajor,
    Rescope,
    Resume,
    Start,
    StartLadder,
    Stop,
    order_key,
)
from services.escalation.domain import clock_key
from services.escalation.domain.clock_run import PAUSED, STOPPED
from shared.kernel.departments import responsible
from shared.kernel.vocabulary import ClockName, Level, Scope


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
        case Recount(clocks=clocks, per_order=per_order):
            for key in _keys(m, clocks, per_order, "running", "paused"):
                rule = m.site.sla.clock(ClockName(board.clocks[key]["clock"]))
                board.recount_clock(key, rule, rule.counting(urgent=m.urgent), at, cause, work)
        case Rescope(clocks=pairs):
            _rescope(pairs, m)
        case NoteUrgency():
            board.note_urgency(m.event.aggregate_id, m.event.data.urgency.value, at, cause)
        case StartLadder():
            received, sla = board.received_at, m.site.sla
            steps = {level.value: sla.ladder_due(received, level) for level in Level}
            board.start_ladder(steps, sla.upgrade_due(received), at, cause)
        case ForwardComplaint():
            board.note_receipt(at, cause)
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


def _rescope(pairs: tuple[ByScope, ...], m: Moment) -> None:
    """The order's runs of `pairs` moved to its new scope's clocks (the `Rescope` action)."""
    board, at, cause, work, order = m.board, m.at, m.cause, m.site.worktime, m.order
    scope = Scope(m.event.data.scope)
    if order is None or order["scope"] == scope:
        return
    for pair in pairs:
        key = order_key(pair, order)
        run = board.clocks.get(key)
        if run is None or run["state"] == STOPPED:
            continue
        started_at, due_by, paused = run["started_at"], run["due_by"], run["state"] == PAUSED
        reason = run["pause_reason"]
        board.stop_clock(key, at, cause, work, cancelled=True)
        name = pair.of(scope)
        rule = m.site.sla.clock(name)
        board.start_clock(
            name.value, rule, work, started_at, at, cause, order["order_no"],
            rule.counting(urgent=m.urgent), due_by=due_by,
        )  # fmt: skip
        if paused:
            board.pause_clock(clock_key(name.value, order["order_no"]), at, cause, work, reason)
    board.note_scope(m.event.aggregate_id, scope.value, at, cause)


def _value(department: Any) -> str | None:
    return None if department is None else str(department.value)


def _keys(m: Moment, clocks: tuple[Clock, ...], per_order: bool, *states: str) -> list[str]:
    """The ticket's clocks of these names in `states`; `per_order`: only the event's order's."""
    if not per_order:
        names = [str(name) for clock in clocks for name in _names(clock)]
        return m.board.clock_keys(*names, states=states)
    if m.order is None:
        return []
    keys = [order_key(clock, m.order) for clock in clocks]
    return [k for k in keys if k in m.board.clocks and m.board.clocks[k]["state"] in states]


def _names(clock: Clock) -> tuple[ClockName, ...]:
    return tuple(clock) if isinstance(clock, ByScope) else (clock,)


def _name(clock: Clock, m: Moment, per_order: bool) -> ClockName:
    if isinstance(clock, ClockName):
        return clock
    return clock.of(Scope(m.order["scope"]) if per_order and m.order else m.ticket_scope)
