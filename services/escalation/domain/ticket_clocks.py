"""The clocks of one ticket and its complaint ladder (docs/DOMAIN.md §5, §3). No I/O, no wall clock.

A `Board` records every decision as an event: a clock started, paused, resumed, stopped, warned or
breached; a ladder step reached; the upgrade to major. `due(now)` is what has fallen due and
`decide(now)` records it, once: a replay of the board's events never decides anything again.
Deadlines are computed by the caller's `WorkTime` (calendar or office hours) when a clock starts
or resumes, and stored, so that a later change of policy never moves a deadline already given.
The arithmetic of one clock run is in clock_run.py, the ladder's in ladder.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.escalation.domain import clock_run
from services.escalation.domain import ladder as complaint_ladder
from services.escalation.domain.clock_run import PAUSED, RUNNING, STOPPED, clock_key
from services.escalation.domain.ids import SYSTEM, Cause, ClockError, board_id_for
from services.escalation.domain.notice import Notice
from services.escalation.domain.topics import keep_old_topics
from shared.kernel.sla import ClockRule, Counting
from shared.kernel.vocabulary import Role
from shared.kernel.worktime import WorkTime


class Board(Aggregate):
    class Event(Aggregate.Event):
        site: str
        actor: str
        correlation_id: str
        causation_id: str | None
        ticket_id: UUID
        ticket_no: str

    class Opened(Event, Aggregate.Created):
        kind: str
        received_at: datetime

    class ClockStarted(Event):
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

        def apply(self, board: Board) -> None:
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
            )

    class ClockPaused(Event):
        key: str
        clock: str
        reason: str
        note: str | None
        counted: float

        def apply(self, board: Board) -> None:
            clock = board.clocks[self.key]
            clock.update(state=PAUSED, counted=self.counted, running_since=None)
            clock.update(pause_reason=self.reason, deadline=None, warn_due=None)

    class ClockResumed(Event):
        key: str
        clock: str
        deadline: datetime
        warn_due: datetime
        guessed_years: tuple[int, ...] = ()

        def apply(self, board: Board) -> None:
            clock = board.clocks[self.key]
            clock.update(state=RUNNING, running_since=self.timestamp, pause_reason=None)
            clock.update(deadline=self.deadline, warn_due=self.warn_due)

    class ClockStopped(Event):
        key: str
        clock: str
        outcome: str  # met | late | cancelled
        counted: float

        def apply(self, board: Board) -> None:
            clock = board.clocks[self.key]
            clock.update(state=STOPPED, outcome=self.outcome, counted=self.counted)
            clock.update(running_since=None)

    class ClockWarned(Event):
        key: str
        clock: str
        deadline: datetime

        def apply(self, board: Board) -> None:
            board.clocks[self.key]["warned"] = True

    class ClockBreached(Event):
        key: str
        clock: str
        deadline: datetime
        compensation_risk: bool
        notice_id: UUID
        role: str

        def apply(self, board: Board) -> None:
            board.clocks[self.key].update(warned=True, breached=True)

    class Classified(Event):
        kind: str
        validity: str | None
        severity: str | None

        def apply(self, board: Board) -> None:
            board.kind, board.validity, board.severity = self.kind, self.validity, self.severity

    class OrderNoted(Event):
        order_id: UUID
        order_no: str
        urgency: str
        scope: str
        appointment_start: datetime | None
        appointment_end: datetime | None = None  # not stored before issue 13

        def apply(self, board: Board) -> None:
            board.orders[str(self.order_id)] = {
                "order_no": self.order_no,
                "urgency": self.urgency,
                "scope": self.scope,
                "appointment_start": self.appointment_start,
                "appointment_end": getattr(self, "appointment_end", None),
            }

    class LadderStarted(Event):
        steps: dict[str, datetime]
        upgrade_at: datetime

        def apply(self, board: Board) -> None:
            board.ladder = complaint_ladder.started(self.steps, self.upgrade_at)

    class LadderChanged(Event):
        state: str  # running (reopened) | stopped (resolved, closed, cancelled) | left
        reason: str

        def apply(self, board: Board) -> None:
            board.ladder["state"] = self.state

    class ComplaintEscalated(Event):
        level: str
        due_at: datetime
        notice_id: UUID
        role: str
        department: str | None = None  # the supervisor step's department (R6.3, R4.12)

        def apply(self, board: Board) -> None:
            board.ladder["reached"].append(self.level)

    class ComplaintUpgraded(Event):
        due_at: datetime
        notice_id: UUID
        role: str

        def apply(self, board: Board) -> None:
            board.ladder["upgraded"] = True
            board.severity = "major"

    class DepartmentNoted(Event):
        """The department that answers for the complaint (R6.3, R4.12), as last classified."""

        department: str | None
        about_staff: str | None

        def apply(self, board: Board) -> None:
            board.department = self.department

    class MajorNoted(Event):
        """The complaint was classified major: the project manager is told at once (R5.4)."""

        def apply(self, board: Board) -> None:
            if board.major_since is None:
                board.major_since = self.timestamp

    class MajorReported(Event):
        """A major complaint reported to a role (R5.4): `classified` major by the desk, or
        `upgraded` after a month (R5.1c), where every level of the ladder is told."""

        reason: str  # classified | upgraded
        due_at: datetime
        notice_id: UUID
        role: str
        department: str | None

        def apply(self, board: Board) -> None:
            board.major_reported = True

    class RepeatNoted(Event):
        """The customer raised the complaint again (a linked contact, R16.1)."""

        raised: int  # times raised, the first contact included

        def apply(self, board: Board) -> None:
            board.raised = self.raised
            if self.raised >= complaint_ladder.RAISED_FOR_MAJOR and board.raised_again_at is None:
                board.raised_again_at = self.timestamp

    class MajorSuggested(Event):
        """Raised again and again without result: flagged toward major for the desk (R5.1a)."""

        raised: int
        due_at: datetime
        notice_id: UUID
        role: str

        def apply(self, board: Board) -> None:
            board.major_suggested = True

    class Closed(Event):
        status: str

        def apply(self, board: Board) -> None:
            board.status = self.status

    class Reopened(Event):
        def apply(self, board: Board) -> None:
            board.status = "open"

    def __init__(self, *, site: str, ticket_id: UUID, ticket_no: str, kind: str,
                 received_at: datetime, actor: str, correlation_id: str,
                 causation_id: str | None) -> None:  # fmt: skip
        del actor, causation_id  # the envelope's, not the board's
        self.site = site
        self.correlation_id = correlation_id  # the ticket's: decisions join its correlation
        self.ticket_id = ticket_id
        self.ticket_no = ticket_no
        self.kind = kind
        self.received_at = received_at
        self.validity: str | None = None
        self.severity: str | None = None
        self.status = "open"
        self.clocks: dict[str, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.ladder: dict[str, Any] | None = None
        self.department: str | None = None  # whose supervisor answers for the complaint
        self.major_since: datetime | None = None  # classified major, to be reported (R5.4)
        self.major_reported = False
        self.raised = 1  # times the customer raised the matter (R5.1a)
        self.raised_again_at: datetime | None = None
        self.major_suggested = False

    @classmethod
    def open(cls, *, site: str, ticket_id: UUID, ticket_no: str, kind: str,
             received_at: datetime, at: datetime, correlation_id: str,
             causation_id: str | None) -> Board:  # fmt: skip
        return cls._create(
            cls.Opened,
            id=board_id_for(ticket_id),
            timestamp=at,
            site=site,
            actor=SYSTEM,
            correlation_id=correlation_id,
            causation_id=causation_id,
            ticket_id=ticket_id,
            ticket_no=ticket_no,
            kind=kind,
            received_at=received_at,
        )

    # -- recording --------------------------------------------------------------------------

    def record(self, event_class: type[Event], at: datetime, cause: Cause, **fields: Any) -> None:
        self.trigger_event(
            event_class,
            timestamp=at,
            site=self.site,
            actor=cause.actor,
            correlation_id=cause.correlation_id,
            causation_id=cause.causation_id,
            ticket_id=self.ticket_id,
            ticket_no=self.ticket_no,
            **fields,
        )

    def record_clock(self, event_class: type[Event], key: str, at: datetime, cause: Cause,
                     **fields: Any) -> None:  # fmt: skip
        self.record(event_class, at, cause, key=key, clock=self.clocks[key]["clock"], **fields)

    # -- clocks -----------------------------------------------------------------------------

    def running(self, key: str) -> bool:
        clock = self.clocks.get(key)
        return clock is not None and clock["state"] != STOPPED

    def start_clock(self, name: str, rule: ClockRule, work: WorkTime, started_at: datetime,
                    at: datetime, cause: Cause, order_no: str | None = None,
                    counting: Counting = "site",
                    due_by: datetime | None = None) -> None:  # fmt: skip
        """Start a clock unless it already runs; a stopped clock starts a new run. `work`: the
        site's counting; a `calendar` run counts every second whatever the site counts.
        `due_by`: the end of an appointment window, which the deadline is not before."""
        key = clock_key(name, order_no)
        if self.running(key):
            return
        work = clock_run.work_of({"counting": counting}, work)
        budget = work.budget(rule.target)
        if due_by is not None:
            budget = max(budget, work.elapsed(started_at, due_by))
        deadline = work.add(started_at, budget)
        earlier = self.clocks.get(key)
        self.record(
            self.ClockStarted,
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
        )

    def stop_clock(self, key: str, at: datetime, cause: Cause, work: WorkTime,
                   *, cancelled: bool = False) -> None:  # fmt: skip
        clock = self.clocks.get(key)
        if clock is None or clock["state"] == STOPPED:
            return
        seconds = clock_run.counted(clock, at, clock_run.work_of(clock, work))
        outcome = clock_run.outcome(clock, seconds, cancelled=cancelled)
        self.record_clock(self.ClockStopped, key, at, cause, outcome=outcome, counted=seconds)

    def pause_clock(self, key: str, at: datetime, cause: Cause, work: WorkTime,
                    reason: str, note: str | None = None) -> None:  # fmt: skip
        clock = self.clocks.get(key)
        if clock is None or clock["state"] == STOPPED:
            raise ClockError("clock", f"clock {key!r} is not running on this ticket")
        if clock["state"] == PAUSED:
            raise ClockError("clock", f"clock {key!r} is already paused")
        seconds = clock_run.counted(clock, at, clock_run.work_of(clock, work))
        self.record_clock(
            self.ClockPaused, key, at, cause, reason=reason, note=note, counted=seconds
        )

    def resume_clock(self, key: str, at: datetime, cause: Cause, work: WorkTime) -> None:
        clock = self.clocks.get(key)
        if clock is None or clock["state"] != PAUSED:
            raise ClockError("clock", f"clock {key!r} is not paused")
        work = clock_run.work_of(clock, work)
        deadline, warn_due = clock_run.resumed_deadlines(clock, at, work)
        self.record_clock(
            self.ClockResumed, key, at, cause, deadline=deadline, warn_due=warn_due,
            guessed_years=work.guessed_years(at, deadline),
        )  # fmt: skip

    def clock_keys(self, *names: str, states: tuple[str, ...] = (RUNNING, PAUSED)) -> list[str]:
        """Keys of this ticket's clocks of those names (every name if none) in those states."""
        return [
            key
            for key, clock in self.clocks.items()
            if (not names or clock["clock"] in names) and clock["state"] in states
        ]

    # -- the complaint ladder ---------------------------------------------------------------

    def start_ladder(self, steps: dict[str, datetime], upgrade_at: datetime, at: datetime,
                     cause: Cause) -> None:  # fmt: skip
        if self.ladder is None:
            self.record(self.LadderStarted, at, cause, steps=steps, upgrade_at=upgrade_at)

    def change_ladder(self, state: str, reason: str, at: datetime, cause: Cause,
                      *, rejoin: bool = False) -> None:  # fmt: skip
        """Stop, leave or resume the ladder. A left ladder (communicative, or another kind) is
        resumed only by a classification that puts the complaint back on it (`rejoin`): still
        counted from receipt, so the steps due by then are taken at once, in order."""
        if self.ladder is None or self.ladder["state"] == state:
            return
        if self.ladder["state"] == complaint_ladder.LEFT and not rejoin:
            return
        self.record(self.LadderChanged, at, cause, state=state, reason=reason)

    def note_department(self, department: str | None, about_staff: str | None, at: datetime,
                        cause: Cause) -> None:  # fmt: skip
        if department != self.department:
            self.record(
                self.DepartmentNoted, at, cause, department=department, about_staff=about_staff
            )

    def note_major(self, at: datetime, cause: Cause) -> None:
        if self.major_since is None and not self.major_reported:
            self.record(self.MajorNoted, at, cause)

    def note_repeat(self, raised: int, at: datetime, cause: Cause) -> None:
        if raised > self.raised:
            self.record(self.RepeatNoted, at, cause, raised=raised)

    # -- what falls due ---------------------------------------------------------------------

    def next_due(self) -> datetime | None:
        moments = [due for due, _ in self._pending()]
        return min(moments) if moments else None

    def _pending(self) -> list[tuple[datetime, tuple[str, str]]]:
        return (
            clock_run.pending(self.clocks)
            + complaint_ladder.pending(self.ladder, self.severity)
            + complaint_ladder.major_pending(self)
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
                self.record_clock(self.ClockWarned, subject, now, cause, deadline=deadline)
                continue
            if action == "report":
                told = complaint_ladder.MAJOR_TOLD
                notices.append(self._report_major("classified", when, told, now, cause))
                continue
            if action == "suggest":
                notices.append(self._suggest_major(when, now, cause))
                continue
            if action == "breach":
                role = self.clocks[subject]["notify"]
            else:
                role = subject if action == "escalate" else Role.quality.value
            notice = Notice.raise_for(self, f"{action}:{subject}:{self._run(subject)}", role, now)
            if action == "breach":
                self.record_clock(
                    self.ClockBreached,
                    subject,
                    now,
                    cause,
                    deadline=when,
                    compensation_risk=self.clocks[subject]["compensation_risk"],
                    notice_id=notice.id,
                    role=role,
                )
            elif action == "escalate":
                self.record(
                    self.ComplaintEscalated,
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
                    self.ComplaintUpgraded, now, cause, due_at=when, notice_id=notice.id, role=role
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

    def _report_major(self, why: str, when: datetime, role: Role, now: datetime,
                      cause: Cause) -> Notice:  # fmt: skip
        notice = Notice.raise_for(self, f"major:{why}:{role.value}", role.value, now)
        self.record(
            self.MajorReported,
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
            self.MajorSuggested,
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


keep_old_topics(Board)
