"""The bus's own floor for intake alone: what the same desk clients get from a responder that does
nothing but what every report's path on the bus must do — take the request, publish one event to
DESK with its `Nats-Msg-Id` through the same window of asynchronous publishes as the relay, and
answer — with no store, no validation and no FastStream.

It runs as intake runs in bench/desks.py `intake_alone`: its own process on a closed hub, with
intake's identity and credential, the clients in another process. Set beside intake's own rate
and CPU a report, it tells what of a report's cost is the bus (the server, the clients, the
socket work a service cannot avoid) and what is the service's Python; the raw save is the same
`bench.scale` figure.

    python -m bench.floor --url nats://… --data-dir …   (the responder; `bench.scale` starts it)
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from nats.aio.msg import Msg

from bench.desks import REPORT, SITE, Measure, one_then_many
from bench.served import Served
from shared.kernel.settings import Settings
from shared.messaging.bus import ensure_stream
from shared.messaging.client import Bus
from shared.messaging.subjects import STREAM, event

WINDOW = 256  # publishes awaiting their acknowledgement, as the relay's window
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


class Responder(Served):
    """The responder as its own process, started, measured and stopped as a service is
    (bench/served.py); it commits nothing and serves no metrics, so no batches."""

    def __init__(self, url: str, data: Path) -> None:
        super().__init__("floor", url, data, {})
        self.url, self.data = url, data

    def argv(self) -> list[str]:
        return ["-m", "bench.floor", "--url", self.url, "--data-dir", str(self.data)]

    async def histogram(self, name: str) -> tuple[float, float]:
        return 0.0, 0.0


async def bus_floor(work: Path, reports: int, many: int) -> tuple[Measure, Measure]:
    """One client, then `many`, against the bare responder: (one, many)."""
    return await one_then_many(
        work, lambda hub: Responder(hub.url, hub.settings.data_dir), reports, many
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    asyncio.run(respond(args.url, args.data_dir))


if __name__ == "__main__":
    main()
