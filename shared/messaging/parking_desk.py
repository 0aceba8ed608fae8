"""A service's side of parking on the bus (docs/contract.md §23): its consumers' parked events on
desk.ops.<service>.parked.list|show|retry for ops (`propdesk parked`), a notice on
desk.ops.alert.<service> when one is parked, and the count a health check reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from faststream.nats import NatsRouter

from shared.contracts.ops import (
    OpsAlert,
    ParkedEvent,
    ParkedList,
    ParkedQuery,
    ParkedRef,
    ParkedReply,
)
from shared.messaging import alerts, subjects
from shared.messaging.errors import conflict, not_found
from shared.messaging.inbox import Delivery, decode
from shared.messaging.parking import StillFailing, Stuck, waiting
from shared.messaging.reader import read_stream

if TYPE_CHECKING:
    from shared.messaging.service import Service


class Lot(Protocol):
    """One consumer's parked events, in its own store (blocking calls, run in the service's
    threads)."""

    consumer: str

    def park(self, delivery: Delivery, error: str, attempts: int) -> bool:
        """Record the park with the position past it, in one transaction."""

    def parked(self) -> list[dict[str, Any]]:
        """Every park of the consumer, oldest first (shared/messaging/parking.py parked_entry)."""

    def retry(self, delivery: Delivery) -> None:
        """Apply the parked event and close its park, in one transaction. StillFailing when it
        fails again (the park stays, with the error); KeyError when it is not parked."""


class ParkingDesk:
    def __init__(self, service: Service, after_retry: Callable[[], None] | None = None) -> None:
        self._service = service
        self._after_retry = after_retry  # e.g. wake the relay: a retry records what it caused
        self._lots: dict[str, Lot] = {}
        self._waiting: dict[str, int] = {}

    def count(self) -> int:
        """Events parked and not yet retried, over the service's consumers."""
        return sum(self._waiting.values())

    def follow(self, lot: Lot) -> dict[str, Any]:
        """The inbox's arguments that park into `lot` and tell ops (called once it is open)."""
        self._lots[lot.consumer] = lot
        self._count(lot)
        if self._waiting[lot.consumer]:
            self._service.log.error(
                "inbox.parked_waiting", consumer=lot.consumer, waiting=self._waiting[lot.consumer]
            )

        def park(delivery: Delivery, error: str, attempts: int) -> bool:
            done = lot.park(delivery, error, attempts)
            self._count(lot)
            return done

        async def parked(stuck: Stuck) -> None:
            await self._alert(lot, stuck)

        return {"park": park, "on_parked": parked}

    def _count(self, lot: Lot) -> None:
        self._waiting[lot.consumer] = sum(1 for e in lot.parked() if waiting(e))

    # -- the bus -------------------------------------------------------------------------------

    def routes(self, router: NatsRouter) -> None:
        """Declare the ops subjects and the alert on the service's router (so the hub grants
        them, shared/messaging/natsconf.py)."""
        service = self._service
        for verb, request, reply, call in (
            ("list", ParkedQuery, ParkedList, self._list),
            ("show", ParkedRef, ParkedReply, self._show),
            ("retry", ParkedRef, ParkedReply, self._retry),
        ):
            subject = subjects.ops_parked(service.ops_name, verb)
            title = subject.removeprefix("desk.")
            description = (request.__doc__ or "").strip()
            router.subscriber(subject, title=title, description=description)(
                service.handler(title.replace(".", "_"), request, reply, call, company=True)
            )

    async def _alert(self, lot: Lot, stuck: Stuck) -> None:
        """Tell ops on desk.alert.<service> (shared/messaging/alerts.py): the park is recorded and
        logged
        already, so a failure here only warns."""
        service = self._service
        try:
            entries = await service.offload(lot.parked)
            entry = next(e for e in entries if e["seq"] == stuck.delivery.seq)
            alert = OpsAlert(
                kind="event_parked",
                level="critical",
                service=service.name,
                at=service.clock.now(),
                message=f"{lot.consumer} parked {entry['id']} ({entry['subject']}): "
                f"{entry['error']}"[:500],
                details={"id": entry["id"], "consumer": lot.consumer, "seq": entry["seq"],
                         "waiting": self.count()},
            )  # fmt: skip
            assert service.nc is not None
            await alerts.publish(service.nc, alert)
        except Exception as exc:
            service.log.warning("inbox.alert_failed", error=repr(exc))

    def _event(self, entry: dict[str, Any], with_event: bool = True) -> ParkedEvent:
        fields = entry if with_event else {k: v for k, v in entry.items() if k != "event"}
        return ParkedEvent(service=self._service.name, **fields)

    async def _list(self, _: str, query: ParkedQuery, __: dict[str, str]) -> dict[str, Any]:
        found: list[dict[str, Any]] = []
        for lot in self._lots.values():
            found += await self._service.offload(lot.parked)
        shown = [self._event(e, False) for e in found if query.all or waiting(e)]
        shown.sort(key=lambda e: e.parked_at)
        reply = ParkedList(service=self._service.name, waiting=self.count(), parked=shown)
        return reply.model_dump(mode="json")

    async def _show(self, _: str, ref: ParkedRef, __: dict[str, str]) -> dict[str, Any]:
        _, entry = await self._entry(ref.id)
        return ParkedReply(parked=self._event(entry)).model_dump(mode="json")

    async def _retry(self, _: str, ref: ParkedRef, __: dict[str, str]) -> dict[str, Any]:
        """Read the event from DESK by its sequence and apply it; on success the park closes."""
        lot, entry = await self._entry(ref.id)
        if not waiting(entry):
            raise conflict(f"{ref.id} was already retried, at {entry['retried_at']}")
        delivery = await self._read(entry["seq"])
        if delivery is None:
            raise conflict(
                f"DESK holds no message at sequence {entry['seq']} any more (recreated or "
                f"restored?): {ref.id} cannot be retried; see docs/RELIABILITY.md"
            )
        try:
            await self._service.offload(lot.retry, delivery)
        except StillFailing as exc:
            raise conflict(f"{ref.id} still cannot be applied, it stays parked: {exc}") from None
        except KeyError:
            raise conflict(f"{ref.id} was retried meanwhile") from None
        finally:
            await self._service.offload(self._count, lot)
        if self._after_retry is not None:
            self._after_retry()
        self._service.log.info("inbox.park_retried", id=ref.id, waiting=self.count())
        _, entry = await self._entry(ref.id)
        return ParkedReply(parked=self._event(entry)).model_dump(mode="json")

    async def _entry(self, parked_id: str) -> tuple[Lot, dict[str, Any]]:
        consumer, seq = parked_id.rsplit(":", 1)
        lot = self._lots.get(consumer)
        entries = await self._service.offload(lot.parked) if lot is not None else []
        entry = next((e for e in entries if e["seq"] == int(seq)), None)
        if lot is None or entry is None:
            raise not_found(f"parked event {parked_id} of {self._service.name}")
        return lot, entry

    async def _read(self, seq: int) -> Delivery | None:
        """The message at `seq` of DESK, as the inbox would have read it."""
        assert self._service.nc is not None
        async for batch in read_stream(self._service.nc, subjects.STREAM, seq, start=seq):
            for stored in batch:
                if stored.seq == seq:
                    return decode(seq, stored.data, stored.subject)
        return None
