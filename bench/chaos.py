"""The fault campaign (`make chaos`; issue 11, docs/RELIABILITY.md): the production layout —
nats-server on the configuration `propdesk nats config` writes, each service its own
`propdesk serve` process — under a mixed load of desks that retry, while services and
nats-server are killed with SIGKILL and restarted. Then it checks what must hold:

- every acknowledged command took effect exactly once on DESK (one `ticket.reported` per ticket,
  no two events of one aggregate version, no command that caused the same change twice);
- ticket numbers are unique per site; every repair got exactly one automatic work order;
- escalation decided nothing twice;
- reporting's views equal a rebuild from DESK (`propdesk verify`);
- nothing is stuck: every durable consumer has read and acknowledged everything, and the only
  parked events are the poison event the campaign published (one park per consumer that reads
  it);
- a corrupted reporting view was repaired by reporting itself; a second copy of a service, on the
  same data directory or another, refused to start.

With `--nodes 3` the hub is a three-node JetStream cluster (the streams R3, deploy/cluster/), and
each node is a victim of its own.

    python -m bench.chaos [--seconds 90] [--seed 7] [--desks 3] [--kills 10] [--nodes 1|3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

from nats.errors import Error as NatsError
from nats.errors import TimeoutError as NatsTimeout

from propdesk.cli.common import new_client_ref
from propdesk.trust import Hub, default_directory
from shared.kernel.settings import Settings
from shared.messaging import subjects
from shared.messaging.client import Bus
from shared.messaging.identity import OPS
from shared.messaging.natsconf import ServerOptions
from shared.messaging.natsd import free_port, nats_server_binary
from shared.messaging.subjects import STREAM
from tests.support.cluster import loopback_cluster

PROPDESK = str(Path(sys.executable).parent / "propdesk")
SERVICES = ("intake", "dispatch", "escalation", "reporting")
PREFIX = {"hbw": "HB", "tech-park": "TP", "xh-tower": "XH"}  # the default directory's staff
COMMAND_DEADLINE = 120.0  # seconds a desk keeps retrying one command


# -- the processes -----------------------------------------------------------------------------


class Processes:
    """nats-server (or each node of a cluster) and one `propdesk serve` per service, each
    killable and restartable."""

    def __init__(self, data: Path, nodes: dict[str, int]) -> None:
        self.data = data
        self.nodes = nodes  # nats-server's name ("nats-server" for one hub) -> its client port
        self.url = ",".join(f"nats://127.0.0.1:{port}" for port in nodes.values())
        self.nats: dict[str, subprocess.Popen[bytes]] = {}
        self.services: dict[str, subprocess.Popen[bytes]] = {}
        self.env = os.environ | {"PROPDESK_LOG_FORMAT": "json", "PROPDESK_DATA_DIR": str(data)}
        if len(nodes) > 1:
            self.env["PROPDESK_STREAM_REPLICAS"] = "3"
        self.kills: Counter[str] = Counter()
        self.log_at: dict[str, int] = {}  # where each service's last start began in its log

    def start_nats(self, node: str | None = None) -> None:
        """Start `node`, or every node."""
        for name in [node] if node else self.nodes:
            data = self.data if len(self.nodes) == 1 else self.data / name
            config = Hub(Settings(data_dir=data)).config_path
            log = open(self.data / f"{name}.out", "ab")  # noqa: SIM115 - the child keeps it
            self.nats[name] = subprocess.Popen(
                [nats_server_binary(), "--config", str(config)], stdout=log, stderr=log
            )
        for name in [node] if node else self.nodes:
            _wait_port(self.nodes[name])

    def start(self, name: str) -> None:
        log = open(self.data / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it
        self.log_at[name] = log.tell()
        self.services[name] = subprocess.Popen(
            [PROPDESK, "serve", name, "--nats-url", self.url, "--data-dir", str(self.data)],
            stdout=log,
            stderr=log,
            env=self.env,
        )

    def ready(self, name: str, timeout: float = 60.0) -> None:
        """Wait until the last start of `name` printed ready (it holds its store and its claim)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with (self.data / f"{name}.log").open("rb") as log:
                log.seek(self.log_at[name])
                if f"propdesk ready: {name} ".encode() in log.read():
                    return
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not get ready within {timeout:.0f} s")

    def kill(self, name: str) -> None:
        process = self.nats[name] if name in self.nodes else self.services[name]
        process.send_signal(signal.SIGKILL)
        process.wait()
        self.kills[name] += 1

    def alive(self) -> dict[str, bool]:
        return {name: p.poll() is None for name, p in self.services.items()}

    def stop(self) -> dict[str, int]:
        codes = {}
        for name, process in self.services.items():
            process.send_signal(signal.SIGTERM)
            try:
                codes[name] = process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                codes[name] = -9
        for process in self.nats.values():
            process.terminate()
            process.wait(10)
        return codes


