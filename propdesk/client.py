"""A small NATS request/reply client for the command line."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from nats.errors import Error as NatsError
from nats.errors import NoRespondersError, NoServersError
from nats.errors import TimeoutError as NatsTimeout

from shared.bus import MissingCredential
from shared.client import Bus, identity_for
from shared.settings import Settings


class DeskUnavailable(Exception):
    """NATS or the service behind a subject could not be reached."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


async def _request(url: str, subject: str, body: dict[str, Any], timeout: float) -> dict[str, Any]:
    settings = Settings()
    refusals: list[str] = []

    async def _quiet(exc: Exception) -> None:
        """Errors are reported once, as DeskUnavailable, not logged by nats-py; the server's
        refusal of a subject comes this way (the request itself then only times out)."""
        if "permissions violation" in str(exc).lower():
            refusals.append(str(exc).removeprefix("nats: "))

    # nats-py retries forever when max_reconnect_attempts is 0: allow one try, and bound it.
    bus = Bus(
        url,
        settings,
        name="propdesk-cli",
        creds=settings.creds,
        connect_timeout=2,
        max_reconnect_attempts=1,
        allow_reconnect=False,
        error_cb=_quiet,
    )
    try:
        try:
            nc = await asyncio.wait_for(bus.connection(identity_for(subject)), timeout=5)
        except MissingCredential as exc:
            raise DeskUnavailable(str(exc)) from None
        except NatsError as exc:
            if "authorization" in str(exc).lower():
                raise DeskUnavailable(
                    f"NATS at {url} refused the credential ({exc}): it is not this hub's, or "
                    "it was revoked"
                ) from exc
            raise DeskUnavailable(f"cannot reach NATS at {url}") from exc
        except (NoServersError, OSError, TimeoutError) as exc:
            raise DeskUnavailable(f"cannot reach NATS at {url}") from exc
        payload = json.dumps(body, ensure_ascii=False).encode()
        try:
            msg = await nc.request(subject, payload, timeout=timeout)
        except NoRespondersError as exc:
            raise DeskUnavailable(f"no service answers on {subject}") from exc
        except NatsTimeout as exc:
            if refusals:
                raise DeskUnavailable(
                    f"NATS refused {identity_for(subject)}: {refusals[0]}"
                ) from exc
            raise DeskUnavailable(
                f"no answer on {subject} within {timeout:g}s", retryable=True
            ) from exc
        return json.loads(msg.data)
    finally:
        await bus.close()


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
