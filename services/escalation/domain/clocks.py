"""A ticket's service-level clocks: started, paused, resumed, counted again and stopped as DESK
and the desk say, warned and breached as they fall due (due.py decides when). Each run's deadline
is computed by the caller's `WorkTime` when it starts, resumes or is counted again, and stored, so
that a later change of policy never moves a deadline already given; the arithmetic of a run is
clock_run.py's."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from services.escalation.domain import clock_run
from services.escalation.domain.clock_run import PAUSED, RUNNING, STOPPED, clock_key
from services.escalation.domain.ids import Cause, ClockError
from services.escalation.domain.ticket_event import TicketEvent
from services.escalation.domain.told import Telling
from shared.kernel.sla import ClockRule, Counting
from shared.kernel.worktime import WorkTime

if TYPE_CHECKING:
    from services.escalation.domain.ticket_clocks import TicketClocks

# -- the events -----------------------------------------------------------------------------------


class ClockStarted(TicketEvent):
    key: str
    clock: str
    order_no: str | None
    run: int
    started_at: datetime
    budget: float
    warn_share: float
    deadline: datetime
    warn_due: datetime
    notify: str
    compensation_risk: bool
    # calendar: every second, whatever the site counts (urgent work, help requests); site:
    # as the site counts. Stored runs from before it was recorded counted as the site counts.
    counting: str = "site"
    # years the deadline counts across whose working days are not known (worktime.py)
    guessed_years: tuple[int, ...] = ()
    # the end of the appointment window it is due by at the earliest (R7.15), kept to count it
    # again (ClockRecounted); a run stored before it was recorded is counted again without it
    due_by: datetime | None = None

    def apply(self, board: TicketClocks) -> None:
        board.clocks[self.key] = clock_run.started(
            clock=self.clock,
            order_no=self.order_no,
            run=self.run,
            started_at=self.started_at,
            budget=self.budget,
            warn_share=self.warn_share,
            deadline=self.deadline,
            warn_due=self.warn_due,
            notify=self.notify,
            compensation_risk=self.compensation_risk,
            counting=getattr(self, "counting", "site"),
            due_by=getattr(self, "due_by", None),
        )


class ClockPaused(TicketEvent):
    key: str
    clock: str
    reason: str
    note: str | None
    counted: float

    def apply(self, board: TicketClocks) -> None:
        clock = board.clocks[self.key]
        clock["spans"] = [*clock["spans"], (clock["running_since"], self.timestamp)]
        clock.update(state=PAUSED, counted=self.counted, running_since=None)
        clock.update(pause_reason=self.reason, deadline=None, warn_due=None)


class ClockResumed(TicketEvent):
    key: str
    clock: str
    deadline: datetime
    warn_due: datetime
    guessed_years: tuple[int, ...] = ()

    def apply(self, board: TicketClocks) -> None:
        clock = board.clocks[self.key]
        clock.update(state=RUNNING, running_since=self.timestamp, pause_reason=None)
        clock.update(deadline=self.deadline, warn_due=self.warn_due)


class ClockStopped(TicketEvent):
    key: str
    clock: str
    outcome: str  # met | late | cancelled
    counted: float

    def apply(self, board: TicketClocks) -> None:
        clock = board.clocks[self.key]
        clock.update(state=STOPPED, outcome=self.outcome, counted=self.counted)
        clock.update(running_since=None)


class ClockExtended(TicketEvent):
    """The deadline moved later by someone with the authority to approve it (C12, R13.16)."""

    key: str
    clock: str
    budget: float
    deadline: datetime
    warn_due: datetime
    previous_deadline: datetime
    reason: str

    def apply(self, board: TicketClocks) -> None:
        clock = board.clocks[self.key]
        clock.update(budget=self.budget, deadline=self.deadline, warn_due=self.warn_due)
        clock.update(warned=clock["warned"] and self.warn_due <= self.timestamp)


class ClockRecounted(TicketEvent):
    """A running or paused run counts another way from now on (`counting`: its work's urgency was
    overridden, R7.1), counted again from its start, its pauses still not counting: the budget,
    the time counted and the deadline (none while paused) of a run that had counted so from the
    first. A warning or a breach already recorded stands."""

    key: str
    clock: str
    counting: str
    budget: float
    counted: float  # up to its latest start or resumption (all of it, paused)
    deadline: datetime | None
    warn_due: datetime | None
    previous_deadline: datetime | None
    guessed_years: tuple[int, ...] = ()

    def apply(self, board: TicketClocks) -> None:
        clock = board.clocks[self.key]
        clock.update(counting=self.counting, budget=self.budget, counted=self.counted)
        clock.update(deadline=self.deadline, warn_due=self.warn_due)


class ClockWarned(TicketEvent):
    key: str
    clock: str
    deadline: datetime

    def apply(self, board: TicketClocks) -> None:
        board.clocks[self.key]["warned"] = True


class ClockBreached(Telling):  # the ticket's (told.py)
    key: str
    clock: str
    deadline: datetime
    compensation_risk: bool
    role: str
    department: str | None = None  # whose supervisor is told; not stored before session 10
    zone: str | None = None  # whose CS assistant is told (R1.3, R6.3); none: the site's

    class_version = 2  # v1, stored before tickets had zones, told no zone's assistant

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["zone"] = None

    def apply(self, board: TicketClocks) -> None:
        board.clocks[self.key].update(warned=True, breached=True)


# -- the operations -------------------------------------------------------------------------------


class Clocks:
    """The clock operations of `TicketClocks`, over its `clocks` (clock key → run); it records
    through the aggregate's `record` and `record_clock`."""

    clocks: dict[str, dict[str, Any]]

    def running(self, key: str) -> bool:
        clock = self.clocks.get(key)
        return clock is not None and clock["state"] != STOPPED

    def clock_keys(self, *names: str, states: tuple[str, ...] = (RUNNING, PAUSED)) -> list[str]:
        """Keys of this ticket's clocks of those names (every name if none) in those states."""
        return [
            key
            for key, clock in self.clocks.items()
            if (not names or clock["clock"] in names) and clock["state"] in states
        ]

    def start_clock(self, name: str, rule: ClockRule, work: WorkTime,
                    started_at: datetime, at: datetime, cause: Cause,
                    order_no: str | None = None, counting: Counting = "site",
                    due_by: datetime | None = None) -> None:  # fmt: skip
        """Start a clock unless it already runs; a stopped clock starts a new run. `work`: the
        site's counting; a `calendar` run counts every second whatever the site counts.
        `due_by`: the end of an appointment window, which the deadline is not before."""
        key = clock_key(name, order_no)
        if self.running(key):
            return
        work = clock_run.work_of({"counting": counting}, work)
        budget = clock_run.budget_of(rule.target, work, started_at, due_by)
        deadline = work.add(started_at, budget)
        earlier = self.clocks.get(key)
        self.record(
            ClockStarted,
            at,
            cause,
            key=key,
            clock=name,
            order_no=order_no,
            run=earlier["run"] + 1 if earlier else 1,
            started_at=started_at,
            budget=budget,
            warn_share=rule.warn_at,
            deadline=deadline,
            warn_due=work.add(started_at, budget * rule.warn_at),
            notify=rule.notify.value,
            compensation_risk=rule.compensation_risk,
            counting=counting,
            guessed_years=work.guessed_years(started_at, deadline),
            due_by=due_by,
        )

    def stop_clock(self, key: str, at: datetime, cause: Cause, work: WorkTime,
                   *, cancelled: bool = False) -> None:  # fmt: skip
        clock = self.clocks.get(key)
        if clock is None or clock["state"] == STOPPED:
            return
        seconds = clock_run.counted(clock, at, clock_run.work_of(clock, work))
        outcome = clock_run.outcome(clock, seconds, cancelled=cancelled)
        self.record_clock(ClockStopped, key, at, cause, outcome=outcome, counted=seconds)

    def extend_clock(self, key: str, until: datetime, at: datetime, cause: Cause, work: WorkTime,
                     reason: str) -> None:  # fmt: skip
        """Move a running clock's deadline to `until`: never earlier, never once it has passed."""
        clock = self.clocks.get(key)
        if clock is None or clock["state"] != RUNNING:
            raise ClockError("clock", f"clock {key!r} is not running on this ticket")
        if clock["breached"] or clock["deadline"] <= at:
            raise ClockError("until", f"the deadline of {key!r} has passed: it is too late")
        if until <= clock["deadline"]:
            raise ClockError("until", f"until must be later than the deadline {clock['deadline']}")
        work = clock_run.work_of(clock, work)
        budget = clock["budget"] + work.elapsed(clock["deadline"], until)
        warn_left = max(budget * clock["warn_share"] - clock_run.counted(clock, at, work), 0.0)
        self.record_clock(
            ClockExtended, key, at, cause, budget=budget, deadline=until,
            warn_due=work.add(at, warn_left), previous_deadline=clock["deadline"], reason=reason,
        )  # fmt: skip

    def pause_clock(self, key: str, at: datetime, cause: Cause, work: WorkTime,
                    reason: str, note: str | None = None) -> None:  # fmt: skip
        clock = self.clocks.get(key)
        if clock is None or clock["state"] == STOPPED:
            raise ClockError("clock", f"clock {key!r} is not running on this ticket")
        if clock["state"] == PAUSED:
            raise ClockError("clock", f"clock {key!r} is already paused")
        seconds = clock_run.counted(clock, at, clock_run.work_of(clock, work))
        self.record_clock(ClockPaused, key, at, cause, reason=reason, note=note, counted=seconds)

    def resume_clock(self, key: str, at: datetime, cause: Cause,
                     work: WorkTime) -> None:  # fmt: skip
        clock = self.clocks.get(key)
        if clock is None or clock["state"] != PAUSED:
            raise ClockError("clock", f"clock {key!r} is not paused")
        work = clock_run.work_of(clock, work)
        deadline, warn_due = clock_run.resumed_deadlines(clock, at, work)
        self.record_clock(
            ClockResumed, key, at, cause, deadline=deadline, warn_due=warn_due,
            guessed_years=work.guessed_years(at, deadline),
        )  # fmt: skip

    def recount_clock(self, key: str, rule: ClockRule, counting: Counting, at: datetime,
                      cause: Cause, work: WorkTime) -> None:  # fmt: skip
        """Count a running or paused clock `counting` from now on, again from its start: the
        deadline it would have had had it counted so from the first (its appointment window
        still the earliest it is due by). Nothing if it counts so already, or has stopped."""
        clock = self.clocks.get(key)
        if clock is None or clock["state"] == STOPPED or clock["counting"] == counting:
            return
        work = clock_run.work_of({"counting": counting}, work)
        budget = clock_run.budget_of(rule.target, work, clock["started_at"], clock["due_by"])
        counted, due = clock_run.recounted(clock, budget, work)
        deadline, warn_due = due or (None, None)
        self.record_clock(
            ClockRecounted, key, at, cause, counting=counting, budget=budget, counted=counted,
            deadline=deadline, warn_due=warn_due, previous_deadline=clock["deadline"],
            guessed_years=work.guessed_years(clock["started_at"], deadline) if deadline else (),
        )  # fmt: skip
