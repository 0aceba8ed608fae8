"""The complaint ladder as the board keeps it (R6.3–R6.7): each level's due time, counted from
receipt, the levels reached, and the upgrade to major. Plain functions over its state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.kernel.vocabulary import Level

RUNNING = "running"
LEFT = "left"  # a communicative complaint: never climbs again (R5.6)

Ladder = dict[str, Any]

_RANK = {level.value: n for n, level in enumerate(Level)}


def rank(subject: str) -> int:
    """Where a level stands on the ladder (0 for anything else): decisions falling due at the
    same moment are taken in the order the ladder climbs."""
    return _RANK.get(subject, 0)


def started(steps: dict[str, datetime], upgrade_at: datetime) -> Ladder:
    return {
        "state": RUNNING,
        "steps": dict(steps),
        "upgrade_at": upgrade_at,
        "reached": [],
        "upgraded": False,
    }


def pending(ladder: Ladder | None, severity: str | None) -> list[tuple[datetime, tuple[str, str]]]:
    """What a climbing ladder still has to decide: (when, (escalate, level) | (upgrade, major))."""
    found: list[tuple[datetime, tuple[str, str]]] = []
    if ladder is None or ladder["state"] != RUNNING:
        return found
    for level, due in ladder["steps"].items():
        if level not in ladder["reached"]:
            found.append((due, ("escalate", level)))
    if not ladder["upgraded"] and severity != "major":
        found.append((ladder["upgrade_at"], ("upgrade", "major")))
    return found
