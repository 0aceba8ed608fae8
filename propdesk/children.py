"""`propdesk up` with the system clock: each service (and the console) in an OS process of its own,
`propdesk serve <name> --supervised`, so that the services do not share one interpreter's lock.

A child reports on its stdout, a pipe to `up`: `propdesk health: URL` (its /health, when `up`
serves one), `propdesk console: URL`, then `propdesk ready: …`; or `propdesk could not start:
why` and its exit code (StartRefused's when an operator must act). Its log lines go to the
stderr it shares with `up`. It is ended with `up` (PR_SET_PDEATHSIG), also when `up` is killed.

A child that dies while `up` runs is started again after a pause that doubles with each death in
a row (BACKOFF), logged at error level: the other services keep serving meanwhile and the
restarted one catches up from its durable consumers (docs/RELIABILITY.md). A restart the child
refuses (StartRefused) ends `up`: a loop cannot fix it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from shared.kernel.settings import Settings
from shared.logging import get_logger
from shared.messaging.errors import StartRefused
from shared.messaging.natsd import PR_SET_PDEATHSIG, PRCTL

log = get_logger("propdesk")

READY, CONSOLE, HEALTH, REFUSED = (
    "propdesk ready: ", "propdesk console: ", "propdesk health: ", "propdesk could not start: ",
)  # fmt: skip
BACKOFF = (0.5, 30.0)  # seconds before the first restart, and at most
STABLE = 60.0  # seconds a restarted child must live for its next death to count as a first
STOP_TIMEOUT = 15.0  # seconds a child has to stop on SIGTERM before it is killed
# what `up` settles for each child on its command line, not through the environment it inherits
OWN = ("PROPDESK_METRICS_PORT", "PROPDESK_METRICS_HOST", "PROPDESK_NATS_URL", "PROPDESK_DATA_DIR")


def _end_with_parent(parent: int) -> Callable[[], None]:
    """In the child, before exec: SIGTERM when `up` dies (Linux); `up` already gone: exit."""

    def prepare() -> None:
        if PRCTL is not None:
            PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:
            os._exit(1)

    return prepare


class ChildProcess:
    """One service (or the console) as `propdesk serve <name>`: `start` returns once it is ready
    and supervises it from then on; `stop` ends it with SIGTERM."""

    def __init__(
        self,
        settings: Settings,
        name: str,
        *,
        metrics_dir: Path | None = None,
        alerts: bool = True,
        on_fatal: Callable[[BaseException], None] = lambda exc: None,
    ) -> None:
        self.name = name
        self.settings = settings
        self.metrics_dir = metrics_dir  # prometheus_client's multiprocess directory of `up`
        self.alerts = alerts  # the one child that watches the JetStream store and alerts ops
        self.on_fatal = on_fatal
        self.proc: asyncio.subprocess.Process | None = None
        self.url: str | None = None  # the console's
        self.health_url: str | None = None
        self.ready = False
        self._supervising: asyncio.Task[None] | None = None
        self._reading: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def command(self, nats_url: str) -> list[str]:
        s = self.settings
        args = [sys.executable, "-m", "propdesk", "serve", self.name, "--supervised",
                "--nats-url", nats_url, "--data-dir", str(s.data_dir)]  # fmt: skip
        if self.metrics_dir is not None:  # a loopback port of its own, merged by `up`
            args += ["--metrics-port", "0", "--metrics-host", "127.0.0.1"]
        if not self.alerts:
            args.append("--no-alerts")
        if self.name == "console":
            args += ["--console-port", str(s.console_port)]
        return args

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in OWN}
        if self.metrics_dir is not None:  # read when prometheus_client is imported
            env["PROMETHEUS_MULTIPROC_DIR"] = str(self.metrics_dir)
        return env

    async def start(self, nats_url: str) -> None:
        await self._spawn(nats_url)
        self._supervising = asyncio.create_task(self._supervise(nats_url))

    async def _spawn(self, nats_url: str) -> None:
        """Start the process and wait for its ready line; raise its reason if it ends first."""
        self.ready, self.health_url = False, None
        self.proc = await asyncio.create_subprocess_exec(
            *self.command(nats_url),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            env=self.environment(),
            start_new_session=True,  # Ctrl-C reaches `up` alone, which stops each in turn
            preexec_fn=_end_with_parent(os.getpid()),
        )
        assert self.proc.stdout is not None
        reason = ""
        while line := (await self.proc.stdout.readline()).decode(errors="replace"):
            if line.startswith(READY):
                self.ready = True
                self._reading = asyncio.create_task(self._pass_on(self.proc.stdout))
                return
            if line.startswith(HEALTH):
                self.health_url = line.removeprefix(HEALTH).strip()
            elif line.startswith(CONSOLE):
                self.url = line.removeprefix(CONSOLE).strip()
            elif line.startswith(REFUSED):
                reason = line.removeprefix(REFUSED).strip()
            else:
                reason += line
        code = await self.proc.wait()
        why = f"{self.name}: {reason.strip() or f'exited with code {code} before it was ready'}"
        if code == StartRefused.EXIT_CODE:
            raise StartRefused(why)
        raise RuntimeError(why)

    @staticmethod
    async def _pass_on(stdout: asyncio.StreamReader) -> None:
        """What the child prints once ready: on `up`'s stdout (the pipe must not fill)."""
        while line := await stdout.readline():
            sys.stdout.write(line.decode(errors="replace"))
            sys.stdout.flush()

    async def _supervise(self, nats_url: str) -> None:
        delay, since = BACKOFF[0], time.monotonic()
        while True:
            assert self.proc is not None
            code = await self.proc.wait()
            self.ready = False
            if time.monotonic() - since > STABLE:
                delay = BACKOFF[0]
            log.error("service.died", service=self.name, pid=self.proc.pid, exit_code=code,
                      restart_in=delay)  # fmt: skip
            await asyncio.sleep(delay)
            delay = min(delay * 2, BACKOFF[1])
            try:
                await self._spawn(nats_url)
            except StartRefused as exc:
                log.error("service.refused", service=self.name, error=str(exc))
                self.on_fatal(exc)
                return
            except (OSError, RuntimeError) as exc:  # it died again: the next pause is longer
                log.error("service.restart_failed", service=self.name, error=str(exc))
                continue
            since = time.monotonic()
            log.info("service.restarted", service=self.name, pid=self.proc.pid)

    async def stop(self) -> None:
        if self._supervising is not None:
            self._supervising.cancel()
            await asyncio.gather(self._supervising, return_exceptions=True)
            self._supervising = None
        proc, self.ready = self.proc, False
        if proc is not None and proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), STOP_TIMEOUT)
            except TimeoutError:
                log.error("service.stop_timeout", service=self.name, pid=proc.pid)
                proc.kill()
                await proc.wait()
        if self._reading is not None:
            await asyncio.gather(self._reading, return_exceptions=True)
            self._reading = None
