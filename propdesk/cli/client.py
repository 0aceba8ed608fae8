"""The bus as one command of the CLI uses it: shared/messaging/client.py's `Bus` (each subject sent
as the
identity it calls for, with that identity's credential or --creds), tried once, and every
failure to reach the desk told once, in words the operator can act on (`DeskUnavailable`)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from nats.aio.client import Client
from nats.errors import Error as NatsError
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout

from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.bus import MissingCredential
from shared.messaging.client import Bus, identity_for
from shared.messaging.identity import site_of

CONNECT_TIMEOUT = 5.0  # a command tells the operator, it does not wait for NATS to come back


class DeskUnavailable(Exception):
    """NATS or the service behind a subject could not be reached."""

    def __init__(self, message: str, *, retryable: bool = False, unanswered: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.unanswered = unanswered  # NATS answered: no service listens on the subject


class UnknownSite(DeskUnavailable):
    """--site names no site of the hub's directory: a usage error, not the bus away."""


class CommandBus(Bus):
    """A `Bus` for one command: the credential of --creds (PROPDESK_CREDS) or else each
    identity's own file under `data_dir`'s hub, one bounded try to connect, and nats-py's
    errors kept quiet (the command reports them, once). `connection` raises DeskUnavailable
    when NATS cannot be reached; `request` raises nats-py's errors, for a command that treats
    some of them as answers (no reporting service: replay installs the view itself); `ask`
    turns those into DeskUnavailable too."""

    def __init__(self, url: str, data_dir: Path | None = None, *, name: str = "propdesk-cli"):
        settings = Settings() if data_dir is None else Settings(data_dir=data_dir)
        self.refusals: list[str] = []  # the server's refusals of a subject, as it sent them
        # nats-py retries forever when max_reconnect_attempts is 0: allow one try, and bound it.
        super().__init__(
            url, settings, name=name, creds=settings.creds, connect_timeout=2,
            max_reconnect_attempts=1, allow_reconnect=False, error_cb=self._heard,
        )  # fmt: skip

    async def _heard(self, exc: Exception) -> None:
        """Errors are reported once, as DeskUnavailable, not logged by nats-py; the server's
        refusal of a subject comes this way (the request itself then only times out)."""
        if "permissions violation" in str(exc).lower():
            self.refusals.append(str(exc).removeprefix("nats: "))

    async def connection(self, identity: str) -> Client:
        try:
            return await asyncio.wait_for(super().connection(identity), timeout=CONNECT_TIMEOUT)
        except MissingCredential as exc:
            if unknown := self._unknown_site(identity):
                raise UnknownSite(unknown) from None
            raise DeskUnavailable(str(exc)) from None
        except NatsError as exc:  # NoServersError among them
            if "authorization" in str(exc).lower():
                raise DeskUnavailable(
                    f"NATS at {self.url} refused the credential ({exc}): it is not this hub's, "
                    "or it was revoked"
                ) from exc
            raise DeskUnavailable(f"cannot reach NATS at {self.url}") from exc
        except (OSError, TimeoutError) as exc:
            raise DeskUnavailable(f"cannot reach NATS at {self.url}") from exc

    def _unknown_site(self, identity: str) -> str | None:
        """A mistyped --site: no credential is missing, the site is (when the hub's site
        directory is here to tell; a site office has only its own credential)."""
        site = site_of(identity)
        try:
            sites = SiteDirectory.load(self.settings.sites_path).sites if site else None
        except (OSError, ValueError):
            return None
        if sites is None or site in sites:
            return None
        return (
            f"no site {site!r} in {self.settings.sites_path}: the sites are "
            f"{', '.join(sorted(sites))} (`propdesk sites list`)"
        )

    async def ask(
        self, subject: str, body: bytes | dict[str, Any], timeout: float = 5.0
    ) -> dict[str, Any]:
        """`request`, with no responder and no answer in time as DeskUnavailable (the latter
        retryable, unless the server refused the subject to this identity)."""
        try:
            return await self.request(subject, body, timeout)
        except NoRespondersError as exc:
            raise DeskUnavailable(f"no service answers on {subject}", unanswered=True) from exc
        except NatsTimeout as exc:
            if self.refusals:
                raise DeskUnavailable(
                    f"NATS refused {identity_for(subject)}: {self.refusals[0]}"
                ) from exc
            raise DeskUnavailable(
                f"no answer on {subject} within {timeout:g}s", retryable=True
            ) from exc


async def _request(url: str, subject: str, body: dict[str, Any], timeout: float) -> dict[str, Any]:
    async with CommandBus(url) as bus:
        return await bus.ask(subject, body, timeout)


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
