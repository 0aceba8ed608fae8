"""Stores written before the domain became a package name its classes by their old topics
(`services.escalation.domain:Board.ClockStarted`, eventsourcing's `module:QualName`)."""

from __future__ import annotations

from eventsourcing.utils import register_topic

OLD_MODULE = "services.escalation.domain"


def keep_old_topics(aggregate: type) -> None:
    """Register the old topic of `aggregate` and of every event class nested in it."""
    register_topic(f"{OLD_MODULE}:{aggregate.__qualname__}", aggregate)
    for value in vars(aggregate).values():
        if isinstance(value, type) and value.__qualname__.startswith(f"{aggregate.__qualname__}."):
            register_topic(f"{OLD_MODULE}:{value.__qualname__}", value)
