"""A service's side of parking on the bus (docs/contract.md §23): its consumers' parked events on
desk.ops.<service>.parked.list|show|retry for ops (`propdesk parked`), a notice on
desk.ops.alert.<service> when one is parked, and the count a health check reads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

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


@runtime_checkable
class HeldLot(Protocol):
    """What the service itself set aside (not a consumer's events: escalation's held decisions,
    services/escalation/application/held.py): listed and shown as parked events, retried by
    their own sequence, without a read of DESK."""

    consumer: str

    def parked(self) -> list[dict[str, Any]]:
        """Every entry, oldest first (the fields of contracts.ops.ParkedEvent)."""

    def retry_held(self, seq: int) -> None:
        """Take it now and close the entry; StillFailing or KeyError as `Lot.retry`."""


class ParkingDesk:
    def __init__(self, service: Service, after_retry: Callable[[], None] | None = None) -> None:
        self._service = service
        self._after_retry = after_retry  # e.g. wake the relay: a retry records what it caused
        self._lots: dict[str, Lot | HeldLot] = {}
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
            await self._alert(lot, stuck.delivery.seq)

        return {"park": park, "on_parked": parked}

    def keep(self, lot: HeldLot) -> Callable[[list[int]], Awaitable[None]]:
        """List, show and retry `lot` with the consumers' parks (called once it is open); the
        coroutine function returned counts its new entries and tells ops of each."""
        self._lots[lot.consumer] = lot
        self._count(lot)

        async def held(seqs: list[int]) -> None:
            await self._service.offload(self._count, lot)
            for seq in seqs:
                await self._alert(lot, seq)

        return held

    def _count(self, lot: Lot | HeldLot) -> None:
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

    async def _alert(self, lot: Lot | HeldLot, seq: int) -> None:
        """Tell ops on desk.alert.<service> (shared/messaging/alerts.py): the park is recorded and
        logged
        already, so a failure here only warns."""
        service = self._service
        try:
            entries = await service.offload(lot.parked)
            entry = next(e for e in entries if e["seq"] == seq)
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
        try:
            await self._take_again(lot, ref.id, entry["seq"])
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

    async def _take_again(self, lot: Lot | HeldLot, parked_id: str, seq: int) -> None:
        """A consumer's parked event read from DESK by its sequence and applied; a held entry
        taken again by its own."""
        if isinstance(lot, HeldLot):
            await self._service.offload(lot.retry_held, seq)
            return
        delivery = await self._read(seq)
        if delivery is None:
            raise conflict(
                f"DESK holds no message at sequence {seq} any more (recreated or "
                f"restored?): {parked_id} cannot be retried; see docs/RELIABILITY.md"
            )
        await self._service.offload(lot.retry, delivery)

    async def _entry(self, parked_id: str) -> tuple[Lot | HeldLot, dict[str, Any]]:
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
