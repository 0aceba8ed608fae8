"""Where an eventsourcing application (intake, dispatch, escalation) keeps the events its inbox
parked: one ParkingLot aggregate per consumer, in the application's own store, recorded in the
same transaction as the stream position past the parked event (shared/messaging/parking.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Tracking
from eventsourcing.utils import register_topic

from shared.eventstore.group_commit import Collecting
from shared.messaging.errors import retryable
from shared.messaging.parking import (
    StillFailing,
    describe,
    failed_again,
    parked_entry,
    retried,
    waiting,
)
from shared.messaging.subjects import STREAM

if TYPE_CHECKING:
    from shared.eventstore.desk_app import DeskApplication
    from shared.messaging.inbox import Delivery

LOT_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/parking-lot")


class ParkingLot(Aggregate):
    """The events one consumer could not apply, by stream sequence; never published."""

    class Opened(Aggregate.Created):
        consumer: str

    class Parked(Aggregate.Event):
        entry: dict[str, Any]

        def apply(self, lot: ParkingLot) -> None:
            lot.entries[str(self.entry["seq"])] = self.entry

    class FailedAgain(Aggregate.Event):
        seq: int
        error: str

        def apply(self, lot: ParkingLot) -> None:
            key = str(self.seq)
            lot.entries[key] = failed_again(lot.entries[key], self.error)

    class Retried(Aggregate.Event):
        seq: int

        def apply(self, lot: ParkingLot) -> None:
            key = str(self.seq)
            lot.entries[key] = retried(lot.entries[key], self.timestamp)

    def __init__(self, *, consumer: str) -> None:
        self.consumer = consumer
        self.entries: dict[str, dict[str, Any]] = {}

    @staticmethod
    def id_for(consumer: str) -> UUID:
        return uuid5(LOT_NS, consumer)

    @classmethod
    def open(cls, consumer: str, at: datetime) -> ParkingLot:
        return cls._create(cls.Opened, id=cls.id_for(consumer), timestamp=at, consumer=consumer)


class ParksEvents:
    """The parking of a DeskApplication's inbox; every write under the application's lock."""

    def park(
        self: DeskApplication, consumer: str, delivery: Delivery, error: str, attempts: int
    ) -> bool:
        """Record the park and the position past it, at once; False when already past it."""
        with self.writing:
            if delivery.seq <= self.position():
                return False
            at = self.clock.now()
            lot = self.lot(consumer)
            entry = parked_entry(consumer, delivery, error, attempts, at)
            lot.trigger_event(ParkingLot.Parked, timestamp=at, entry=entry)
            processing = Collecting(tracking=Tracking(STREAM, delivery.seq))
            processing.collect_events(lot)
            self._record(processing)
            return True

    def lot(self: DeskApplication, consumer: str) -> ParkingLot:
        found = self.get(ParkingLot.id_for(consumer), ParkingLot)
        return found if found is not None else ParkingLot.open(consumer, self.clock.now())

    def parked(self: DeskApplication, consumer: str) -> list[dict[str, Any]]:
        """The consumer's parked events, oldest first (retried ones too)."""
        found = self.get(ParkingLot.id_for(consumer), ParkingLot)
        entries = found.entries.values() if found is not None else ()
        return sorted(entries, key=lambda e: e["seq"])

    def waiting_count(self, consumer: str) -> int:
        return sum(1 for e in self.parked(consumer) if waiting(e))  # type: ignore[attr-defined]

    def retry_parked(self: DeskApplication, consumer: str, delivery: Delivery) -> None:
        with self.writing:
            self._retry_parked(consumer, delivery)

    def _retry_parked(self: DeskApplication, consumer: str, delivery: Delivery) -> None:
        """React to the parked event now, and close its park, in one transaction; on failure
        the park stays, with the new error (StillFailing)."""
        lot = self.lot(consumer)
        entry = lot.entries.get(str(delivery.seq))
        if entry is None or not waiting(entry):
            raise KeyError(delivery.seq)
        at = self.clock.now()
        try:
            if delivery.error is not None:
                raise StillFailing(delivery.error)
            changed = self.react(delivery.envelope) if delivery.envelope else []
        except Exception as exc:
            if retryable(exc):
                raise
            error = str(exc) if isinstance(exc, StillFailing) else describe(exc)
            lot.trigger_event(ParkingLot.FailedAgain, timestamp=at, seq=delivery.seq, error=error)
            self.save(lot)
            raise StillFailing(error) from None
        lot.trigger_event(ParkingLot.Retried, timestamp=at, seq=delivery.seq)
        self.save(*changed, lot)


class AppLot:
    """One consumer's parked events in a DeskApplication, as the service's ParkingDesk uses them
    (shared/messaging/parking_desk.py Lot)."""

    def __init__(self, app: ParksEvents, consumer: str) -> None:
        self.app = app
        self.consumer = consumer

    def park(self, delivery: Delivery, error: str, attempts: int) -> bool:
        return self.app.park(self.consumer, delivery, error, attempts)  # type: ignore[arg-type]

    def parked(self) -> list[dict[str, Any]]:
        return self.app.parked(self.consumer)  # type: ignore[arg-type]

    def retry(self, delivery: Delivery) -> None:
        self.app.retry_parked(self.consumer, delivery)  # type: ignore[arg-type]


# stored before shared/ was folded into rings (issue 12): those parks load here
register_topic("shared.parking_lot:ParkingLot", ParkingLot)
