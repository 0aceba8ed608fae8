"""The rules a work order's steps check (docs/DOMAIN.md §4): each may refuse the step, with a
TransitionError (not from this state: a conflict) or a RuleError (these fields break a rule:
invalid), and may complete the data the step's event records. No I/O."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from shared.kernel.refusals import RuleError, TransitionError

if TYPE_CHECKING:
    from services.dispatch.domain.work_order import WorkOrder

A_WORK_ORDER = "a work order"  # what a refused step names
REFERRAL_DEPARTMENT = "property_business"  # 管业部: out of the property repair scope (R7.11)


Rule = Callable[["WorkOrder", dict[str, Any]], None]


def override(order: WorkOrder, data: dict[str, Any]) -> None:
    """What the override does not name stays as it was (R7.1 urgency, R4.3 scope)."""
    data["urgency"] = data.get("urgency") or order.urgency
    data["scope"] = data.get("scope") or order.scope


def quote(order: WorkOrder, data: dict[str, Any]) -> None:
    if order.free_of_charge:
        raise RuleError("amount", "rework under warranty is free: nothing to quote")
    if order.quote is not None and order.quote["state"] in ("pending", "accepted"):
        raise TransitionError("quote again", f"quoted ({order.quote['state']})", A_WORK_ORDER)
    if data["amount"] <= 0:
        raise RuleError("amount", "a quote needs a positive amount")


def answer(order: WorkOrder, data: dict[str, Any]) -> dict[str, Any]:
    if order.quote is None or order.quote["state"] != "pending":
        raise TransitionError("answer a quote for", "without a pending quote", A_WORK_ORDER)
    return order.quote


def accept(order: WorkOrder, data: dict[str, Any]) -> None:
    data["amount"] = answer(order, data)["amount"]


def complete(order: WorkOrder, data: dict[str, Any]) -> None:
    quote = order.quote or {}
    if quote.get("state") == "pending":
        raise TransitionError(
            "complete", "waiting for the customer to accept the quote", A_WORK_ORDER
        )
    fee = data["fee"]
    if order.free_of_charge and fee:
        raise RuleError("fee", "rework under warranty is free (R8.9)")
    if fee and quote.get("state") != "accepted":
        raise RuleError("fee", "a fee needs a quote accepted before the work (R8.5)")
    if quote.get("state") == "accepted" and fee != quote["amount"]:
        raise RuleError("fee", f"the fee must be the accepted quote of {quote['amount']}")
    data["awaiting_acceptance"] = order.leak


def sign_off(order: WorkOrder, data: dict[str, Any]) -> None:
    data["ticket_id"] = order.ticket_id


def refer(order: WorkOrder, data: dict[str, Any]) -> None:
    data["to_department"] = REFERRAL_DEPARTMENT


def cancel(order: WorkOrder, data: dict[str, Any]) -> None:
    data.setdefault("ticket_cancelled", False)  # a supervisor's command; dispatch's reaction says
