"""Intake on NATS: commands on desk.cmd.<site>.intake.<verb>, ticket events relayed to DESK, and
the inbox that resolves a ticket when dispatch reports its work done."""

from __future__ import annotations

import inspect

from faststream.nats import NatsRouter

from services.intake.adapters.translate import Translator
from services.intake.application import IntakeApp
from shared.contracts import events
from shared.contracts.commands import INTAKE_COMMANDS
from shared.contracts.ops import AccessLog, AccessLogQuery
from shared.messaging import subjects
from shared.messaging.desk_service import DeskService
from shared.messaging.publishing import mask
from shared.messaging.relay import Translate

# verb -> (command model, reply model, description): each command names its verb and its reply
# and says what it does in its docstring (shared/contracts/commands.py)
COMMANDS = {
    cmd.verb: (cmd, cmd.reply, inspect.cleandoc(cmd.__doc__ or "")) for cmd in INTAKE_COMMANDS
}


class IntakeService(DeskService):
    name = "intake"
    counts_deadlines = True
    app_class = IntakeApp
    commands = COMMANDS
    publishes = events.INTAKE_EVENTS
    # a ticket's work orders, so that it is never resolved while one is open; the last sign-off
    # of its orders resolves it
    consumes = ("intake-work-done", subjects.event_pattern("workorder.>"))

    def translator(self) -> Translate:
        return Translator(self.app.reporters_of)

    def router(self) -> NatsRouter:
        router = super().router()
        subject = subjects.OPS_INTAKE_ACCESS_LOG
        # company=True: the site is in the body, not the subject; only ops may send desk.ops.*
        handle = self.handler(
            "ops_intake_access_log", AccessLogQuery, AccessLog, self._access_log, company=True
        )
        description = (AccessLogQuery.__doc__ or "").strip()
        title = subject.removeprefix("desk.")
        router.subscriber(subject, title=title, description=description)(handle)
        return router

    async def _access_log(self, _: str, query: AccessLogQuery, __: dict[str, str]) -> dict:
        """The refused looks of a site's month, their purpose masked like anything published."""
        assert self.app is not None
        found = await self.offload(self.app.refused_reveals, query.site, query.month)
        refused = [entry | {"purpose": mask(entry["purpose"]) or ""} for entry in found]
        return AccessLog(site=query.site, month=query.month, refused=refused).model_dump(
            mode="json"
        )
