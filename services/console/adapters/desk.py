"""The desk's side of the published contract, as the console uses it: every command and query is
a NATS request on the subjects of shared/messaging/subjects.py, through the one client
(shared/messaging/client.py), with the site's own identity (`site-<site>`, docs/contract.md §22)."""

from __future__ import annotations

from typing import Any

from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout

from services.console.domain.refusal import Refused, new_key
from shared.contracts.dispatch_commands import DISPATCH_COMMANDS
from shared.contracts.escalation_commands import AcknowledgeNotification
from shared.contracts.intake_served import INTAKE_SERVED
from shared.messaging import subjects
from shared.messaging.client import Bus

# the contract's command of each command the console sends, by its class name: the form whose
# labels a refusal's fields are read with (domain/field_words.py FORMS)
FORMS = {
    **{("intake", command.verb): command.__name__ for command in INTAKE_SERVED},
    **{("dispatch", command.verb): command.__name__ for command in DISPATCH_COMMANDS},
    ("escalation", "ack"): AcknowledgeNotification.__name__,
}


class Desk:
    """Commands and queries of one process, for whichever site a signed-in person is at."""

    def __init__(self, bus: Bus, timeout: float = 5.0) -> None:
        self.bus = bus
        self.timeout = timeout

    async def _ask(
        self, subject: str, body: dict[str, Any], form: str | None = None
    ) -> dict[str, Any]:
        """The reply; a refusal raised as Refused, its fields read as `form` labels them."""
        try:
            reply = await self.bus.request(subject, body, timeout=self.timeout)
        except NoRespondersError:
            raise Refused("unavailable", "服务未启动 (no responders)") from None
        except (NatsTimeout, TimeoutError):
            raise Refused("unavailable", "服务响应超时") from None
        if not reply.get("ok"):
            raise Refused.of_reply(reply.get("error") or {}, form)
        return reply

    async def command(
        self,
        site: str,
        service: str,
        verb: str,
        staff_id: str,
        body: dict[str, Any],
        command_id: str | None = None,
    ) -> dict[str, Any]:
        """A command as `staff_id`, with a fresh command_id unless given (docs/contract.md §4)."""
        command_id = command_id or new_key()
        body = {**body, "staff_id": staff_id, "command_id": command_id}
        form = FORMS.get((service, verb))
        return await self._ask(subjects.command(site, service, verb), body, form)

    async def query(self, site: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self._ask(subjects.query(site, name), body)

    async def close(self) -> None:
        await self.bus.close()
