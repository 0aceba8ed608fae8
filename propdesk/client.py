"""A small NATS request/reply client for the command line."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import nats
from nats.errors import NoRespondersError, NoServersError
from nats.errors import TimeoutError as NatsTimeout


class DeskUnavailable(Exception):
    """NATS or the service behind a subject could not be reached."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


async def _quiet(_: Exception) -> None:
    """Connection errors are reported once, as DeskUnavailable, not logged by nats-py."""


async def _request(url: str, subject: str, body: dict[str, Any], timeout: float) -> dict[str, Any]:
    try:
        # nats-py retries forever when max_reconnect_attempts is 0: allow one try, and bound it.
        nc = await asyncio.wait_for(
            nats.connect(
                url,
                connect_timeout=2,
                max_reconnect_attempts=1,
                allow_reconnect=False,
                error_cb=_quiet,
            ),
            timeout=5,
        )
    except (NoServersError, OSError, TimeoutError) as exc:
        raise DeskUnavailable(f"cannot reach NATS at {url}") from exc
    try:
        payload = json.dumps(body, ensure_ascii=False).encode()
        try:
            msg = await nc.request(subject, payload, timeout=timeout)
        except NoRespondersError as exc:
            raise DeskUnavailable(f"no service answers on {subject}") from exc
        except NatsTimeout as exc:
            raise DeskUnavailable(
                f"no answer on {subject} within {timeout:g}s", retryable=True
            ) from exc
        return json.loads(msg.data)
    finally:
        await nc.close()


def request(url: str, subject: str, body: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
    """Send one request. A command (it carries a command_id, so a repeat records nothing) is
    retried with the same body after a timeout or an `unavailable` reply."""
    retry = "command_id" in body
    attempts = 3
    for attempt in range(1, attempts + 1):
        try:
            reply = asyncio.run(_request(url, subject, body, timeout))
        except DeskUnavailable as exc:
            if not (retry and exc.retryable) or attempt == attempts:
                raise
            continue
        unavailable = (reply.get("error") or {}).get("code") == "unavailable"
        if not (retry and unavailable) or attempt == attempts:
            return reply
        time.sleep(0.5 * attempt)
    raise AssertionError("unreachable")
