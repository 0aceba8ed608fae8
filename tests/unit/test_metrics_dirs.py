"""`up` with metrics counts its children's figures in a directory of its own (prometheus_client's
multiprocess mode), removed when it stops; one killed with SIGKILL cannot, so the next `up` removes
the directories of those that are gone (propdesk/children.py `clear_stale_metrics`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from propdesk.children import METRICS_PREFIX, clear_stale_metrics


def _gone_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_metrics_of_an_up_that_is_gone_are_removed_and_the_living_ones_kept(
    tmp_path: Path,
) -> None:
    gone = tmp_path / f"{METRICS_PREFIX}{_gone_pid()}-x1y2"
    mine = tmp_path / f"{METRICS_PREFIX}{os.getpid()}-a1b2"
    living = tmp_path / f"{METRICS_PREFIX}{os.getppid()}-c3d4"
    older = tmp_path / f"{METRICS_PREFIX}k3j2_x"  # before the pid was in the name: not known
    for found in (gone, mine, living, older):
        found.mkdir()
        (found / "counter_1234.db").write_bytes(b"\0" * 16)

    assert clear_stale_metrics(tmp_path) == [gone]
    assert not gone.exists()
    assert mine.exists() and living.exists() and older.exists()
