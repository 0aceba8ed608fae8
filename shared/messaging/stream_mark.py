"""Which DESK a reader follows: a durable consumer's position, or a relay's, means something only
in the stream it was taken in. A stream that was deleted and created again, or restored, starts
its sequences again: a consumer that resumed "at its position" there would silently skip every
new event (issue 11: 0 of 20 new reports reached the view; repairs got no orders).

So each reader keeps a mark beside its store, `<data-dir>/streams/<reader>.json`: the creation
time of the DESK it follows and, after an adoption, the offset between that stream's sequences
and the positions its store records (positions only ever grow: a store's tracking records are
monotonic). A different stream is a loud stop — the reader waits, logs, tells ops — until ops
republish the services' events into it and adopt it (docs/RELIABILITY.md, "DESK recreated").
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from nats.js import JetStreamContext

from shared.messaging.subjects import STREAM

RUNBOOK = "docs/RELIABILITY.md, 'DESK recreated or restored'"


@dataclass(frozen=True)
class Followed:
    created: str  # the stream's creation time, as the server reports it
    offset: int = 0  # position in the reader's store = sequence in this stream + offset


class StreamChanged(Exception):
    """The stream is not the one the reader's position was taken in."""


async def current(js: JetStreamContext) -> tuple[str, int]:
    """The creation time and last sequence of DESK as it is now."""
    info = await js.stream_info(STREAM)
    assert info.created is not None, "nats-server reports when a stream was created"
    return info.created.isoformat(), info.state.last_seq


class StreamMark:
    def __init__(self, directory: Path, reader: str) -> None:
        self.path = directory / "streams" / f"{reader}.json"
        self.reader = reader

    def load(self) -> Followed | None:
        try:
            return Followed(**json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None

    def save(self, followed: Followed) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(asdict(followed)) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)

    def stamp(self) -> int | None:
        """Changes whenever the mark is written (an adoption): a stopped reader looks at it."""
        try:
            return self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return None

    async def check(self, js: JetStreamContext, position: int | None = None) -> Followed:
        """The stream this reader follows, if it is DESK as it is now; else StreamChanged.

        A reader without a mark (new, or kept from before marks existed) takes the stream as it
        finds it, unless its position lies beyond the stream's end: then the stream is not the
        one its position was taken in."""
        created, last = await current(js)
        followed = self.load()
        if followed is None:
            if position is not None and position > last:
                raise StreamChanged(
                    self._told(f"its position {position} lies beyond DESK's end {last}")
                )
            followed = Followed(created)
            self.save(followed)
            return followed
        if followed.created != created:
            raise StreamChanged(
                self._told(
                    f"it follows DESK created {followed.created}, DESK now was created {created}"
                )
            )
        return followed

    async def adopt(self, js: JetStreamContext, position: int | None) -> Followed:
        """Follow DESK as it is now from its end on: what it holds up to there counts as what
        the reader's store already reflects (ops republished the services' events into it)."""
        created, last = await current(js)
        offset = 0 if position is None else position - last
        followed = Followed(created, offset)
        self.save(followed)
        return followed

    async def reset(self, js: JetStreamContext) -> Followed:
        """Follow DESK as it is now, sequence for position: a view rebuilt from it."""
        created, _ = await current(js)
        followed = Followed(created)
        self.save(followed)
        return followed

    def _told(self, why: str) -> str:
        return (
            f"{self.reader}: DESK is not the stream it followed ({why}): it stops until ops "
            f"republish the services' events and adopt the stream ({RUNBOOK})"
        )