def _wait_port(port: int, timeout: float = 10.0) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nats-server did not listen on {port}")


# -- the load ----------------------------------------------------------------------------------


@dataclass
class Ledger:
    """What the desks were told: every acknowledged command and the ticket it is about."""

    acked: dict[str, dict[str, Any]] = field(default_factory=dict)  # command_id -> reply
    reports: dict[str, tuple[str, str]] = field(default_factory=dict)  # ticket -> (site, kind)
    retries: int = 0
    connection_errors: int = 0
    refused: list[str] = field(default_factory=list)


async def command(
    bus: Bus, ledger: Ledger, site: str, service: str, verb: str, body: dict[str, Any]
) -> dict[str, Any] | None:
    """Send until answered (the same command_id every time, as the CLI does): a timeout, no
    responders or `unavailable` is retried; any other refusal is recorded and given up."""
    body = {"command_id": str(uuid4())} | body
    subject = subjects.command(site, service, verb)
    deadline = time.monotonic() + COMMAND_DEADLINE
    while time.monotonic() < deadline:
        try:
            reply = await bus.request(subject, body, timeout=3)
        except (TimeoutError, NatsTimeout, NatsError, OSError):
            ledger.retries += 1
            await asyncio.sleep(0.3)
            continue
        if reply.get("ok"):
            ledger.acked[body["command_id"]] = reply
            return reply
        code = (reply.get("error") or {}).get("code")
        if code in ("unavailable", "not_found", "conflict"):  # not read yet, or a store moment
            ledger.retries += 1
            await asyncio.sleep(0.3)
            continue
        ledger.refused.append(f"{subject}: {reply.get('error')}")
        return None
    ledger.refused.append(f"{subject}: no answer within {COMMAND_DEADLINE:g} s")
    return None


async def desk(bus: Bus, ledger: Ledger, site: str, rng: random.Random, until: float) -> None:
    """One desk of `site`: contacts of every kind, each walked some way along its life."""
    staff = f"{PREFIX[site]}-S0{rng.randint(1, 3)}"
    supervisor = f"{PREFIX[site]}-SUP"
    n = 0
    while time.monotonic() < until:
        n += 1
        kind = rng.choice(["repair", "repair", "complaint", "help", "inquiry"])
        body: dict[str, Any] = {
            "client_ref": new_client_ref(),  # as the CLI makes them: never phone-like
            "channel": "visit",
            "kind": kind,
            "reporter": {"name": "测试住户", "phone": "13800138000", "room": f"{n % 9 + 1}-301"},
            "content": {"repair": "厨房水管漏水", "complaint": "楼道清洁不到位",
                        "help": "门禁卡失灵", "inquiry": "物业费怎么交"}[kind],
            "staff_id": staff,
        }  # fmt: skip
        if kind == "repair":
            body["category"] = "plumbing"
        elif kind == "complaint":
            body["category"] = "cleaning"
        elif kind == "help":
            body["help_category"] = "G"
        reported = await command(bus, ledger, site, "intake", "report", body)
        if reported is None:
            continue
        ticket = reported["ticket_id"]
        ledger.reports[ticket] = (site, kind)
        step = {"ticket_id": ticket, "staff_id": staff}
        if kind == "complaint":
            valid = step | {"validity": "valid", "severity": "minor"}
            if await command(bus, ledger, site, "intake", "classify", valid) is None:
                continue
            accepted = step | {"solution": "今天重新清扫"}  # R6.9: before it is resolved
            if await command(bus, ledger, site, "intake", "accept_solution", accepted) is None:
                continue
            resolved = step | {"staff_id": supervisor, "resolution": "已安排保洁"}
            if await command(bus, ledger, site, "intake", "resolve", resolved) is not None:
                await command(bus, ledger, site, "intake", "follow_up",
                              step | {"satisfied": True, "score": 5})  # fmt: skip
        elif kind == "help":
            await command(bus, ledger, site, "intake", "reply", step | {"message": "已补办门禁卡"})
        elif kind == "inquiry":
            await command(bus, ledger, site, "intake", "resolve", step | {"resolution": "已解答"})


