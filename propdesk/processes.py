"""What Linux's /proc says of processes: one reader of `/proc/<pid>/stat` for `up`'s metrics of
its children (propdesk/merged_health.py), the benchmarks' CPU figures and the tests that look
for the processes `up` runs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

TICK = os.sysconf("SC_CLK_TCK")


class Stat(NamedTuple):
    parent: int
    name: str  # comm: a child of `up` names its service
    state: str  # "R", "S", … "Z" for a zombie
    cpu_seconds: float  # user and system time, every thread


def stat(pid: int) -> Stat | None:
    """The process's line of /proc, None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    name = text[text.index("(") + 1 : text.rindex(")")]
    return Stat(int(fields[1]), name, fields[0], (int(fields[11]) + int(fields[12])) / TICK)


def every() -> dict[int, Stat]:
    """Every process now: pid -> its stat."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (line := stat(int(entry.name))) is not None:
            found[int(entry.name)] = line
    return found


def descendants(root: int, table: dict[int, Stat] | None = None) -> dict[int, Stat]:
    """Every process under `root` (children, theirs, …)."""
    table = every() if table is None else table
    found: dict[int, Stat] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, line in table.items():
            if line.parent == parent and pid not in found:
                found[pid] = line
                frontier.append(pid)
    return found
