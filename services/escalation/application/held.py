"""Decisions the ticker could not take: a due board whose decision fails (a fault in its data or
in the code, not the store being briefly away) is tried on the next ticks, `ATTEMPTS` times in
all, then held — set aside in the parking lot `escalation-ticker` of escalation's store and taken
off the schedule — so that every other board of every site is still decided on time. Ops see a
held decision beside the parked events (`propdesk parked list --service escalation`) and retry
it once the cause is fixed (`propdesk parked retry escalation-ticker:<n>`): the board decides
then, at once, or stays held with the new error. A new event for the board puts it back on the
schedule, and it is tried again (docs/RELIABILITY.md, "A decision that fails")."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from shared.eventstore.parking_lot import ParkingLot
from shared.logging import get_logger
from shared.messaging.errors import retryable
from shared.messaging.parking import ATTEMPTS, StillFailing, describe, new_entry, waiting

if TYPE_CHECKING:
    from services.escalation.application.app import EscalationApp

TICKER = "escalation-ticker"  # the parking lot's consumer name: not a consumer of DESK
log = get_logger("escalation")


def held_entry(seq: int, board: Any, due_at: datetime | None, error: str, attempts: int,
               at: datetime) -> dict[str, Any]:  # fmt: skip
    """What is kept of a held decision: the fields of a parked event (contracts.ops.ParkedEvent),
    `event_id` naming the board, `subject` `tick.<site>`, `event` the board as it was due."""
    site = getattr(board, "site", None)
    about = {"board_id": str(board.id), "board": type(board).__name__,
             "due_at": due_at.isoformat() if due_at else None}  # fmt: skip
    return new_entry(TICKER, seq, f"tick.{site}", None, str(board.id), site, error, attempts, at,
                     json.dumps(about, ensure_ascii=False))  # fmt: skip


class Failures:
    """How many ticks in a row each board's decision failed (in memory: a restart starts the
    count again, so a failing board is tried a few more times, never forever)."""

    def __init__(self) -> None:
        self._counts: dict[UUID, int] = {}
        self.held: list[int] = []  # seqs held since the service last asked (`take_held`)

    def failed(self, board_id: UUID) -> int:
        self._counts[board_id] = self._counts.get(board_id, 0) + 1
        return self._counts[board_id]

    def cleared(self, board_id: UUID) -> None:
        self._counts.pop(board_id, None)


def failed(app: EscalationApp, board: Any, exc: Exception, at: datetime) -> bool:
    """Count the failure of the board's decision (under the app's lock); at the `ATTEMPTS`th,
    hold it. True when it is held (off the schedule), False when it stays due."""
    error = describe(exc)
    attempts = app.failures.failed(board.id)
    log.error("escalation.decision_failed", board=str(board.id), site=getattr(board, "site", None),
              error=error, attempts=attempts, held=attempts >= ATTEMPTS)  # fmt: skip
    if attempts < ATTEMPTS:
        return False
    app.failures.cleared(board.id)
    lot = app.lot(TICKER)
    waiting_entry = next(
        (e for e in lot.entries.values() if waiting(e) and e["event_id"] == str(board.id)), None
    )
    if waiting_entry is not None:  # held before, put back by a new event: the same entry
        lot.trigger_event(ParkingLot.FailedAgain, timestamp=at, seq=waiting_entry["seq"],
                          error=error)  # fmt: skip
    else:
        seq = max((e["seq"] for e in lot.entries.values()), default=0) + 1
        entry = held_entry(seq, board, _due_of(board), error, attempts, at)
        lot.trigger_event(ParkingLot.Parked, timestamp=at, entry=entry)
        app.failures.held.append(seq)
    app.save(lot)
    app.schedule.set_due([(board.id, None)])
    return True


def _due_of(board: Any) -> datetime | None:
    """When the board was due, if its data still says (bad data may fail here too)."""
    try:
        due: datetime | None = board.next_due()
    except Exception:
        return None
    return due


def retry(app: EscalationApp, seq: int) -> None:
    """Have the held board decide now (under the app's lock) and close the entry, or keep it
    held with the new error (StillFailing); KeyError when no such entry waits."""
    lot = app.lot(TICKER)
    entry = lot.entries.get(str(seq))
    if entry is None or not waiting(entry):
        raise KeyError(seq)
    at = app.clock.now()
    board = app.board(UUID(entry["event_id"]))
    try:
        changed = app.decide(board, at) if board is not None else []
    except Exception as exc:
        if retryable(exc):
            raise
        error = describe(exc)
        lot.trigger_event(ParkingLot.FailedAgain, timestamp=at, seq=seq, error=error)
        app.save(lot)
        raise StillFailing(error) from None
    lot.trigger_event(ParkingLot.Retried, timestamp=at, seq=seq)
    app.save(*changed, lot)
    if board is not None:
        app.schedule.set_due([(board.id, app.next_due(board.id))])


class HeldDecisions:
    """The held decisions as the service's ParkingDesk lists, shows and retries them
    (shared/messaging/parking_desk.py `HeldLot`)."""

    consumer = TICKER

    def __init__(self, app: EscalationApp) -> None:
        self.app = app

    def parked(self) -> list[dict[str, Any]]:
        return self.app.parked(TICKER)

    def retry_held(self, seq: int) -> None:
        self.app.retry_held(seq)
