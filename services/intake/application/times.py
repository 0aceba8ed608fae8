"""The times the desk states: when a contact was received, a check made, an incident happened."""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.messaging.errors import invalid

CLOCK_SKEW = timedelta(minutes=5)


def not_in_future(given: datetime | None, now: datetime, field: str) -> datetime:
    """A time the desk states (when a contact was received, a check made), `now` if none; a
    clock a little ahead of ours is allowed (`CLOCK_SKEW`)."""
    when = given or now
    if when > now + CLOCK_SKEW:
        raise invalid(f"{field} lies in the future", field)
    return when
