"""A service's side of the stream's identity on the bus (docs/contract.md §24): its readers (its
relay, its durable consumers) each follow one DESK (shared/messaging/stream_mark.py); on another
they stop,
tell ops on desk.ops.alert.<service>, and wait for ops to republish the service's events into it
and adopt it: desk.ops.<service>.stream.status|republish|adopt (`propdesk stream`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from faststream.nats import NatsRouter

from shared.contracts.ops import OpsAlert, StreamReader, StreamRequest, StreamStatus
from shared.messaging import alerts, subjects
from shared.messaging.errors import conflict
from shared.messaging.inbox import Inbox
from shared.messaging.relay import Relay
from shared.messaging.stream_mark import StreamMark, current

if TYPE_CHECKING:
    from shared.messaging.service import Service


class StreamDesk:
    def __init__(self, service: Service) -> None:
        self._service = service
        self._relay: Relay | None = None
        self._inboxes: dict[str, Inbox] = {}

    def mark(self, reader: str) -> StreamMark:
        return StreamMark(self._service.settings.data_dir, reader)

    def relay(self, relay: Relay) -> None:
        self._relay = relay

    def inbox(self, inbox: Inbox) -> None:
        self._inboxes[inbox.durable] = inbox

    def stopped(self) -> list[str]:
        """Why each stopped reader stopped (for health)."""
        readers = [self._relay, *self._inboxes.values()]
        return [r.changed for r in readers if r is not None and r.changed]

    async def changed(self, reader: str, why: str) -> None:
        """Tell ops on desk.alert.<service> (the reader logged it already, and waits)."""
        service = self._service
        try:
            assert service.nc is not None
            alert = OpsAlert(
                kind="stream_changed",
                level="critical",
                service=service.name,
                at=service.clock.now(),
                message=why[:500],
                details={"reader": reader},
            )
            await alerts.publish(service.nc, alert)
        except Exception as exc:
            service.log.warning("stream.alert_failed", error=repr(exc))

    # -- the bus -------------------------------------------------------------------------------

    def routes(self, router: NatsRouter) -> None:
        service = self._service
        for verb, call in (
            ("status", self._status),
            ("republish", self._republish),
            ("adopt", self._adopt),
        ):
            subject = subjects.ops_stream(service.ops_name, verb)
            title = subject.removeprefix("desk.")
            router.subscriber(subject, title=title, description=StreamStatus.__doc__ or "")(
                service.handler(
                    title.replace(".", "_"), StreamRequest, StreamStatus, call, company=True
                )
            )

    async def _status(self, *_: Any, **extra: Any) -> dict[str, Any]:
        service = self._service
        assert service.js is not None
        created, _ = await current(service.js)
        readers = []
        for name, reader in self._readers():
            followed = reader.mark.load() if reader.mark is not None else None
            readers.append(
                StreamReader(
                    reader=name,
                    followed=followed.created if followed else None,
                    offset=followed.offset if followed else 0,
                    stopped=reader.changed,
                )
            )
        status = StreamStatus(service=service.name, desk_created=created, readers=readers, **extra)
        return status.model_dump(mode="json")

    async def _republish(self, *_: Any) -> dict[str, Any]:
        """Only into another DESK than the relay published to: into the same one, events older
        than the duplicate window (2 h) would be stored twice."""
        relay = self._relay
        if relay is None or relay.changed is None:
            raise conflict(
                f"{self._service.name}'s relay publishes to DESK as it is: nothing to republish"
            )
        count = await relay.republish()
        self._service.log.info("stream.republished", events=count)
        return await self._status(republished=count)

    async def _adopt(self, *_: Any) -> dict[str, Any]:
        """Every stopped reader takes DESK as it is now: what it holds counts as applied."""
        service = self._service
        assert service.js is not None
        adopted = []
        for name, reader in self._readers():
            if reader.changed is None or reader.mark is None:
                continue
            position = await service.offload(reader.position) if name != "relay" else None
            await reader.mark.adopt(service.js, position)
            adopted.append(reader.mark.reader)
        if not adopted:
            raise conflict(f"no reader of {service.name} is stopped: nothing to adopt")
        service.log.info("stream.adopted", readers=adopted)
        return await self._status(adopted=adopted)

    def _readers(self) -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = []
        if self._relay is not None:
            found.append(("relay", self._relay))
        found += list(self._inboxes.items())
        return found