@dataclass
class Incidents:
    """What the campaign did besides the kills, and what came of it."""

    poison: int | None = None  # the stream sequence of the poison event it published
    corrupted: bool = False
    second_copies: dict[str, int] = field(default_factory=dict)  # where -> exit code


async def poison(processes: Processes, settings: Settings, incidents: Incidents) -> None:
    """An event no consumer can apply, on DESK as dispatch's own key could publish it: a work
    order issued for a ticket of no site, its data broken."""
    event_id = str(uuid4())
    bad = {"event_id": event_id, "event_type": "workorder.issued", "schema_version": 1,
           "site": "hbw", "aggregate_id": str(uuid4()), "aggregate_version": 10**20,
           "data": {"broken": True}}  # fmt: skip
    async with Bus(processes.url, settings, name="chaos-poison", max_reconnect_attempts=3) as bus:
        nc = await bus.connection("dispatch")
        for _ in range(60):  # JetStream may still be recovering from the last kill: as a relay
            try:
                ack = await nc.jetstream().publish(
                    subjects.event("hbw", "workorder.issued"), json.dumps(bad).encode(),
                    headers={"Nats-Msg-Id": event_id},
                )  # fmt: skip
            except NatsError:  # no stream response yet (the same Msg-Id: stored once)
                await asyncio.sleep(0.5)
                continue
            incidents.poison = ack.seq
            return
    raise RuntimeError("the poison event was not stored in 30 s: JetStream never answered")


