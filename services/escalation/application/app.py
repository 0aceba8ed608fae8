"""Escalation application: starts and stops the clocks from the events on DESK, decides what has
fallen due, and takes the desk's pause, resume and acknowledge commands (docs/DOMAIN.md §5, §3).

`EscalationApp` holds the store and the schedule of what falls due, and follows every write
with the schedule. Its jobs are one module each: reactions.py (`REACTIONS`: what DESK's events
do), commands.py (`HANDLERS`: pause, resume, acknowledge), decisions.py (what `tick()` reports)
and guessed_years.py (deadlines counted on a guess, said in the log)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from services.escalation.application import held
from services.escalation.application.commands import HANDLERS
from services.escalation.application.decisions import decision, incident_decision
from services.escalation.application.guessed_years import warn_guessed
from services.escalation.application.incidents import remind
from services.escalation.application.maintenance import notice_decision
from services.escalation.application.maintenance import remind as remind_notice
from services.escalation.application.reactions import REACTIONS, lookups
from services.escalation.application.schedule import Schedule
from services.escalation.domain import SYSTEM, Cause, IncidentWatch
from services.escalation.domain.boards import BOARDS, Board
from services.escalation.domain.notice_watch import NoticeWatch
from shared.contracts.envelope import Envelope
from shared.eventstore.desk_app import CommandContext, DeskApplication, Handler
from shared.messaging.errors import retryable

DUE_BATCH = 256  # boards decided in one transaction of a tick


def _on_its_own(board: Any, now: datetime) -> list[Any]:
    return [*board.decide(now), board]


# How the tick has a due board decide, and reports each decision: a board decides on its own
# (`decide`; decisions.py names its ticket, case, promise, shift or resident), a watch over an
# emergency (R16.5) or a maintenance notice with the reminder it owes, naming its incident or
# notice.
Tick = tuple[Callable[[Any, datetime], list[Any]], Callable[[Any, Any], dict[str, Any]]]
TICKS: dict[type, Tick] = {
    IncidentWatch: (remind, lambda _, event: incident_decision(event)),
    NoticeWatch: (remind_notice, lambda _, event: notice_decision(event)),
}
ON_ITS_OWN: Tick = (_on_its_own, decision)


def _tick_of(board: Any) -> Tick:
    return next((tick for kind, tick in TICKS.items() if isinstance(board, kind)), ON_ITS_OWN)


class EscalationApp(DeskApplication):
    name = "escalation"
    handlers: ClassVar[dict[type, Handler]] = HANDLERS

    def __init__(self, *args: Any, schedule: Schedule | str = ":memory:", **kwargs: Any) -> None:
        """`schedule`: the index of what falls due, or its file, opened once the store (and
        so its lock) is held."""
        super().__init__(*args, **kwargs)
        try:
            self.schedule = Schedule(schedule) if isinstance(schedule, str) else schedule
        except BaseException:
            self.close()
            raise
        self.failures = held.Failures()
        with self.writing:
            self._follow()

    # -- writing: every write is followed by the schedule ---------------------------------

    def execute(self, ctx: CommandContext, cmd: Any) -> dict[str, Any]:
        with self.writing:
            reply = self._execute(ctx, cmd)
            self._follow()
            return reply

    def execute_batch(self, commands: Any) -> list[Any]:
        with self.writing:
            outcomes = self._execute_batch(commands)
            self._follow()
            return outcomes

    def apply(self, deliveries: Any) -> None:
        # the site directory as it is when the batch starts, as for a batch of commands (its
        # file's stamp read once, not for each event: 2 % of the busy samples)
        with self.writing, self._sites_read_once():
            self._apply(deliveries)
            self._follow()

    def retry_parked(self, consumer: str, delivery: Any) -> None:
        with self.writing:
            try:
                self._retry_parked(consumer, delivery)
            finally:
                self._follow()

    def _follow(self) -> None:
        """The schedule follows the log (under the lock): what was just recorded here, from
        `recent`, without reading it back."""
        self.schedule.catch_up(self)

    # -- policy: what the clocks do when DESK changes (reactions.py) ----------------------

    def react(self, event: Envelope) -> list[Any]:
        reaction = REACTIONS.get(type(event))
        site = self.sites.get(event.site)
        if reaction is None or site is None:
            return []
        changed = reaction(
            self, event, site, Cause(SYSTEM, event.correlation_id, str(event.event_id))
        )
        warn_guessed(changed)
        return changed

    def reaction_lookups(self, events: Sequence[Envelope]) -> list[UUID]:
        """What the reactions to a batch will look up, as far as known beforehand
        (reactions.py `lookups`: a reported ticket's board and number, an order's link)."""
        return lookups(events)

    # -- what falls due -------------------------------------------------------------------

    def board(self, board_id: UUID) -> Board | None:
        """What falls due (domain/boards.py): a ticket's clocks, an emergency event's follow-up
        (R16.5), a violation case's due dates (R14.3), a promise's due time (R6.15, R2.6, R11.5),
        a maintenance notice's explanation and restoration (R7.10, R16.6), a closed shift log's
        signature (R15.9) or a special-care resident's visits (R11.10)."""
        found = self.get(board_id, Aggregate)
        return found if isinstance(found, BOARDS) else None

    def next_due(self, board_id: UUID) -> datetime | None:
        """When the board is next due: read from the cached board itself, not a copy."""
        try:
            found = self.repository.get(board_id, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            return None
        return found.next_due() if isinstance(found, BOARDS) else None

    def decide(self, board: Any, now: datetime) -> list[Any]:
        """What the board decides at `now` (its changed aggregates, itself among them)."""
        return _tick_of(board)[0](board, now)

    def retry_held(self, seq: int) -> None:
        """A held decision taken now (held.py `retry`), under the lock, followed."""
        with self.writing:
            try:
                held.retry(self, seq)
            finally:
                self._follow()

    def take_held(self) -> list[int]:
        """The decisions held since the last call (their entries' seqs), to tell ops of."""
        with self.writing:
            taken, self.failures.held = self.failures.held, []
            return taken

    def due_by(self, at: datetime) -> bool:
        """Whether a decision falls due by `at`."""
        return bool(self.schedule.due(at, limit=1))

    def tick(self) -> list[dict[str, Any]]:
        """Record every decision due by now; returns what was decided, in order."""
        with self.writing:
            now = self.clock.now()
            decided: list[dict[str, Any]] = []
            failing: set[UUID] = set()  # boards whose decision failed in this tick
            while True:
                found = self.schedule.due(now, limit=DUE_BATCH + len(failing))
                due = [b for b in found if b not in failing]
                if not due:
                    return decided
                changed: list[Any] = []
                for board_id in due:
                    board = self.board(board_id)
                    if board is None:
                        continue
                    act, report = _tick_of(board)
                    try:
                        made = act(board, now)
                        reported = [report(board, ev) for ev in board.pending_events]
                    except Exception as exc:  # this board's fault: the others go on (held.py)
                        if retryable(exc):
                            raise
                        failing.add(board_id)
                        held.failed(self, board, exc, now)
                        continue
                    self.failures.cleared(board_id)
                    changed.extend(made)
                    decided.extend(reported)
                self.save(*changed)
                # a row due by `now` that decided nothing (its deadline moved) is set right here
                self.schedule.set_due((b, self.next_due(b)) for b in due if b not in failing)
                self._follow()
