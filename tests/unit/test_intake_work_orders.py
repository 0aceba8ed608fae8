"""Intake follows each ticket's work orders on DESK, so that a ticket is never resolved or closed
while one is open (R8.12, R8.8); dispatch's sign-off of the last one still resolves it."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest

from shared.contracts import commands
from shared.contracts.replies import ErrorCode
from shared.eventstore.desk_app import CommandContext
from shared.messaging.errors import DeskError
from shared.messaging.inbox import Delivery
from tests.support.builders import History


class Orders:
    """Work-order events of one ticket, as dispatch would publish them, delivered to intake."""

    def __init__(self, app: Any, ticket_id: str, ticket_no: str) -> None:
        self.app, self.ticket_id, self.ticket_no = app, UUID(ticket_id), ticket_no
        self.h = History()
        self.count = 0
        self.seq = 0

    def _deliver(self) -> None:
        new = self.h.events[self.seq :]
        self.app.apply([Delivery(self.seq + i, e) for i, e in enumerate(new, start=1)])
        self.seq = len(self.h.events)

    def issue(self) -> UUID:
        self.count += 1
        order_id = uuid4()
        self.h.emit("hbw", order_id, "workorder.issued", self.app.clock.now(),
                    ticket_id=str(self.ticket_id), order_no=f"{self.ticket_no}-W{self.count}",
                    origin="automatic", department="engineering", category=None,
                    urgency="general", scope="household", unit=None, content="工单",
                    appointment=None, leak=False, rework_of=None, free_of_charge=False,
                    reason=None)  # fmt: skip
        self._deliver()
        return order_id

    def signed_off(self, order_id: UUID, *, done: bool) -> None:
        self.h.emit("hbw", order_id, "workorder.signed_off", self.app.clock.now(),
                    ticket_id=str(self.ticket_id), quality=5, attitude=5, comment=None,
                    ticket_done=done)  # fmt: skip
        self._deliver()

    def cancelled(self, order_id: UUID) -> None:
        self.h.emit("hbw", order_id, "workorder.cancelled", self.app.clock.now(),
                    reason="重复派单", ticket_cancelled=False)  # fmt: skip
        self._deliver()


@pytest.fixture
def repair(app, ctx, report_cmd) -> tuple[dict[str, Any], Orders]:
    reply = app.execute(ctx, report_cmd())
    return reply, Orders(app, reply["ticket_id"], reply["ticket_no"])


def resolve(app, ctx: CommandContext, ticket_id: str) -> dict[str, Any]:
    return app.execute(
        ctx, commands.ResolveTicket(staff_id="S1", ticket_id=ticket_id, resolution="已修好")
    )


def test_a_ticket_is_not_resolved_while_a_work_order_is_open_R8_12(app, ctx, repair):
    reply, orders = repair
    orders.issue()
    with pytest.raises(DeskError) as refused:
        resolve(app, ctx, reply["ticket_id"])
    assert refused.value.code is ErrorCode.conflict
    assert f"{reply['ticket_no']}-W1" in refused.value.message
    assert app.ticket(UUID(reply["ticket_id"])).status == "received"


def test_a_cancelled_order_no_longer_holds_the_ticket_open_R8_12(app, ctx, repair):
    reply, orders = repair
    orders.cancelled(orders.issue())
    assert resolve(app, ctx, reply["ticket_id"])["status"] == "resolved"


def test_the_last_sign_off_resolves_the_ticket_when_the_other_order_was_cancelled_R8_12(
    app, repair
):
    reply, orders = repair
    first, second = orders.issue(), orders.issue()
    orders.cancelled(second)
    orders.signed_off(first, done=True)
    assert app.ticket(UUID(reply["ticket_id"])).status == "resolved"


def test_a_satisfied_follow_up_does_not_close_a_ticket_with_an_order_issued_since_R8_12(
    app, ctx, repair
):
    reply, orders = repair
    orders.signed_off(orders.issue(), done=True)
    orders.issue()  # a further order after the resolution
    follow_up = commands.RecordFollowUp(
        staff_id="S1", ticket_id=reply["ticket_id"], satisfied=True, score=5
    )
    with pytest.raises(DeskError) as refused:
        app.execute(ctx, follow_up)
    assert refused.value.code is ErrorCode.conflict and "-W2" in refused.value.message


def test_an_order_intake_never_saw_issued_does_not_hold_the_ticket(app, ctx, repair):
    """Orders issued before intake followed them (2026-12) are not known and hold nothing."""
    reply, orders = repair
    orders.cancelled(uuid4())
    assert resolve(app, ctx, reply["ticket_id"])["status"] == "resolved"