def corrupt_view(processes: Processes, incidents: Incidents) -> None:
    """reporting killed, its ticket view overwritten in the middle, reporting started again."""
    processes.kill("reporting")
    view = processes.data / "reporting-tickets.sqlite3"
    size = view.stat().st_size
    with view.open("r+b") as f:
        f.seek(size // 2)
        f.write(os.urandom(min(65536, size // 4)))
    processes.start("reporting")
    incidents.corrupted = True


def second_copies(processes: Processes, incidents: Incidents) -> None:
    """A second intake on the same data directory, and one on another (same bus, same key),
    once the running intake is ready: each must refuse at once (exit 1)."""
    processes.ready("intake")
    other = Path(tempfile.mkdtemp(prefix="propdesk-chaos-second-"))
    shutil.copytree(processes.data / "credentials", other / "credentials")
    shutil.copy(processes.data / "sites.json", other / "sites.json")
    for where, data in (("same data directory", processes.data), ("another", other)):
        try:
            done = subprocess.run(
                [PROPDESK, "serve", "intake", "--nats-url", processes.url, "--data-dir", str(data)],
                env=processes.env | {"PROPDESK_DATA_DIR": str(data)}, capture_output=True,
                timeout=60,
            )  # fmt: skip
            incidents.second_copies[where] = done.returncode
        except subprocess.TimeoutExpired:  # it ran beside the first: broken
            incidents.second_copies[where] = -1


async def faults(
    processes: Processes,
    rng: random.Random,
    kills: int,
    until: float,
    settings: Settings,
    incidents: Incidents,
) -> None:
    """SIGKILL each service and nats-server (each at least once, in random order; more kills go
    to random victims), restart it a moment later; on the way, a poison event, a corrupted view
    and second copies of a service."""
    # each service and nats-server at least once (when kills allow), the rest at random
    victims = [*SERVICES, *processes.nodes][:kills]
    victims += [rng.choice([*SERVICES, *processes.nodes]) for _ in range(kills - len(victims))]
    rng.shuffle(victims)
    pause = max(1.0, (until - time.monotonic()) / (kills + 1) - 1.75)  # a restart takes ~1.75 s
    extra = {kills // 4: "poison", kills // 2: "corrupt", 3 * kills // 4: "second"}
    for n in range(kills):
        if extra.get(n) == "poison":
            await poison(processes, settings, incidents)
        elif extra.get(n) == "corrupt":
            await asyncio.to_thread(corrupt_view, processes, incidents)
        elif extra.get(n) == "second":
            await asyncio.to_thread(second_copies, processes, incidents)
        await asyncio.sleep(pause * rng.uniform(0.5, 1.5))
        if time.monotonic() >= until:
            return
        victim = victims[n]
        processes.kill(victim)
        await asyncio.sleep(rng.uniform(0.5, 3.0))
        if victim in processes.nodes:
            processes.start_nats(victim)
        else:
            processes.start(victim)


# -- the checks --------------------------------------------------------------------------------


async def settled(
    bus: Bus, quiet: float = 5.0, timeout: float = 180.0, expected: Iterable[str] = ()
) -> dict[str, int]:
    """Wait until DESK has not grown for `quiet` seconds and every durable consumer has read
    and acknowledged everything; the consumers' pending counts. A cluster lists only the
    consumers that have a leader: the `expected` durables must all be listed (a consumer whose
    node has just come back may be missing from the list for a while, still behind)."""
    ops = await bus.connection(OPS)
    js = ops.jetstream()
    last, since = -1, time.monotonic()
    deadline = time.monotonic() + timeout
    pending: dict[str, int] = {}
    while time.monotonic() < deadline:
        try:
            seq = (await js.stream_info(STREAM)).state.last_seq
            pending = {
                c.name: c.num_pending + c.num_ack_pending for c in await js.consumers_info(STREAM)
            }
        except (NatsError, OSError, TimeoutError):  # a cluster electing leaders: not yet
            last = -1
            await asyncio.sleep(0.5)
            continue
        if seq != last or any(pending.values()) or not set(expected) <= set(pending):
            last, since = seq, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return pending
        await asyncio.sleep(0.5)
    return pending


def check(events: list[dict[str, Any]], ledger: Ledger) -> dict[str, list[str]]:
    """Each invariant → what breaks it (empty lists when everything holds)."""
    broken: dict[str, list[str]] = defaultdict(list)
    versions = Counter((e["aggregate_id"], e["aggregate_version"]) for e in events)
    broken["one event per aggregate version"] = [f"{k}: {n}" for k, n in versions.items() if n > 1]
    reported = Counter(e["aggregate_id"] for e in events if e["event_type"] == "ticket.reported")
    for ticket in ledger.reports:
        if reported[ticket] != 1:
            broken["every acknowledged report exactly once"].append(f"{ticket}: {reported[ticket]}")
    caused = Counter(
        (e.get("causation_id"), e["aggregate_id"], e["event_type"])
        for e in events
        if e.get("causation_id")
    )
    for (cause, aggregate, kind), n in caused.items():
        if cause in ledger.acked and n > 1:
            broken["no command applied twice"].append(f"{cause} {kind} {aggregate}: {n}")
    missing = [c for c in ledger.acked if not any(k[0] == c for k in caused)]
    broken["every acknowledged command on DESK"] = missing
    numbers = Counter(
        (e["site"], e["data"]["ticket_no"]) for e in events if e["event_type"] == "ticket.reported"
    )
    broken["ticket numbers unique per site"] = [f"{k}: {n}" for k, n in numbers.items() if n > 1]
    orders = Counter(
        e["data"]["ticket_id"]
        for e in events
        if e["event_type"] == "workorder.issued" and e["data"].get("origin") == "automatic"
    )
    for ticket, (_, kind) in ledger.reports.items():
        if kind == "repair" and orders[ticket] != 1:
            broken["one work order per repair"].append(f"{ticket}: {orders[ticket]}")
    decisions = Counter(
        (e["data"]["ticket_id"], e["event_type"], e["data"].get("key") or e["data"].get("level"))
        for e in events
        if e["event_type"]
        in (
            "escalation.clock_breached",
            "escalation.clock_warned",
            "escalation.complaint_escalated",
        )
    )
    broken["no decision twice"] = [f"{k}: {n}" for k, n in decisions.items() if n > 1]
    return dict(broken)


async def parked_events(bus: Bus) -> list[dict[str, Any]]:
    found = []
    for service in SERVICES:
        reply = await bus.request(f"desk.ops.{service}.parked.list", {"all": True}, timeout=10)
        found += reply.get("parked", [])
    return found


def verify(data: Path, url: str) -> dict[str, int]:
    env = os.environ | {"PROPDESK_DATA_DIR": str(data)}
    codes = {}
    for projection in ("tickets", "analytics"):
        done = subprocess.run(
            [PROPDESK, "verify", projection, "--nats-url", url],
            env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        codes[projection] = done.returncode
        if done.returncode:  # what differed, or why it could not tell
            said = f"{done.stdout}{done.stderr}"[-4000:]
            print(f"verify {projection}: exit {done.returncode}\n{said}")
    return codes


# -- the campaign ------------------------------------------------------------------------------


def hub_nodes(data: Path, settings: Settings, count: int) -> dict[str, int]:
    """Write the configuration of one hub, or of each node of a cluster (its own data
    directory under `data`, the hub's credentials): the nodes' names and client ports."""
    if count == 1:
        hub, port = Hub(settings), free_port()
        options = ServerOptions(
            port=port, store_dir=hub.nats_dir, pid_file=hub.pid_file, sync_always=True
        )
        hub.prepare(default_directory(), options)
        return {"nats-server": port}
    nodes = loopback_cluster(data, settings.credentials_path, default_directory(), count)
    return {name: port for name, (_, port, _) in nodes.items()}


async def campaign(
    seconds: float, seed: int, desks: int, kills: int, nodes: int = 1
) -> dict[str, Any]:
    rng = random.Random(seed)
    data = Path(tempfile.mkdtemp(prefix="propdesk-chaos-"))
    settings = Settings(data_dir=data)
    default_directory().save(settings.sites_path)
    processes = Processes(data, hub_nodes(data, settings, nodes))
    processes.start_nats()
    for name in SERVICES:
        processes.start(name)
    ledger = Ledger()

    async def disconnected(_: Exception) -> None:  # the outages are the point: counted, not printed
        ledger.connection_errors += 1

    bus = Bus(processes.url, settings, name="chaos", max_reconnect_attempts=-1,
              reconnect_time_wait=0.3, error_cb=disconnected)  # fmt: skip
    began = time.monotonic()
    try:
        await asyncio.sleep(3)  # the services connect
        until = time.monotonic() + seconds
        sites = list(PREFIX)
        load = [
            desk(bus, ledger, sites[i % len(sites)], random.Random(rng.random()), until)
            for i in range(desks * len(sites))
        ]
        incidents = Incidents()
        await asyncio.gather(faults(processes, rng, kills, until, settings, incidents), *load)
        for name, alive in processes.alive().items():  # the last victim may still be down
            if not alive:
                processes.start(name)
        pending = await settled(bus)
        events = [json.loads(m.data) async for batch in bus.read_desk() for m in batch]
        broken = check(events, ledger)
        parked = await parked_events(bus)
        verified = verify(data, processes.url)
    finally:
        await bus.close()
        stopped = processes.stop()
    return {
        "seconds": round(time.monotonic() - began),
        "seed": seed,
        "nats-server nodes": len(processes.nodes),
        "commands acknowledged": len(ledger.acked),
        "tickets": len(ledger.reports),
        "retries": ledger.retries,
        "client connection errors": ledger.connection_errors,
        "refused": ledger.refused[:5],
        "kills": dict(processes.kills),
        "events on DESK": len(events),
        "consumers pending": pending,
        "verify (0 = equal)": verified,
        "poison event parked by": sorted(
            p["consumer"] for p in parked if p["seq"] == incidents.poison
        ),
        "other parked events": [p["id"] for p in parked if p["seq"] != incidents.poison],
        "view corrupted and repaired": incidents.corrupted and verified.get("tickets") == 0,
        "second copies refused (exit codes)": incidents.second_copies,
        "clean stop (exit codes)": stopped,
        "broken": {k: v[:5] for k, v in broken.items() if v},
        "data": str(data),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=90.0, help="how long the load runs")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--desks", type=int, default=2, help="desks per site")
    parser.add_argument("--kills", type=int, default=10, help="SIGKILLs during the load")
    parser.add_argument(
        "--nodes", type=int, choices=(1, 3), default=1, help="one hub, or a three-node cluster"
    )
    args = parser.parse_args()
    result = asyncio.run(campaign(args.seconds, args.seed, args.desks, args.kills, args.nodes))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}"
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))
    ok = not result["broken"] and not any(result["verify (0 = equal)"].values())
    ok = ok and not any(result["consumers pending"].values()) and not result["other parked events"]
    ok = ok and set(result["second copies refused (exit codes)"].values()) <= {1}
    ok = ok and (result["poison event parked by"] != [] or args.kills < 4)
    print("campaign: " + ("every check held" if ok else "BROKEN"))
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
