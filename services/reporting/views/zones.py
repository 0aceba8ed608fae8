"""Zones as reporting's views compare them (R1.3): by the one rule of shared/kernel/zones.py
(`zone_key`: without case, every letter folded, and surrounding spaces), given to SQLite as the
function `zone_key` on each of the view's connections (`FUNCTIONS`), so SQL folds a zone as the
console and intake do. ticket.list and notice.list compare a zone so (contract 12.2, 12.5)."""

from __future__ import annotations

from collections.abc import Sequence

from shared.kernel.zones import zone_key


def _zone_key(zone: object) -> str | None:
    """`zone_key` in SQL: NULL, or anything not text, is no zone."""
    return zone_key(zone) if isinstance(zone, str) else None


FUNCTIONS = {"zone_key": _zone_key}  # the ticket view's SQL functions (SQLiteView.FUNCTIONS)


def in_zones(column: str, zones: Sequence[str]) -> tuple[str, list[str]]:
    """SQL that holds when the zone of the JSON in `column` is one of `zones`, and its
    parameters."""
    marks = ", ".join("?" * len(zones))
    return f"zone_key(json_extract({column}, '$.zone')) IN ({marks})", [zone_key(z) for z in zones]
