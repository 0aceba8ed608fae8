"""Zones as reporting's views compare them (R1.3): SQLite's lower() folds the ASCII letters only,
so the zones asked are folded the same way (`folded`); a name's other letters compare as written.
ticket.list and notice.list compare a zone so (contract 12.2, 12.5)."""

from __future__ import annotations

from collections.abc import Sequence


def zone_of(column: str) -> str:
    """The zone of the JSON in `column` as compared: lower(trim(…))."""
    return f"lower(trim(json_extract({column}, '$.zone')))"


def in_zones(column: str, zones: Sequence[str]) -> tuple[str, list[str]]:
    """SQL that holds when the zone of the JSON in `column` is one of `zones`, and its
    parameters."""
    return f"{zone_of(column)} IN ({', '.join('?' * len(zones))})", [folded(z) for z in zones]


def folded(zone: str) -> str:
    """`zone` as SQLite's lower(trim(…)) makes it: ASCII letters lowered, spaces cut."""
    return "".join(ch.lower() if ch.isascii() else ch for ch in zone.strip(" "))
