"""`propdesk workorder …`: work orders (派工单) from issue to signature, for the desk and the
departments. Orders are named by their number (HBW-202611-0001-W1) or id."""

from __future__ import annotations

import inspect
from typing import Annotated, Any

import typer

from propdesk.cli import render, replies
from propdesk.cli.common import (
    AsJson,
    NatsUrl,
    Site,
    Staff,
    call_desk,
    out,
    reference,
    resolve_id,
    send_command,
    site_zone,
    ticket_ref,
)
from propdesk.cli.help import ISO_TIME
from shared.contracts import dispatch_commands
from shared.contracts.dispatch_commands import OrderCommand
from shared.messaging import subjects

workorder_app = typer.Typer(no_args_is_help=True, help="Work orders (派工单) of the departments.")

Order = Annotated[str, typer.Argument(help="Work order number (HBW-202611-0001-W1) or id")]
Text = Annotated[str, typer.Option()]


def _order(verb: str, order: str, site: str, staff: str, url: str | None, as_json: bool,
           **fields: Any) -> None:  # fmt: skip
    if "start" in fields:
        fields["appointment"] = {"start": fields.pop("start"), "end": fields.pop("end")}
    body = {"work_order_id": resolve_id(url, site, order, "work_order"), "staff_id": staff}
    reply = send_command(url, site, verb, body | fields, as_json, service="dispatch")
    if not as_json:
        replies.print_order_reply(out, verb, reply)


@workorder_app.command("show")
def show(order: Order, site: Site, nats_url: NatsUrl = None, as_json: AsJson = False) -> None:
    """A work order's state and its history."""
    key = reference(order, "work_order_id", "order_no")
    reply = call_desk(nats_url, subjects.query(site, "workorder.get"), key, as_json)
    if not as_json:
        render.print_order(out, reply["work_order"], site_zone(site))


@workorder_app.command(dispatch_commands.IssueWorkOrder.verb)
def issue(
    ticket: Annotated[str, typer.Argument(help="Ticket number or id")],
    site: Site,
    staff: Staff,
    reason: Annotated[str, typer.Option(help="Why a department is needed")],
    department: Annotated[str | None, typer.Option(help="Default: by the category")] = None,
    urgency: Annotated[str | None, typer.Option(help="urgent or general")] = None,
    scope: Annotated[str | None, typer.Option(help="household or public")] = None,
    non_standard: Annotated[
        bool,
        typer.Option("--non-standard", help="Not in the fee catalogue: assessed in 15 min (R7.14)"),
    ] = False,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Issue a work order by hand (complaint, help request, inspection finding)."""
    body = {
        "ticket_id": ticket_ref(ticket),
        "staff_id": staff,
        "reason": reason,
        "department": department,
        "urgency": urgency,
        "scope": scope,
        "non_standard": non_standard,
    }
    reply = send_command(
        nats_url, site, dispatch_commands.IssueWorkOrder.verb, body, as_json, service="dispatch"
    )
    if not as_json:
        replies.print_order_reply(out, dispatch_commands.IssueWorkOrder.verb, reply)


def _step(cmd: type[OrderCommand], defaults: dict[str, Any] | None = None, **options: Any) -> None:
    """Register `propdesk workorder <verb>` taking the order, site, staff and `options`; its help
    is the command's own description."""
    verb = cmd.verb

    def command(order: str, site: str, staff: str, nats_url: str | None = None,
                as_json: bool = False, **fields: Any) -> None:  # fmt: skip
        _order(verb, order, site, staff, nats_url, as_json, **fields)

    params = [
        ("order", Order),
        ("site", Site),
        ("staff", Staff),
        *options.items(),
        ("nats_url", NatsUrl),
        ("as_json", AsJson),
    ]
    command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=annotation,
                default={**_DEFAULTS, **(defaults or {})}.get(name, inspect.Parameter.empty),
            )
            for name, annotation in params
        ]
    )
    command.__doc__ = inspect.cleandoc(cmd.__doc__ or "")
    workorder_app.command(verb.replace("_", "-"))(command)


_DEFAULTS: dict[str, Any] = {"nats_url": None, "as_json": False, "fee": "0", "comment": None,
                             "urgency": None, "scope": None}  # fmt: skip

_step(
    dispatch_commands.CollectOrder,
    collected_by=Annotated[str, typer.Option(help="Staff id of who signed for it")],
)
_step(dispatch_commands.AssignTechnician, technician=Text)
_step(dispatch_commands.RecordArrival)
_step(
    dispatch_commands.Reschedule,
    start=Annotated[str, typer.Option(metavar=ISO_TIME, help="ISO 8601 with offset")],
    end=Annotated[str, typer.Option(metavar=ISO_TIME, help="ISO 8601 with offset")],
    reason=Annotated[str, typer.Option(help="nobody_home, customer_request …")],
    defaults={"reason": "nobody_home"},
)
_step(
    dispatch_commands.GiveQuote,
    amount=Annotated[str, typer.Option(help="Yuan, e.g. 80.00")],
    items=Text,
)
_step(dispatch_commands.AcceptQuote)
_step(dispatch_commands.DeclineQuote, reason=Text)
_step(
    dispatch_commands.CompleteOrder,
    notes=Text,
    actual_item=Text,
    fee=Annotated[str, typer.Option(help="The accepted quote, or 0")],
)
_step(dispatch_commands.ConfirmAcceptance, note=Text)
_step(
    dispatch_commands.SignOff,
    quality=Annotated[int, typer.Option(min=1, max=5)],
    attitude=Annotated[int, typer.Option(min=1, max=5)],
    comment=Annotated[str | None, typer.Option()],
)
_step(dispatch_commands.ReturnOrder)
_step(dispatch_commands.ReferOrder, reason=Text)
_step(dispatch_commands.ReworkOrder, reason=Text)
_step(dispatch_commands.CancelOrder, reason=Text)
_step(
    dispatch_commands.OverrideClassification,
    urgency=Annotated[str | None, typer.Option(help="urgent or general")],
    scope=Annotated[str | None, typer.Option(help="household or public")],
    reason=Text,
)
