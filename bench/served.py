"""A service as `propdesk serve <service>` runs it, as its own process against a benchmark's hub,
and what the benchmark reads of it: its CPU time (all its threads) and its metrics.

Intake alone (bench/desks.py) is measured this way, with the desk clients in another process:
in production the desks are other machines, and clients on the service's interpreter take the
CPU (and the GIL) the service would have."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import urllib.request
from pathlib import Path
from typing import Any

from propdesk.processes import stat
from shared.messaging.natsd import free_port

MAIN = "import sys; from propdesk.cli.main import main; sys.argv[0] = 'propdesk'; main()"


def settings_env(fields: dict[str, Any]) -> dict[str, str]:
    """Settings fields as the PROPDESK_* variables that give them."""
    return {f"PROPDESK_{name.upper()}": str(value) for name, value in fields.items()}


class Served:
    """`propdesk serve <service>` on `url` with the hub's data directory (its credential, its
    site directory), `store` (Settings fields) choosing its store; metrics on a free port."""

    def __init__(self, service: str, url: str, data: Path, store: dict[str, Any]) -> None:
        self.service = service
        self.metrics_port = free_port()
        self.env = (
            os.environ
            | settings_env(store)
            | {
                "PROPDESK_NATS_URL": url,
                "PROPDESK_DATA_DIR": str(data),
                "PROPDESK_LOG_LEVEL": "warning",
                "PROPDESK_METRICS_PORT": str(self.metrics_port),
            }
        )
        self.log_path = data / f"serve-{service}.log"
        self.proc: asyncio.subprocess.Process | None = None

    def argv(self) -> list[str]:
        """The child's arguments to the interpreter."""
        return ["-c", MAIN, "serve", self.service]

    async def start(self, timeout: float = 60.0) -> None:
        with open(self.log_path, "wb") as log:  # the child keeps its own descriptor
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, *self.argv(),
                stdout=asyncio.subprocess.PIPE, stderr=log, env=self.env,
            )  # fmt: skip
        try:
            await asyncio.wait_for(self._ready(), timeout)
        except BaseException:
            await self.stop()
            raise

    async def _ready(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        while line := await self.proc.stdout.readline():
            if b"ready" in line:
                return
        raise RuntimeError(f"propdesk serve {self.service} ended: see {self.log_path}")

    def cpu(self) -> float:
        assert self.proc is not None
        line = stat(self.proc.pid)
        return line.cpu_seconds if line is not None else 0.0

    async def histogram(self, name: str) -> tuple[float, float]:
        """(sum, count) of one of the service's histograms, from its /metrics."""
        url = f"http://127.0.0.1:{self.metrics_port}/metrics"
        text = await asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=10).read())
        found = {}
        for part in ("sum", "count"):
            match = re.search(rf"^{name}_{part}\{{[^}}]*\}} (\S+)$", text.decode(), re.M)
            found[part] = float(match.group(1)) if match else 0.0
        return found["sum"], found["count"]

    async def stop(self) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        self.proc.terminate()
        try:
            await asyncio.wait_for(self.proc.wait(), 30)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
