"""A small NATS request/reply client for the command line."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import nats
from nats.errors import NoRespondersError, NoServersError
from nats.errors import TimeoutError as NatsTimeout


class DeskUnavailable(Exception):
    """NATS or the service behind a subject could not be reached."""


async def _request(url: str, subject: str, body: dict[str, Any], timeout: float) -> dict[str, Any]:
    try:
        nc = await nats.connect(
            url, connect_timeout=2, max_reconnect_attempts=0, allow_reconnect=False
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
            raise DeskUnavailable(f"no answer on {subject} within {timeout:g}s") from exc
        return json.loads(msg.data)
    finally:
        await nc.close()


def request(url: str, subject: str, body: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
    """Send one request; a retry after a timeout reuses the same body (and so its command_id)."""
    attempts = 3
    for attempt in range(attempts):
        try:
            return asyncio.run(_request(url, subject, body, timeout))
        except DeskUnavailable:
            if attempt == attempts - 1 or "command_id" not in body:
                raise
    raise AssertionError("unreachable")
