"""Every request subject the services serve, with the model of its body, read off their routers
(as propdesk/trust.py reads their permissions): a subject added to a router is covered by the
tests that use this list without anyone listing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel

from propdesk.runtime import SERVICES
from shared.kernel.clock import SimulatedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Served:
    service: str
    address: str  # as the router declares it: desk.cmd.*.intake.report
    model: type[BaseModel]

    def subject(self, site: str) -> str:
        return self.address.replace("*", site)

    @property
    def is_command(self) -> bool:
        return self.address.startswith("desk.cmd.")


def served_requests() -> list[Served]:
    # A simulated clock, so that desk.sim.clock.set (served only in that mode) is listed too.
    clock = SimulatedClock(EPOCH)
    served = []
    for name, cls in SERVICES.items():
        router = cls(Settings(), clock, SiteDirectory(strict=False)).router()
        for subscriber in router.subscribers:
            # the handler's annotation documents its body in AsyncAPI (shared/messaging/service.py)
            [call] = subscriber.calls
            model = call.handler._original_call.__annotations__["body"]
            served.append(Served(name, subscriber.subject.broker_address, model))
    # in one order whatever the router's (parallel test workers must collect the same tests)
    return sorted(served, key=lambda s: (s.service, s.address))
