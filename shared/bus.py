"""The event backbone: the one place that declares the JetStream stream DESK."""

from __future__ import annotations

from datetime import timedelta

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from shared.subjects import EVENTS_ALL, NOTICES, NOTICES_ALL, STREAM

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


# Notifications to roles: kept 90 days so a desk that was offline can catch up; the escalation
# events on DESK are the permanent record.
NOTICES_STREAM = StreamConfig(
    name=NOTICES,
    description="PropDesk notifications to roles (desk.ntf.<site>.<role>)",
    subjects=[NOTICES_ALL],
    retention=RetentionPolicy.LIMITS,
    storage=StorageType.FILE,
    discard=DiscardPolicy.OLD,
    max_age=timedelta(days=90).total_seconds(),
    duplicate_window=DUPLICATE_WINDOW.total_seconds(),
    num_replicas=1,
)


async def connect(url: str, name: str) -> Client:
    return await nats.connect(
        url, name=name, max_reconnect_attempts=-1, reconnect_time_wait=0.5, connect_timeout=5
    )


async def ensure_stream(js: JetStreamContext) -> None:
    """Create DESK and NOTICES, or bring existing ones to the declared configuration."""
    for config in (DESK_STREAM, NOTICES_STREAM):
        try:
            await js.stream_info(config.name)
        except NotFoundError:
            await js.add_stream(config)
        else:
            await js.update_stream(config)
