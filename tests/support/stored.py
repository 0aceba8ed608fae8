"""Stored events as an older version of a service wrote them: a store written before an event
class's version 2 (or n) must still load (its `upcast_v1_v2`, …), and decide as before."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic


def written_before(event: StoredEvent, added: Mapping[type, Iterable[str]],
                   version: int = 2) -> StoredEvent:  # fmt: skip
    """`event` as stored before its class's `version`: an event of a class in `added` (class →
    the fields `version` added) without those fields, and stored as `version - 1` (version 1
    stores no `class_version`); any other as it is."""
    fields = {get_topic(cls): names for cls, names in added.items()}.get(event.topic)
    if fields is None:
        return event
    state = json.loads(event.state)
    for key in (*fields, "class_version"):
        del state[key]
    if version > 2:
        state["class_version"] = version - 1
    return StoredEvent(event.originator_id, event.originator_version, event.topic,
                       json.dumps(state).encode())  # fmt: skip
