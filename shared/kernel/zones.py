"""Zones (组团 / 辖区, R16.4): a site's area is divided into zones, each looked after by its CS
assistant (R1.3). A zone is a name the site gives it (the unit file's `zone`, a notice's scope, a
member of staff's `zones`), compared without case and surrounding spaces wherever two meet."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import Field

from shared.kernel.identifiers import Place
from shared.kernel.vocabulary import Role

ZoneName = Place  # as the unit file's zone: a place, never a person
# the zones a query asks for (ticket.list, notice.list, resident.care_roll): a few, not the site's
ZonesAsked = Annotated[list[ZoneName], Field(max_length=20)]


def zone_key(zone: str) -> str:
    """The zone as compared: without case and surrounding spaces."""
    return zone.strip().casefold()


def in_zones(zone: str | None, zones: Iterable[str]) -> bool:
    """Whether `zone` (None: not known) is one of `zones`."""
    return zone is not None and zone_key(zone) in {zone_key(z) for z in zones}


def zone_told(role: str, zone: str | None) -> str | None:
    """The zone a notice to `role` names: a CS assistant is told of her zone's (R1.3, R6.3); a
    notice to another role names none, nor one about something of no known zone (site-wide)."""
    return zone if role == Role.cs_assistant.value else None


def distinct_zones(zones: tuple[str, ...]) -> tuple[str, ...]:
    """`zones` as given, refused when one is named twice (without case)."""
    keys = [zone_key(z) for z in zones]
    twice = sorted({z for z, k in zip(zones, keys, strict=True) if keys.count(k) > 1})
    if twice:
        raise ValueError(f"zone named twice: {', '.join(twice)}")
    return zones
