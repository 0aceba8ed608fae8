"""One instance of each service on a bus.

Two copies of a service both answer every command and both follow DESK with the same durable
consumers (a consumer re-created by the second moves the first's position), so a second copy
refuses to start. On one data directory its store's lock says so (shared/eventstore/store.py);
across data
directories and hosts, the bus does: every running instance answers `desk.ops.<service>.instance`
with who it is, and a starting one asks there before it answers any command or opens any
consumer:

- no responders: nobody runs it. It subscribes, then asks again, listening a moment past its own
  answer: two copies that started at the same moment hear each other and both refuse, rather
  than both run;
- an answer: it runs elsewhere, here is where: refused;
- silence: something subscribes and does not answer (a hung instance, or a hub configured by an
  older PropDesk that does not let the service ask: `propdesk nats reload`): refused.

An instance cut off from the bus at the moment another starts is not heard (a lease with a
time-out would be: at the price of every restart after a crash waiting it out).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout

from shared.messaging import subjects

ASK_TIMEOUT = 2.0  # seconds: a running instance answers at once
RACE_WINDOW = 0.05  # seconds to listen past its own answer for one that started with it


def instance_subject(service: str) -> str:
    return subjects.ops(service, "instance")


class AlreadyRunning(RuntimeError):
    """Another instance of the service runs on this bus."""


@dataclass(frozen=True)
class Instance:
    """Who runs a service: what `desk.ops.<service>.instance` answers."""

    service: str
    instance: str
    host: str
    pid: int
    data_dir: str
    durables: tuple[str, ...]

    @classmethod
    def me(cls, service: str, data_dir: Path, durables: list[str]) -> Instance:
        return cls(
            service, uuid.uuid4().hex, socket.gethostname(), os.getpid(),
            str(data_dir.resolve()), tuple(durables),
        )  # fmt: skip

    def json(self) -> bytes:
        return json.dumps(asdict(self)).encode()


async def claim(nc: Client, me: Instance) -> Subscription:
    """Take the service's name on the bus, or raise AlreadyRunning; the claim lasts as long as
    the returned subscription (the connection)."""
    subject = instance_subject(me.service)
    try:
        reply = await nc.request(subject, b"", timeout=ASK_TIMEOUT)
    except NoRespondersError:
        pass
    except NatsTimeout:
        raise AlreadyRunning(
            f"something subscribes to {subject} but did not answer within {ASK_TIMEOUT:g} s: "
            f"another {me.service} that hangs, or a hub configured by an older PropDesk "
            "(propdesk nats reload)"
        ) from None
    else:
        raise AlreadyRunning(_refusal(me, [_other(reply.data)]))

    async def answer(msg: Msg) -> None:
        if msg.reply:
            await msg.respond(me.json())

    subscription = await nc.subscribe(subject, cb=answer)
    await nc.flush()
    others = await _others(nc, subject, me)
    if others:
        await subscription.unsubscribe()
        raise AlreadyRunning(_refusal(me, others))
    return subscription


async def _others(nc: Client, subject: str, me: Instance) -> list[str]:
    """Ask every instance subscribed now, until this one's own answer and a moment more."""
    inbox = nc.new_inbox()
    answers: asyncio.Queue[bytes] = asyncio.Queue()

    async def heard(msg: Msg) -> None:
        answers.put_nowait(msg.data)

    listening = await nc.subscribe(inbox, cb=heard)
    try:
        await nc.publish(subject, b"", reply=inbox)
        others: list[str] = []
        loop = asyncio.get_running_loop()
        until = loop.time() + ASK_TIMEOUT
        while (left := until - loop.time()) > 0:
            try:
                data = await asyncio.wait_for(answers.get(), left)
            except TimeoutError:
                break
            if json.loads(data).get("instance") == me.instance:
                until = min(until, loop.time() + RACE_WINDOW)
            else:
                others.append(_other(data))
        return others
    finally:
        await listening.unsubscribe()


def _other(data: bytes) -> str:
    try:
        found = json.loads(data)
        return f"pid {found['pid']} on {found['host']}, data directory {found['data_dir']}"
    except (ValueError, KeyError, TypeError):
        return "an instance that does not say where"


def _refusal(me: Instance, others: list[str]) -> str:
    return (
        f"{me.service} already runs on this bus ({'; '.join(others)}): one {me.service} per "
        "bus; stop that one first"
    )
