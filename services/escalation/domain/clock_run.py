"""One run of a service-level clock, as the board keeps it: counting, pausing, its deadline and
warning point, how it ended. Plain functions over the run's state (a dict the board's events
write), no I/O; time is counted by the site's `WorkTime` (calendar or office hours)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared.kernel.worktime import CalendarTime, WorkTime

RUNNING, PAUSED, STOPPED = "running", "paused", "stopped"

Run = dict[str, Any]
Due = tuple[datetime, datetime]  # a deadline and its warning point


def clock_key(name: str, order_no: str | None = None) -> str:
    """A ticket's clock by its name, a work order's as `<name>:<order_no>`."""
    return name if order_no is None else f"{name}:{order_no}"


def started(*, clock: str, order_no: str | None, run: int, started_at: datetime, budget: float,
            warn_share: float, deadline: datetime, warn_due: datetime, notify: str,
            compensation_risk: bool, counting: str = "site",
            due_by: datetime | None = None) -> Run:  # fmt: skip
    """A run as it starts: counting from `started_at`, nothing decided yet. `spans`: the stretches
    it counted before each pause, so that it can be counted again another way (`recounted`)."""
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
        "due_by": due_by,
        "spans": [],
        "state": RUNNING,
        "warned": False,
        "breached": False,
        "pause_reason": None,
        "outcome": None,
    }


def budget_of(target: timedelta, work: WorkTime, started_at: datetime,
              due_by: datetime | None) -> float:  # fmt: skip
    """The counted seconds a run started at `started_at` has: its target's, or up to `due_by` (the
    end of an appointment window, R7.15) when that is later."""
    seconds = work.budget(target)
    return seconds if due_by is None else max(seconds, work.elapsed(started_at, due_by))


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


def resumed_deadlines(run: Run, at: datetime, work: WorkTime) -> Due:
    """The deadline and warning point of a run resumed at `at`: what was left of each."""
    return _due(run, at, run["budget"], run["counted"], work)


def recounted(run: Run, budget: float, work: WorkTime) -> tuple[float, Due | None]:
    """The run counted again from its start by `work`, with `budget`, its pauses still not
    counting: what it has counted up to its latest start or resumption (all of it, paused), and
    its deadline and warning point if it runs — a run's that had counted so from the first."""
    counted = sum(work.elapsed(begin, end) for begin, end in run["spans"])
    since = run["running_since"]
    return counted, None if since is None else _due(run, since, budget, counted, work)


def _due(run: Run, since: datetime, budget: float, counted: float, work: WorkTime) -> Due:
    left = max(budget - counted, 0.0)
    warn_left = max(budget * run["warn_share"] - counted, 0.0)
    return work.add(since, left), work.add(since, warn_left)


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
