"""The complaint ladder as the board keeps it (R6.3–R6.7): each level's due time, counted from
receipt, the levels reached, and the upgrade to major; and who is told of a major complaint
(R5.4) or of one raised again and again (R5.1a). Plain functions over its state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.kernel.vocabulary import Level, Role

RUNNING = "running"
LEFT = "left"  # not a complaint that climbs (communicative, R5.6, or another kind) for now

# R5.4: a major complaint is reported upward at once: to the project manager, who answers for
# what the supervisors cannot resolve (R6.5)
MAJOR_TOLD = Role.project_manager
# R5.1a: a complaint the customer raised several times (多次提出) without result is major; the
# third raising (the first contact and two linked repeats) is flagged for the desk to confirm
RAISED_FOR_MAJOR = 3
# R6.2: the receptionist analyses and classifies a complaint; the flag is theirs to confirm
MAJOR_SUGGESTED_TO = Role.receptionist

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


def upgrade_told() -> list[Role]:
    """Who is told of an upgrade to major besides quality: every level of the ladder (R5.4,
    R6.4–R6.6: the people the complaint has climbed through answer for a major complaint)."""
    return [Role(level.value) for level in Level]


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


def major_pending(board: Any) -> list[tuple[datetime, tuple[str, str]]]:
    """A complaint classified major, not yet reported (R5.4): (when, (report, major)); one
    raised again and again, not major yet (R5.1a): (when, (suggest, major))."""
    found: list[tuple[datetime, tuple[str, str]]] = []
    if board.status != "open":
        return found
    if board.major_since is not None and not board.major_reported:
        found.append((board.major_since, ("report", "major")))
    climbing = board.ladder is not None and board.ladder["state"] == RUNNING
    if (
        board.raised_again_at is not None
        and not board.major_suggested
        and not board.major_reported
        and board.severity != "major"
        and climbing
    ):
        found.append((board.raised_again_at, ("suggest", "major")))
    return found
