"""The event backbone: the one place that declares the JetStream stream DESK."""

from __future__ import annotations

from datetime import timedelta

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from shared.subjects import EVENTS_ALL, STREAM

DUPLICATE_WINDOW = timedelta(hours=2)

DESK_STREAM = StreamConfig(
    name=STREAM,
    description="PropDesk domain events; history is kept for replay",
    subjects=[EVENTS_ALL],
    retention=RetentionPolicy.LIMITS,
    storage=StorageType.FILE,
    discard=DiscardPolicy.OLD,
    max_age=0,  # no age limit
    max_msgs=-1,
    max_bytes=-1,
    duplicate_window=DUPLICATE_WINDOW.total_seconds(),
    deny_delete=True,
    deny_purge=True,
    num_replicas=1,
)


async def connect(url: str, name: str) -> Client:
    return await nats.connect(
        url, name=name, max_reconnect_attempts=-1, reconnect_time_wait=0.5, connect_timeout=5
    )


async def ensure_stream(js: JetStreamContext) -> None:
    """Create DESK, or bring an existing one to the declared configuration."""
    try:
        await js.stream_info(STREAM)
    except NotFoundError:
        await js.add_stream(DESK_STREAM)
    else:
        await js.update_stream(DESK_STREAM)
