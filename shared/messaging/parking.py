"""Parking: an event a consumer cannot apply is set aside with its error, and the consumer moves on.

How "this event cannot be applied" is told from "the store is briefly unavailable":

- an error a retry can change (shared/messaging/errors.py `retryable`: the store locked, full or
away, the
  bus timed out …) is never the event's fault: it leaves the batch unapplied and unacknowledged,
  and the inbox tries again from its recorded position, for as long as it takes;
- any other error is the event's. The batch is split in halves until the one event that fails
  alone is found (the others are applied on the way); that event is tried `attempts` times in
  all, then parked: the consumer records the park and its position past the event in one
  transaction, in its own store, so a park happens exactly once.
- a message on a known event type's subject that does not validate is parked at once: trying it
  again cannot help.

A parked event is kept with its error, stream sequence, subject and consumer; ops list it, and
retry it once the cause is fixed (`propdesk parked`, docs/RELIABILITY.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from shared.logging import get_logger
from shared.messaging.errors import retryable
from shared.messaging.subjects import event_type_of, site_of

if TYPE_CHECKING:
    from shared.messaging.inbox import Apply, Delivery

log = get_logger("parking")

ATTEMPTS = 3  # tries of one failing event before it is parked
PAUSE = 0.2  # seconds between them

# (delivery, error, attempts) -> whether a park was recorded (False: already past it)
Park = Callable[["Delivery", str, int], bool]


@dataclass(frozen=True, slots=True)
class Stuck:
    """An event just parked."""

    delivery: Delivery
    error: str
    attempts: int


class StillFailing(Exception):
    """A retried parked event failed again: it stays parked, with this error."""


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


# -- the record of a parked event, as every consumer's store keeps it ----------------------------

EVENT_TEXT = 65536  # of the message, kept to show it (DESK holds it whole)


def parked_entry(
    consumer: str, delivery: Delivery, error: str, attempts: int, at: datetime
) -> dict[str, Any]:
    """What a consumer keeps of an event it parks (the fields of contracts.ops.ParkedEvent)."""
    envelope = delivery.envelope
    text = delivery.data.decode("utf-8", "replace")
    if envelope is not None:
        text = text or envelope.model_dump_json()
        event_type: str | None = envelope.event_type  # type: ignore[attr-defined]
        event_id, site = str(envelope.event_id), envelope.site
    else:
        event_type = event_type_of(delivery.subject) or None  # unreadable: what its subject says
        event_id, site = None, site_of(delivery.subject) or None
    return new_entry(consumer, delivery.seq, delivery.subject, event_type, event_id, site,
                     error, attempts, at, text[:EVENT_TEXT])  # fmt: skip


def new_entry(consumer: str, seq: int, subject: str, event_type: str | None,
              event_id: str | None, site: str | None, error: str, attempts: int, at: datetime,
              event: str) -> dict[str, Any]:  # fmt: skip
    """A park as every lot keeps it: waiting, not yet retried."""
    return {
        "id": f"{consumer}:{seq}",
        "consumer": consumer,
        "seq": seq,
        "subject": subject,
        "event_type": event_type,
        "event_id": event_id,
        "site": site,
        "error": error,
        "attempts": attempts,
        "parked_at": at.isoformat(),
        "state": "parked",
        "retries": 0,
        "retried_at": None,
        "event": event,
    }


def failed_again(entry: dict[str, Any], error: str) -> dict[str, Any]:
    return entry | {"error": error, "retries": entry["retries"] + 1}


def retried(entry: dict[str, Any], at: datetime) -> dict[str, Any]:
    return entry | {"state": "retried", "retried_at": at.isoformat()}


def waiting(entry: dict[str, Any]) -> bool:
    return entry["state"] == "parked"


def settle(
    deliveries: Sequence[Delivery],
    apply: Apply,
    park: Park,
    *,
    attempts: int = ATTEMPTS,
    pause: float = PAUSE,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Stuck]:
    """Apply `deliveries` in order, parking each that cannot be applied; returns those parked.
    Raises what a retry can change: nothing after the last applied or parked event is recorded."""
    parked: list[Stuck] = []
    run: list[Delivery] = []

    def flush() -> None:
        _bisect(run, apply, park, parked, attempts, pause, sleep)
        run.clear()

    for delivery in deliveries:
        if delivery.error is None:
            run.append(delivery)
            continue
        flush()
        if park(delivery, delivery.error, 1):
            parked.append(Stuck(delivery, delivery.error, 1))
    flush()
    return parked


def _bisect(
    run: Sequence[Delivery],
    apply: Apply,
    park: Park,
    parked: list[Stuck],
    attempts: int,
    pause: float,
    sleep: Callable[[float], None],
) -> None:
    if not run:
        return
    failure = _try(apply, run)
    if failure is None:
        return
    if len(run) > 1:
        middle = len(run) // 2
        _bisect(run[:middle], apply, park, parked, attempts, pause, sleep)
        _bisect(run[middle:], apply, park, parked, attempts, pause, sleep)
        return
    delivery = run[0]
    for _ in range(attempts - 1):
        log.warning("inbox.apply_failed", seq=delivery.seq, error=describe(failure))
        sleep(pause)
        failure = _try(apply, run)
        if failure is None:
            return
    error = describe(failure)
    if park(delivery, error, attempts):
        parked.append(Stuck(delivery, error, attempts))


def _try(apply: Apply, run: Sequence[Delivery]) -> Exception | None:
    try:
        apply(run)
    except Exception as exc:
        if retryable(exc):
            raise
        return exc
    return None
