"""Where a command's CPU goes, process by process: runs the command and samples, every half
second, the CPU time (user + system) of every process under it from /proc, then prints each
process's last figure with its name (a child of `propdesk up` names its service).

    python -m bench.cpu_split -- python -m bench.scale --parts up --reports 400
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def processes() -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, name, CPU seconds so far)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat.rsplit(")", 1)[1].split()
        found[int(entry.name)] = (int(rest[1]), name, (int(rest[11]) + int(rest[12])) / TICK)
    return found


def under(root: int, table: dict[int, tuple[int, str, float]]) -> set[int]:
    found, frontier = set(), [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _, _) in table.items():
            if ppid == parent and pid not in found:
                found.add(pid)
                frontier.append(pid)
    return found


def main() -> None:
    command = sys.argv[1:]
    if command[:1] == ["--"]:
        command = command[1:]
    proc = subprocess.Popen(command)
    seen: dict[int, tuple[str, float]] = {}
    while proc.poll() is None:
        table = processes()
        for pid in under(proc.pid, table):
            _, name, cpu = table[pid]
            seen[pid] = (name, max(cpu, seen.get(pid, (name, 0.0))[1]))
        time.sleep(0.5)
    print("| pid | process | CPU s |\n|---|---|---|")
    for pid, (name, cpu) in sorted(seen.items(), key=lambda item: -item[1][1]):
        if cpu >= 0.1:
            print(f"| {pid} | {name} | {cpu:.1f} |")
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
