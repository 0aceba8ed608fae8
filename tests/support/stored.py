"""Stored events as an older version of a service wrote them: a store written before an event
class's version 2 must still load (its `upcast_v1_v2`), and decide as before."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic


def written_before(event: StoredEvent, added: Mapping[type, Iterable[str]]) -> StoredEvent:
    """`event` as stored before its class's version 2: an event of a class in `added` (class →
    the fields version 2 added) without those fields and its `class_version`; any other as it is."""
    fields = {get_topic(cls): names for cls, names in added.items()}.get(event.topic)
    if fields is None:
        return event
    state = json.loads(event.state)
    for key in (*fields, "class_version"):
        del state[key]
    return StoredEvent(event.originator_id, event.originator_version, event.topic,
                       json.dumps(state).encode())  # fmt: skip
