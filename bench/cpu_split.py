"""Where a command's CPU goes, process by process: runs the command and samples, every half
second, the CPU time (user + system) of every process under it from /proc, then prints each
process's last figure with its name (a child of `propdesk up` names its service).

    python -m bench.cpu_split -- python -m bench.scale --parts up --reports 400
"""

from __future__ import annotations

import subprocess
import sys
import time

from propdesk.processes import descendants


def main() -> None:
    command = sys.argv[1:]
    if command[:1] == ["--"]:
        command = command[1:]
    proc = subprocess.Popen(command)
    seen: dict[int, tuple[str, float]] = {}
    while proc.poll() is None:
        for pid, line in descendants(proc.pid).items():
            seen[pid] = (line.name, max(line.cpu_seconds, seen.get(pid, (line.name, 0.0))[1]))
        time.sleep(0.5)
    print("| pid | process | CPU s |\n|---|---|---|")
    for pid, (name, cpu) in sorted(seen.items(), key=lambda item: -item[1][1]):
        if cpu >= 0.1:
            print(f"| {pid} | {name} | {cpu:.1f} |")
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
