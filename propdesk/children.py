"""`propdesk up` with the system clock: each service (and the console) in an OS process of its own,
`propdesk serve <name> --supervised`, so that the services do not share one interpreter's lock.

The children are forked from a fork server (multiprocessing's `forkserver`) that imported
PropDesk once: a child starts in milliseconds, not in the second or two each import takes, and
needs no exec. Each leads a session of its own (Ctrl-C reaches `up` alone, which stops each in
turn) and ends itself when `up` is gone: it watches a pipe only `up` writes to (its lifeline),
which closes when `up` ends, also when killed.

A child reports on its stdout, a pipe to `up`: `propdesk health: URL` (its /health, when `up`
serves one), `propdesk console: URL`, then `propdesk ready: …`; or `propdesk could not start:
why` and its exit code (StartRefused's when an operator must act). Its log lines go to the
stderr it shares with `up`.

A child that dies while `up` runs is started again after a pause that doubles with each death in
a row (BACKOFF), logged at error level: the other services keep serving meanwhile and the
restarted one catches up from its durable consumers (docs/RELIABILITY.md). A restart the child
refuses (StartRefused) ends `up`: a loop cannot fix it.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from shared.kernel.settings import Settings
from shared.logging import get_logger
from shared.messaging.errors import StartRefused
from shared.messaging.natsd import PRCTL
from shared.messaging.tasks import cancel_and_wait

log = get_logger("propdesk")

READY, CONSOLE, HEALTH, REFUSED = (
    "propdesk ready: ", "propdesk console: ", "propdesk health: ", "propdesk could not start: ",
)  # fmt: skip
BACKOFF = (0.5, 30.0)  # seconds before the first restart, and at most
STABLE = 60.0  # seconds a restarted child must live for its next death to count as a first
STOP_TIMEOUT = 15.0  # seconds a child has to stop on SIGTERM before it is killed
# what `up` settles for each child on its command line, not through the environment it inherits
OWN = ("PROPDESK_METRICS_PORT", "PROPDESK_METRICS_HOST", "PROPDESK_NATS_URL", "PROPDESK_DATA_DIR")


class Backoff:
    """The pause before a process that died is started again: BACKOFF[0] doubling up to
    BACKOFF[1] while it keeps dying, BACKOFF[0] again once it lived STABLE seconds (a child
    service, and the nats-server `up` runs, runtime.py)."""

    def __init__(self) -> None:
        self.delay, self._since = BACKOFF[0], time.monotonic()

    def died(self) -> float:
        """It died: the pause before the next start."""
        if time.monotonic() - self._since > STABLE:
            self.delay = BACKOFF[0]
        return self.delay

    async def pause(self) -> None:
        """Wait the pause; the next one, if this start fails or dies soon, is twice as long."""
        await asyncio.sleep(self.delay)
        self.delay = min(self.delay * 2, BACKOFF[1])

    def started(self) -> None:
        self._since = time.monotonic()


PR_SET_NAME = 15
METRICS_PREFIX = "propdesk-metrics-"  # then `up`'s pid: <tmp>/propdesk-metrics-<pid>-<random>
FORKS = multiprocessing.get_context("forkserver")
FORKS.set_forkserver_preload(["propdesk.runtime", "propdesk.cli.main"])
_lifeline: tuple[Connection, Connection] | None = None  # (read end for the children, `up`'s)
_metrics_dir: Path | None = None


def lifeline() -> Connection:
    """The read end of the pipe `up` holds open while it lives."""
    global _lifeline
    if _lifeline is None:
        _lifeline = FORKS.Pipe(duplex=False)
    return _lifeline[0]


def warm_up(metrics: bool) -> Path | None:
    """Start the fork server now, once per process: it imports PropDesk while `up` imports it too
    and starts nats-server. With `metrics`, it and so every child count in prometheus_client's
    multiprocess mode (read as the client is imported) in a directory made here, returned."""
    global _metrics_dir
    if metrics and _metrics_dir is None:
        clear_stale_metrics(Path(tempfile.gettempdir()))
        _metrics_dir = Path(tempfile.mkdtemp(prefix=f"{METRICS_PREFIX}{os.getpid()}-"))
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_metrics_dir)
    forkserver.ensure_running()
    return _metrics_dir


def clear_stale_metrics(parent: Path) -> list[Path]:
    """Remove the metrics directories (and the children's counts in them) of `up`s that are
    gone without removing their own — killed with SIGKILL, or by the OOM killer: each is named
    by its `up`'s pid. A pid taken since by another process keeps its directory until that
    process is gone too."""
    removed = []
    for found in parent.glob(f"{METRICS_PREFIX}*-*"):
        pid = found.name.removeprefix(METRICS_PREFIX).partition("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(found, ignore_errors=True)
            removed.append(found)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's
    return True


def serve(argv: list[str], stdout: Connection, life: Connection) -> None:
    """A child, in the fork server's fork: `propdesk <argv>` with its stdout on the pipe to
    `up`, in a session of its own, ended with SIGTERM when `up` is gone."""
    os.setsid()
    if PRCTL is not None:  # `ps -o comm`, top: the service, not the fork server's command
        PRCTL(PR_SET_NAME, argv[1].encode()[:15])
    os.dup2(stdout.fileno(), 1)
    stdout.close()
    for name in OWN:
        os.environ.pop(name, None)
    threading.Thread(target=_end_with_up, args=(life,), name="lifeline", daemon=True).start()
    sys.argv = ["propdesk", *argv]
    from propdesk.cli.main import main

    main()


def _end_with_up(life: Connection) -> None:
    while os.read(life.fileno(), 1):
        pass  # nobody writes: the read returns only at the end of file, when `up` is gone
    os.kill(os.getpid(), signal.SIGTERM)


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
        self.process: Any = None  # multiprocessing's Process
        self.url: str | None = None  # the console's
        self.health_url: str | None = None
        self.ready = False
        self._exited: asyncio.Future[int] | None = None
        self._supervising: asyncio.Task[None] | None = None
        self._reading: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    @property
    def alive(self) -> bool:
        return self._exited is not None and not self._exited.done()

    def argv(self, nats_url: str) -> list[str]:
        s = self.settings
        args = ["serve", self.name, "--supervised", "--nats-url", nats_url,
                "--data-dir", str(s.data_dir)]  # fmt: skip
        if self.metrics_dir is not None:  # a loopback port of its own, merged by `up`
            args += ["--metrics-port", "0", "--metrics-host", "127.0.0.1"]
        if not self.alerts:
            args.append("--no-alerts")
        if self.name == "console":
            args += ["--console-port", str(s.console_port)]
        return args

    async def start(self, nats_url: str) -> None:
        await self._spawn(nats_url)
        self._supervising = asyncio.create_task(self._supervise(nats_url))

    async def _spawn(self, nats_url: str) -> None:
        """Start the process and wait for its ready line; raise its reason if it ends first."""
        self.ready, self.health_url = False, None
        loop = asyncio.get_running_loop()
        theirs, ours = FORKS.Pipe(duplex=False)  # (read, write): their stdout
        # daemon: should `up` end with one still running, multiprocessing's exit terminates it
        # instead of waiting for it (which waits for `up` to end: its lifeline)
        process = FORKS.Process(
            target=serve, args=(self.argv(nats_url), ours, lifeline()), name=self.name, daemon=True
        )
        try:  # blocks while the fork server imports, the first time
            await asyncio.to_thread(process.start)
        finally:
            ours.close()  # theirs alone now: the end of file is their end
        self.process, exited = process, loop.create_future()
        self._exited = exited

        def ended() -> None:
            loop.remove_reader(process.sentinel)
            process.join()
            exited.set_result(process.exitcode)
            log.info("service.exited", service=self.name, pid=process.pid, code=process.exitcode)

        loop.add_reader(process.sentinel, ended)
        stdout = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdout), theirs)
        reason = ""
        while line := (await stdout.readline()).decode(errors="replace"):
            if line.startswith(READY):
                self.ready = True
                self._reading = asyncio.create_task(self._pass_on(stdout))
                return
            if line.startswith(HEALTH):
                self.health_url = line.removeprefix(HEALTH).strip()
            elif line.startswith(CONSOLE):
                self.url = line.removeprefix(CONSOLE).strip()
            elif line.startswith(REFUSED):
                reason = line.removeprefix(REFUSED).strip()
            else:
                reason += line
        code = await exited
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
        backoff = Backoff()
        while True:
            assert self._exited is not None
            code = await asyncio.shield(self._exited)
            self.ready = False
            log.error("service.died", service=self.name, pid=self.pid, exit_code=code,
                      restart_in=backoff.died())  # fmt: skip
            await backoff.pause()
            try:
                await self._spawn(nats_url)
            except StartRefused as exc:
                log.error("service.refused", service=self.name, error=str(exc))
                self.on_fatal(exc)
                return
            except (OSError, RuntimeError) as exc:  # it died again: the next pause is longer
                log.error("service.restart_failed", service=self.name, error=str(exc))
                continue
            backoff.started()
            log.info("service.restarted", service=self.name, pid=self.pid)

    async def stop(self) -> None:
        if self._supervising is not None:
            self._supervising.cancel()
            await asyncio.gather(self._supervising, return_exceptions=True)
            self._supervising = None
        self.ready = False
        if self.process is not None and self.alive:
            assert self._exited is not None
            self.process.terminate()
            try:
                await asyncio.wait_for(asyncio.shield(self._exited), STOP_TIMEOUT)
            except TimeoutError:
                log.error("service.stop_timeout", service=self.name, pid=self.pid)
                self.process.kill()
                await self._exited
        if self._reading is not None:
            await asyncio.gather(self._reading, return_exceptions=True)
            self._reading = None


async def start_together(children: list[ChildProcess], url: str) -> None:
    """Start every child at once (none waits for another, as in the production layout); the
    first that fails ends the start (System.stop stops the others)."""
    tasks = [asyncio.create_task(child.start(url)) for child in children]
    try:
        for started in asyncio.as_completed(tasks):
            await started
    finally:
        await cancel_and_wait(tasks)
