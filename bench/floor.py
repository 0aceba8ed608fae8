"""The bus's own floor for intake alone: what the same desk clients get from a responder that does
nothing but what every report's path on the bus must do — take the request, publish one event to
DESK with its `Nats-Msg-Id` through the same window of asynchronous publishes as the relay, and
answer — with no store, no validation and no FastStream.

With `--stack`, the floor of the libraries intake is built on: the same path through FastStream
(a subscriber as a service's, its answers given by tasks: shared/messaging/deferred.py), the
request validated into the contract's `ReportContact` (pydantic, `parse_body`), the commands
that arrive together saved in one transaction by the command batcher in front of an
eventsourcing application on a SQLite file (one small aggregate a command, as the raw save), each
event published as above, the reply made from the contract's `ReportReply` and answered — and
nothing of intake's own: no domain, no look-ups, no encryption, no checks of personal data.
Between the two floors and intake lies what each layer costs a report.

It runs as intake runs in bench/desks.py `intake_alone`: its own process on a closed hub, with
intake's identity and credential, the clients in another process. Set beside intake's own rate
and CPU a report, it tells what of a report's cost is the bus (the server, the clients, the
socket work a service cannot avoid) and what is the service's Python; the raw save is the same
`bench.scale` figure.

    python -m bench.floor --url nats://… --data-dir … [--stack]   (`bench.scale` starts it)
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from faststream.nats import NatsBroker
from nats.aio.msg import Msg

from bench.desks import REPORT, SITE, Measure, one_then_many
from bench.served import Served
from shared.contracts.commands import ReportContact
from shared.contracts.replies import ReportReply
from shared.kernel.settings import Settings
from shared.messaging import deferred
from shared.messaging.batcher import CommandBatcher
from shared.messaging.bus import access_for, ensure_stream
from shared.messaging.client import Bus
from shared.messaging.rpc import answer, parse_body, raw_body
from shared.messaging.subjects import STREAM, event

WINDOW = 256  # publishes awaiting their acknowledgement, as the relay's window
COMMANDS = Settings.model_fields["command_batch"].default  # a commit's commands, answers at once
ANSWER = b'{"ok":true}'


async def respond(url: str, data_dir: Path) -> None:
    bus = Bus(url, Settings(data_dir=data_dir), name="floor", max_reconnect_attempts=0)
    nc = await bus.connection("intake")
    js = nc.jetstream(publish_async_max_pending=WINDOW)
    await ensure_stream(js)
    subject = event(SITE, "ticket.reported")
    sent = 0

    async def answer(msg: Msg) -> None:
        nonlocal sent
        sent += 1
        await js.publish_async(
            subject, msg.data, stream=STREAM, headers={"Nats-Msg-Id": f"floor-{sent}"}
        )
        await msg.respond(ANSWER)

    await nc.subscribe(REPORT, cb=answer)
    await nc.flush()
    print("ready", flush=True)
    await asyncio.get_running_loop().create_future()  # until terminated


async def respond_with_stack(url: str, data_dir: Path) -> None:
    """The libraries' floor (`--stack`, above): a command's path as a service takes it."""
    from bench.scale import Counter

    access = access_for("intake", url, Settings(data_dir=data_dir))
    broker = NatsBroker(
        access.servers,
        security=access.security(),
        inbox_prefix=access.options()["inbox_prefix"],
        apply_types=False,
        decoder=raw_body,
        logger=None,  # as a service's, whose log of each message is dropped below warning
    )
    app: Application = Application(
        {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(data_dir / "s.db")}
    )
    subject = event(SITE, "ticket.reported")
    js: Any = None

    def save(commands: Sequence[ReportContact]) -> list[Any]:
        counters = [Counter() for _ in commands]
        app.save(*counters)
        return [c.id for c in counters]

    async def commit(commands: Sequence[ReportContact]) -> list[Any]:
        saved = await asyncio.to_thread(save, commands)
        for aggregate_id in saved:
            await js.publish_async(
                subject, b"{}", stream=STREAM, headers={"Nats-Msg-Id": str(aggregate_id)}
            )
        return [
            ReportReply(
                ticket_id=str(aggregate_id), ticket_no="T1", status="open", duplicate=False
            ).model_dump(mode="json")
            for aggregate_id in saved
        ]

    batcher: CommandBatcher[ReportContact] = CommandBatcher(commit, limit=COMMANDS)
    answering = deferred.Deferred(COMMANDS)

    async def answer_later(message: Msg, body: bytes) -> None:
        async def run() -> dict[str, Any]:
            reply: dict[str, Any] = await batcher.submit(parse_body(ReportContact, body))
            return reply

        await deferred.respond(message, await answer(run, REPORT))

    @broker.subscriber(REPORT, no_reply=True)
    async def report(body: bytes) -> None:
        await answering.start(answer_later(broker.context.get_local("message").raw_message, body))

    await broker.start()
    js = broker.connection.jetstream(publish_async_max_pending=WINDOW)
    await ensure_stream(js)
    await broker.connection.flush()
    print("ready", flush=True)
    await asyncio.get_running_loop().create_future()  # until terminated


class Responder(Served):
    """The responder as its own process, started, measured and stopped as a service is
    (bench/served.py); it commits nothing and serves no metrics, so no batches."""

    def __init__(self, url: str, data: Path, *, stack: bool = False) -> None:
        super().__init__("floor", url, data, {})
        self.url, self.data, self.stack = url, data, stack

    def argv(self) -> list[str]:
        stack = ["--stack"] if self.stack else []
        return ["-m", "bench.floor", "--url", self.url, "--data-dir", str(self.data), *stack]

    async def histogram(self, name: str) -> tuple[float, float]:
        return 0.0, 0.0


async def bus_floor(
    work: Path, reports: int, many: int, *, stack: bool = False
) -> tuple[Measure, Measure]:
    """One client, then `many`, against the bare responder (`stack`: the libraries' floor):
    (one, many)."""
    return await one_then_many(
        work, lambda hub: Responder(hub.url, hub.settings.data_dir, stack=stack), reports, many
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--stack", action="store_true", help="the libraries' floor")
    args = parser.parse_args()
    asyncio.run((respond_with_stack if args.stack else respond)(args.url, args.data_dir))


if __name__ == "__main__":
    main()
