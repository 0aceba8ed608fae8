"""How a ticket ends (docs/DOMAIN.md §6): the checks `Ticket` runs before it records a resolution,
a follow-up call (回访), a check on site or a cancellation. Pure functions of what the ticket
knows; each raises the refusal the desk is answered with."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from shared.kernel.refusals import RuleError, TransitionError
from shared.kernel.satisfaction import contradiction, has_customer, is_satisfied
from shared.kernel.vocabulary import CancelReason, Kind, Validity

NO_CUSTOMER = (
    "an inspection finding has no customer to call back: verify it on site instead "
    "(`verify`, R13.17)"
)


def check_resolvable(
    kind: str, validity: str | None, solution_accepted: bool, open_orders: Sequence[str]
) -> None:
    """Resolved once the work is done: never while a work order is open (R8.12, R8.8: a leak
    waits for the next rain and the owner's signature), nor a complaint unclassified (R6.2) or,
    valid, before the customer accepted its solution (R6.9)."""
    if kind == Kind.complaint and validity is None:
        raise TransitionError("resolve", "an unclassified complaint (R6.2)", "a ticket")
    if kind == Kind.complaint and validity == Validity.valid and not solution_accepted:
        status = "a complaint whose solution the customer has not accepted (R6.9)"
        raise TransitionError("resolve", status, "a ticket")
    no_open_orders("resolve", open_orders)


def follow_up_closes(
    channel: str, score: int, satisfied: bool | None, open_orders: Sequence[str]
) -> bool:
    """Whether the customer's answer closes the ticket (else it reopens): satisfied is derived
    from the score (shared/kernel/satisfaction.py, R11.1), and a `satisfied` the caller states
    must agree with it. Only a customer is called back (R13.17); a satisfied answer does not
    close a ticket with an order issued after its resolution (R8.12)."""
    if not has_customer(channel):
        raise RuleError("ticket_id", NO_CUSTOMER)
    if (problem := contradiction(satisfied, score)) is not None:
        raise RuleError("score", problem)
    closes = is_satisfied(score)
    if closes:
        no_open_orders("close", open_orders)
    return closes


def check_verifiable(channel: str) -> None:
    """Only an inspection finding is verified on site (R13.17); a customer's ticket is closed by
    the follow-up call instead (R11.1)."""
    if has_customer(channel):
        raise RuleError(
            "ticket_id",
            "only an inspection finding is verified on site; a customer's ticket is closed "
            "by the follow-up call (R11.1)",
        )


def cancel_reason(reason: str, duplicate_of: UUID | None, ticket_id: UUID) -> CancelReason:
    """Cancelling is for a duplicate, naming the ticket it repeats, or a withdrawal by the
    customer (docs/DOMAIN.md §6, G2); nothing else ends a ticket without its follow-up."""
    why = CancelReason(reason)
    if why is CancelReason.duplicate and duplicate_of is None:
        raise RuleError("duplicate_of", "a duplicate names the ticket it repeats")
    if why is not CancelReason.duplicate and duplicate_of is not None:
        raise RuleError("duplicate_of", "duplicate_of is only for reason duplicate")
    if duplicate_of == ticket_id:
        raise RuleError("duplicate_of", "a ticket cannot be a duplicate of itself")
    return why


def no_open_orders(action: str, open_orders: Sequence[str]) -> None:
    """A ticket is never resolved or closed while one of its work orders is open (R8.12)."""
    if open_orders:
        status = f"waiting for its open work orders {', '.join(open_orders)} (R8.12)"
        raise TransitionError(action, status, "a ticket")
