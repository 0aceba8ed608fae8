"""End-to-end fixtures: `propdesk` run as a real process, driven only through NATS and its CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.messaging.natsd import free_port

PROPDESK = str(Path(sys.executable).parent / "propdesk")
# every `propdesk up` of the tests serves its web console on a free port, not on 8080 (which a
# developer's own `make run` may hold); a test that wants the console's URL reads it from stdout
os.environ.setdefault("PROPDESK_CONSOLE_PORT", "0")


class Process:
    """A propdesk process whose stdout is read in the background."""

    def __init__(self, *args: str, terminal: bool = False) -> None:
        """`terminal`: the process leads a process group of its own, as a shell's job does, so
        that `interrupt` can send Ctrl-C's SIGINT to the whole group."""
        env = os.environ | {"PROPDESK_LOG_FORMAT": "json"}
        self.proc = subprocess.Popen(
            [PROPDESK, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            process_group=0 if terminal else None,
        )
        self.lines: list[str] = []
        self.errors: list[str] = []
        self._ready = threading.Event()
        self._readers = [
            threading.Thread(target=self._read, daemon=True),
            threading.Thread(target=self._drain_stderr, daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            if "ready" in line:
                self._ready.set()

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.errors.append(line)

    def problems(self) -> list[str]:
        """The warnings and errors the process logged (JSON lines on stderr)."""
        return [line for line in self.errors if '"level": "info"' not in line][-30:]

    def wait_ready(self, timeout: float = 60.0) -> None:
        if not self._ready.wait(timeout):
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGUSR1)  # the stacks of where it waits, to stderr
                time.sleep(1)
            self.proc.kill()
            raise AssertionError(
                f"no ready line in {timeout:g} s; stdout: {''.join(self.lines)}\nstderr:\n"
                + "".join(self.errors[-60:])
            )

    def interrupt(self, timeout: float = 20.0) -> int:
        """Ctrl-C in the terminal: SIGINT to every process of the group. Returns the exit code
        once the process has ended and all its output is read."""
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("did not stop:\n" + "".join(self.errors[-80:])) from None
        for reader in self._readers:
            reader.join(5)
        return code

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGUSR1)  # dump the stacks of the hung process
            time.sleep(1)
            self.proc.kill()
            raise AssertionError("did not stop:\n" + "".join(self.errors[-80:])) from None
        if code < 0 and code != -sig:
            time.sleep(0.2)  # let the reader take the last lines
            raise AssertionError(f"died by signal {-code}:\n" + "".join(self.errors[-80:]))
        return code


@pytest.fixture
def up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Process, str, Path]]:
    """`propdesk up` on a free port and a fresh data dir: (process, nats url, data dir). The
    commands a test runs find its credentials as an operator's shell would: PROPDESK_DATA_DIR."""
    port = free_port()
    data_dir = tmp_path / "var"
    monkeypatch.setenv("PROPDESK_DATA_DIR", str(data_dir))
    process = Process("up", "--data-dir", str(data_dir), "--nats-port", str(port))
    process.wait_ready()
    yield process, f"nats://127.0.0.1:{port}", data_dir
    process.stop()
