"""A site's events on DESK as JSON lines, for analytics (`propdesk events export`).

Each line is one published envelope exactly as the stream carries it (so, like the stream, without
names or phone numbers: contract §14), in stream order. An event belongs to the window
[start, end) by its `occurred_at`.

The site's subject is read from the stream's first message: `occurred_at` is business time, which
can be much earlier than the moment the message reached the stream (a contact logged late carries
its `received_at`) and, on a simulated clock, bears no relation to the stream's own timestamps, so
neither a start time nor a start sequence can be derived from `start` without losing events. The
export stops at the last message the stream held when it began; later messages are left out.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from nats.aio.client import Client
from pydantic import ValidationError

from shared.contracts.events import parse_event
from shared.messaging.reader import read_stream
from shared.messaging.subjects import STREAM, is_valid_site, site_events


@dataclass(frozen=True, slots=True)
class Exported:
    count: int  # lines written
    unreadable: int  # messages of the site that are no event this version knows: left out


def check_window(site: str, start: datetime | None, end: datetime | None) -> None:
    """Raise ValueError, with a message for people, when the request makes no sense."""
    if not is_valid_site(site):
        raise ValueError(f"invalid site id {site!r}: 2–32 of a-z, 0-9 and -, not starting with -")
    for name, when in (("start", start), ("end", end)):
        if when is not None and when.tzinfo is None:
            raise ValueError(f"{name} {when.isoformat()} needs an offset (e.g. +08:00 or Z)")
    if start is not None and end is not None and start >= end:
        raise ValueError(f"start {start.isoformat()} must be before end {end.isoformat()}")


async def export_events(
    nc: Client,
    site: str,
    start: datetime | None,
    end: datetime | None,
    write: Callable[[str], object],
) -> Exported:
    """Call `write` with each envelope of `site` whose occurred_at is in [start, end), one JSON
    text without its line break, in stream order. None leaves that end of the window open."""
    check_window(site, start, end)
    subject = site_events(site)
    info = await nc.jetstream().stream_info(STREAM, subjects_filter=subject)
    if not info.state.subjects:  # nothing of this site yet
        return Exported(0, 0)
    last = info.state.last_seq  # every message of the site counted above is at or before it
    count = unreadable = 0
    async for batch in read_stream(nc, STREAM, last, subject=subject):
        for stored in batch:
            try:
                occurred_at = parse_event(stored.data).occurred_at
            except ValidationError:
                unreadable += 1
                continue
            if (start is None or occurred_at >= start) and (end is None or occurred_at < end):
                write(_one_line(stored.data))
                count += 1
    return Exported(count, unreadable)


def _one_line(data: bytes) -> str:
    text = data.decode("utf-8")
    if "\n" in text or "\r" in text:  # not how PropDesk publishes, but a line must stay a line
        text = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    return text
