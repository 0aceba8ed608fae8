"""Fixtures for the dispatch unit tests: a DispatchApp on an in-memory store, fed with the events of
real intake tickets (translated by intake's Translator, delivered as DESK messages in sequence), and
a way to run work-order commands by verb with sensible default fields."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from services.dispatch.application import DispatchApp
from services.dispatch.domain import WorkOrder, order_id_for
from services.intake.domain import Ticket
from shared.contracts import dispatch_commands
from shared.eventstore.desk_app import CommandContext
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteDirectory
from shared.messaging.errors import DeskError
from shared.messaging.inbox import Delivery

SITE = "hbw"
T0 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)  # the parent conftest's clock start
WINDOW = {"start": T0 + timedelta(days=1), "end": T0 + timedelta(days=1, hours=2)}
LEAK = "顶层卧室屋面渗水, 下雨时滴水"

# verb -> default fields: every command on a work order (the contract names each one's verb)
DEFAULTS: dict[str, dict[str, Any]] = {
    "override": {"urgency": "urgent", "reason": "业主家中有老人"},
    "collect": {"collected_by": "ENG-LEAD"},
    "assign": {"technician": "T07"},
    "arrive": {},
    "reschedule": {"appointment": WINDOW},
    "quote": {"amount": Decimal("120.00"), "items": "更换角阀"},
    "accept_quote": {},
    "decline_quote": {"reason": "费用太高"},
    "complete": {"notes": "更换了角阀", "actual_item": "角阀"},
    "confirm_acceptance": {"note": "雨后不漏"},
    "sign_off": {"quality": 5, "attitude": 4},
    "return": {},
    "refer": {"reason": "属业主自行装修范围"},
    "rework": {"reason": "又漏了"},
    "cancel": {"reason": "重复派单"},
}
ORDER_COMMANDS = {
    cmd.verb: cmd
    for cmd in dispatch_commands.DISPATCH_COMMANDS
    if issubclass(cmd, dispatch_commands.OrderCommand)
}
TO_SITE = ("collect", "assign", "arrive")
# status -> the verbs that take a fresh repair order there (awaiting_acceptance: a leak order)
PATHS: dict[str, tuple[str, ...]] = {
    "issued": (),
    "collected": ("collect",),
    "assigned": ("collect", "assign"),
    "arrived": TO_SITE,
    "awaiting_acceptance": (*TO_SITE, "complete"),
    "completed": (*TO_SITE, "complete"),
    "signed_off": (*TO_SITE, "complete", "sign_off"),
    "returned": (*TO_SITE, "complete", "sign_off", "return"),
    "referred": ("refer",),
    "declined": ("collect", "quote", "decline_quote"),
    "cancelled": ("collect", "cancel"),
}


class Desk:
    """Intake's tickets delivered to dispatch, and dispatch's commands, for one test."""

    def __init__(self, app: DispatchApp, make_ticket: Any, translate: Any) -> None:
        self.app = app
        self._make_ticket = make_ticket
        self._translate = translate
        self.seq = 0  # the stream sequence of the last delivery
        self.delivered: list[Delivery] = []
        self._tickets = 0
        self.ctx = CommandContext(SITE, "corr-d")

    # -- DESK -> dispatch ----------------------------------------------------------------------

    def report(self, **fields: Any) -> Ticket:
        """Report a ticket at intake (a household plumbing repair unless told) and deliver it."""
        self._tickets += 1
        n = self._tickets
        ticket = self._make_ticket(
            **{"client_ref": f"desk-{n:04d}", "ticket_no": f"HBW-202611-{n:04d}"} | fields
        )
        self.deliver(ticket)
        return ticket

    def deliveries(self, ticket: Ticket) -> list[Delivery]:
        """The ticket's new events as DESK messages with the next sequence numbers."""
        out = []
        for event in ticket.collect_events():
            self.seq += 1
            out.append(Delivery(self.seq, self._translate(event)))
        return out

    def deliver(self, ticket: Ticket) -> list[Delivery]:
        deliveries = self.deliveries(ticket)
        self.app.apply(deliveries)
        self.delivered.extend(deliveries)
        return deliveries

    def order(self, ticket: Ticket, number: int = 1) -> WorkOrder | None:
        return self.app.get(order_id_for(ticket.id, number), WorkOrder)

    # -- commands ------------------------------------------------------------------------------

    def command(self, verb: str, order_id: UUID, **fields: Any) -> dispatch_commands.Command:
        body = {"staff_id": "E01", "work_order_id": order_id} | DEFAULTS[verb] | fields
        return ORDER_COMMANDS[verb].model_validate(body)

    def do(self, verb: str, order_id: UUID, ctx: CommandContext | None = None, **fields: Any):
        return self.app.execute(ctx or self.ctx, self.command(verb, order_id, **fields))

    def walk(self, order_id: UUID, *verbs: str) -> list[dict[str, Any]]:
        return [self.do(verb, order_id) for verb in verbs]

    def issue(self, ticket: Ticket, ctx: CommandContext | None = None, **fields: Any):
        """Issue a work order for the ticket by hand."""
        body = {"staff_id": "S017", "ticket_id": ticket.id, "reason": "需要清洁部处理"} | fields
        return self.app.execute(
            ctx or self.ctx, dispatch_commands.IssueWorkOrder.model_validate(body)
        )

    def order_in(self, status: str) -> UUID:
        """A fresh repair ticket's automatic order, driven to `status`."""
        content = LEAK if status == "awaiting_acceptance" else "厨房水管漏水"
        order_id = self.order(self.report(content=content)).id
        replies = self.walk(order_id, *PATHS[status])
        assert not replies or replies[-1]["status"] == status
        return order_id

    def recorded(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def rejected(self, run: Any, *args: Any, **fields: Any) -> DeskError:
        """Run a command that must fail, and check that it recorded nothing."""
        before = self.recorded()
        with pytest.raises(DeskError) as raised:
            run(*args, **fields)
        assert self.recorded() == before
        return raised.value


@pytest.fixture
def sites() -> SiteDirectory:
    return SiteDirectory(strict=False)


@pytest.fixture
def dispatch(clock: FixedClock, sites: SiteDirectory) -> DispatchApp:
    return DispatchApp({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock, sites)


@pytest.fixture
def desk(dispatch: DispatchApp, make_ticket: Any, translate: Any) -> Desk:
    return Desk(dispatch, make_ticket, translate)
