"""One run of a service-level clock, as the board keeps it: counting, pausing, its deadline and
warning point, how it ended. Plain functions over the run's state (a dict the board's events
write), no I/O; time is counted by the site's `WorkTime` (calendar or office hours)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.kernel.worktime import CalendarTime, WorkTime

RUNNING, PAUSED, STOPPED = "running", "paused", "stopped"

Run = dict[str, Any]


def clock_key(name: str, order_no: str | None = None) -> str:
    """A ticket's clock by its name, a work order's as `<name>:<order_no>`."""
    return name if order_no is None else f"{name}:{order_no}"


def started(*, clock: str, order_no: str | None, run: int, started_at: datetime, budget: float,
            warn_share: float, deadline: datetime, warn_due: datetime, notify: str,
            compensation_risk: bool, counting: str = "site") -> Run:  # fmt: skip
    """A run as it starts: counting from `started_at`, nothing decided yet."""
    return {
        "clock": clock,
        "order_no": order_no,
        "run": run,
        "started_at": started_at,
        "budget": budget,
        "warn_share": warn_share,
        "counted": 0.0,
        "running_since": started_at,
        "deadline": deadline,
        "warn_due": warn_due,
        "notify": notify,
        "compensation_risk": compensation_risk,
        "counting": counting,
        "state": RUNNING,
        "warned": False,
        "breached": False,
        "pause_reason": None,
        "outcome": None,
    }


def work_of(run: Run, site_work: WorkTime) -> WorkTime:
    """How a run counts: every second if it counts `calendar`, else as the site counts."""
    return CalendarTime() if run.get("counting") == "calendar" else site_work


def counted(run: Run, at: datetime, work: WorkTime) -> float:
    """Seconds counted by `at`: paused time does not count."""
    if run["running_since"] is None:
        return run["counted"]
    return run["counted"] + work.elapsed(run["running_since"], at)


def outcome(run: Run, seconds: float, *, cancelled: bool) -> str:
    """How a run ends: `cancelled` (no longer applies), `late` or `met`."""
    if cancelled:
        return "cancelled"
    return "late" if run["breached"] or seconds > run["budget"] else "met"


def resumed_deadlines(run: Run, at: datetime, work: WorkTime) -> tuple[datetime, datetime]:
    """The deadline and warning point of a run resumed at `at`: what was left of each."""
    left = max(run["budget"] - run["counted"], 0.0)
    warn_left = max(run["budget"] * run["warn_share"] - run["counted"], 0.0)
    return work.add(at, left), work.add(at, warn_left)


def pending(runs: dict[str, Run]) -> list[tuple[datetime, tuple[str, str]]]:
    """What the running clocks still have to decide: (when, (warn | breach, key))."""
    found: list[tuple[datetime, tuple[str, str]]] = []
    for key, run in runs.items():
        if run["state"] != RUNNING:
            continue
        if not run["warned"]:
            found.append((run["warn_due"], ("warn", key)))
        if not run["breached"]:
            found.append((run["deadline"], ("breach", key)))
    return found
