"""Dispatch application: work orders by command, and by policy from the tickets on DESK."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from enum import Enum
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel

from services.dispatch.domain import (
    LIFECYCLE,
    TicketFile,
    WorkOrder,
)
from shared.contracts.dispatch_commands import (
    DISPATCH_COMMANDS,
    AssignTechnician,
    CancelOrder,
    CollectOrder,
    IssueWorkOrder,
    OrderCommand,
    ReworkOrder,
    SignOff,
    WorkOrderReply,
)
from shared.contracts.envelope import Envelope
from shared.contracts.events import (
    TicketCancelledEvent,
    TicketClassifiedEvent,
    TicketClosedEvent,
    TicketReopenedEvent,
    TicketReportedEvent,
)
from shared.eventstore.desk_app import CommandContext, DeskApplication, Handler, Reaction
from shared.eventstore.ticket_numbers import TicketNumber
from shared.kernel.staff import PERMISSIONS
from shared.messaging.errors import as_reply, conflict, not_found

SYSTEM_ACTOR = "dispatch"
# the commands that take one step of LIFECYCLE
STEPS = tuple(cmd for cmd in DISPATCH_COMMANDS if cmd.verb in LIFECYCLE)


class DispatchApp(DeskApplication):
    name = "dispatch"

    # -- policy: what dispatch does when tickets change (consumed from DESK) ---------------

    def react(self, event: Envelope) -> list[Any]:
        if self.sites.get(event.site) is None:
            return []  # a site this deployment does not serve: move on, never block the stream
        return super().react(event)

    def reaction_lookups(self, events: Sequence[Envelope]) -> list[UUID]:
        """A reported ticket's file and its number's entry: new, as a rule."""
        reported = [e for e in events if isinstance(e, TicketReportedEvent)]
        return [
            *(e.aggregate_id for e in reported),
            *(TicketNumber.id_for(e.site, e.data.ticket_no) for e in reported),
        ]

    def _ticket_reported(self, event: TicketReportedEvent) -> list[Any]:
        if self.get(event.aggregate_id, TicketFile) is not None:
            return []
        data = event.data
        file = TicketFile.note(
            ticket_id=event.aggregate_id,
            at=self.clock.now(),
            site=event.site,
            ticket_no=data.ticket_no,
            kind=data.kind.value,
            category=data.category,
            unit=data.unit,
            content=data.content,
            appointment=data.appointment.model_dump(mode="json") if data.appointment else None,
        )
        number = self.note_number(event.site, data.ticket_no, event.aggregate_id)
        return [*number, *self._repair_order(file, event)]

    def _ticket_classified(self, event: TicketClassifiedEvent) -> list[Any]:
        file = self.get(event.aggregate_id, TicketFile)
        if file is None:
            return []
        file.reclassify(self.clock.now(), kind=event.data.kind.value, category=event.data.category)
        return self._repair_order(file, event)

    def _ticket_ended(self, event: TicketClosedEvent | TicketCancelledEvent) -> list[Any]:
        file = self.get(event.aggregate_id, TicketFile)
        if file is None:
            return []
        file.end(self.clock.now(), status=event.event_type.removeprefix("ticket."))
        return self._repair_order(file, event)

    def _ticket_cancelled(self, event: TicketCancelledEvent) -> list[Any]:
        """A cancelled ticket (a duplicate, or withdrawn by the customer) cancels its open orders,
        in the name of whoever cancelled it: an order never outlives its ticket (R8.12, G2)."""
        changed = self._ticket_ended(event)
        file = self.get(event.aggregate_id, TicketFile)
        if file is None:
            return changed
        meta = {
            "actor": event.actor,
            "correlation_id": event.correlation_id,
            "causation_id": str(event.event_id),
        }
        reason = f"ticket {file.ticket_no} cancelled ({event.data.reason.value})"
        for order_id in file.orders:
            order = self.get(order_id, WorkOrder)
            if order is not None and not order.finished:
                order.act("cancel", self.clock.now(), meta, reason=reason, ticket_cancelled=True)
                changed.append(order)
        return changed

    def _ticket_reopened(self, event: TicketReopenedEvent) -> list[Any]:
        file = self.get(event.aggregate_id, TicketFile)
        if file is None:
            return []
        file.reopen(self.clock.now())
        return self._repair_order(file, event)

    def _repair_order(self, file: TicketFile, event: Envelope) -> list[Any]:
        """The changed file, and the work order every open repair gets at once (R7.6, R7.12)."""
        if file.kind == "repair" and not file.orders and file.ended is None:
            meta = {
                "actor": SYSTEM_ACTOR,
                "correlation_id": event.correlation_id,
                "causation_id": str(event.event_id),
            }
            return [file, self._issue(file, meta, origin="automatic", reason=None)]
        return [file]

    # -- commands ---------------------------------------------------------------------------

    def _issue_by_hand(self, ctx: CommandContext, cmd: IssueWorkOrder) -> tuple[BaseModel, list]:
        file = self.get(self.ticket_id_of(ctx.site, cmd.ticket_id), TicketFile)
        if file is None or file.site != ctx.site:
            raise not_found(f"ticket {cmd.ticket_id}")
        if file.ended is not None:
            raise conflict(f"cannot issue a work order for a ticket that is {file.ended}")
        order = self._issue(
            file,
            ctx.meta(cmd),
            origin="manual",
            reason=cmd.reason,
            department=cmd.department,
            urgency=cmd.urgency.value if cmd.urgency else None,
            scope=cmd.scope.value if cmd.scope else None,
            appointment=cmd.appointment.model_dump(mode="json") if cmd.appointment else None,
            non_standard=cmd.non_standard,
        )
        return _reply(order), [file, order]

    def _rework(self, ctx: CommandContext, cmd: ReworkOrder) -> tuple[BaseModel, list]:
        original = self._order_of_site(ctx.site, cmd.work_order_id)
        warranty = timedelta(days=self.site_config(ctx.site).warranty_days)
        with as_reply():
            free = original.rework_is_free(self.clock.now(), warranty)  # R8.9
        file = self.get(original.ticket_id, TicketFile)
        assert file is not None
        if file.ended is not None:
            raise conflict(f"cannot rework an order of a ticket that is {file.ended}; reopen it")
        order = self._issue(
            file,
            ctx.meta(cmd),
            origin="rework",
            reason=cmd.reason,
            department=original.department,
            urgency=original.urgency,
            scope=original.scope,
            rework_of=original.id,
            free_of_charge=free,
        )
        return _reply(order), [file, order]

    def _step(self, ctx: CommandContext, cmd: OrderCommand) -> tuple[BaseModel, list]:
        """One step of the work order's LIFECYCLE (services/dispatch/domain/work_order.py)."""
        order = self._order_of_site(ctx.site, cmd.work_order_id)
        return self._act(ctx, cmd, order, **_event_data(cmd))

    def _collect(self, ctx: CommandContext, cmd: CollectOrder) -> tuple[BaseModel, list]:
        """The department signs for the order (R7.6): whoever signs is on the site's list."""
        order = self._order_of_site(ctx.site, cmd.work_order_id)
        self.listed(ctx.site, "collected_by", cmd.collected_by, noun="collected_by")
        return self._act(ctx, cmd, order, **_event_data(cmd))

    def _assign(self, ctx: CommandContext, cmd: AssignTechnician) -> tuple[BaseModel, list]:
        """Assign the technician (R8.4); one already assigned, who has not arrived, is replaced
        only by a department supervisor or above (taken ill, or the wrong one sent)."""
        order = self._order_of_site(ctx.site, cmd.work_order_id)
        self.listed(ctx.site, "technician", cmd.technician, noun="technician")
        if order.status == "assigned":
            self.require(ctx, cmd, PERMISSIONS["dispatch.reassign"])
        return self._act(ctx, cmd, order, **_event_data(cmd))

    def _cancel(self, ctx: CommandContext, cmd: CancelOrder) -> tuple[BaseModel, list]:
        """A supervisor cancels an order no longer wanted (R1.7)."""
        self.require(ctx, cmd, PERMISSIONS["dispatch.cancel"])
        return self._step(ctx, cmd)

    def _sign_off(self, ctx: CommandContext, cmd: SignOff) -> tuple[BaseModel, list]:
        order = self._order_of_site(ctx.site, cmd.work_order_id)
        done = self._others_finished(order)
        return self._act(ctx, cmd, order, **_event_data(cmd), ticket_done=done)

    def _act(
        self,
        ctx: CommandContext,
        cmd: OrderCommand,
        order: WorkOrder,
        **data: Any,
    ) -> tuple[BaseModel, list]:
        with as_reply():
            order.act(cmd.verb, self.clock.now(), ctx.meta(cmd), **data)
        return _reply(order), [order]

    def _others_finished(self, order: WorkOrder) -> bool:
        """Signing off the last unfinished order of a ticket finishes the ticket's work: the
        event says so, and intake resolves the ticket (the follow-up call is then due)."""
        file = self.get(order.ticket_id, TicketFile)
        assert file is not None
        others = [self.get(i, WorkOrder) for i in file.orders if i != order.id]
        return all(o is not None and o.finished for o in others)

    # -- helpers ----------------------------------------------------------------------------

    def _issue(self, file: TicketFile, meta: dict[str, Any], **given: Any) -> WorkOrder:
        routing = self.site_config(file.site).routing
        return file.issue_order(self.clock.now(), routing, meta, **given)

    def _order_of_site(self, site: str, order_id: UUID) -> WorkOrder:
        order = self.get(order_id, WorkOrder)
        if order is None or order.site != site:
            raise not_found(f"work order {order_id}")
        return order

    # -- the tables: what each command and each event on DESK is handled by --------------------

    handlers: ClassVar[dict[type, Handler]] = {
        IssueWorkOrder: _issue_by_hand,
        ReworkOrder: _rework,
        **dict.fromkeys(STEPS, _step),
        CollectOrder: _collect,  # a step too, signed for by someone on the list
        AssignTechnician: _assign,  # a step too; replacing a technician is a supervisor's
        SignOff: _sign_off,  # a step too, which also tells whether the ticket's work is done
        CancelOrder: _cancel,  # a step too, for a supervisor
    }
    reactions: ClassVar[dict[type[Envelope], Reaction]] = {
        TicketReportedEvent: _ticket_reported,
        TicketClassifiedEvent: _ticket_classified,
        TicketClosedEvent: _ticket_ended,
        TicketCancelledEvent: _ticket_cancelled,
        TicketReopenedEvent: _ticket_reopened,
    }


def _event_data(cmd: OrderCommand) -> dict[str, Any]:
    """A step's fields as its event records them: an appointment as JSON, a choice as its value."""
    data = dict(cmd)
    for key in ("command_id", "staff_id", "work_order_id"):
        del data[key]
    return {
        key: value.model_dump(mode="json") if isinstance(value, BaseModel) else _plain(value)
        for key, value in data.items()
    }


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _reply(order: WorkOrder) -> WorkOrderReply:
    return WorkOrderReply(
        work_order_id=str(order.id),
        order_no=order.order_no,
        ticket_id=str(order.ticket_id),
        status=order.status,
        department=order.department,
        urgency=order.urgency,
        scope=order.scope,
    )
