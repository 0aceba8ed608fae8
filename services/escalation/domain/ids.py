"""Deterministic ids: a ticket's board, a work order's link, a notification; and who decides."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import NAMESPACE_URL, UUID, uuid5

BOARD_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/escalation/board")
ORDER_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/escalation/order")
NOTICE_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/escalation/notice")
SYSTEM = "escalation"  # the actor of decisions the service takes on its own


def board_id_for(ticket_id: UUID) -> UUID:
    return uuid5(BOARD_NS, str(ticket_id))


def order_link_id_for(order_id: UUID) -> UUID:
    return uuid5(ORDER_NS, str(order_id))


def notice_id_for(board_id: UUID, subject: str) -> UUID:
    return uuid5(NOTICE_NS, f"{board_id}/{subject}")


@dataclass(frozen=True, slots=True)
class Cause:
    """Who or what caused a change: a DESK event, a person's command, or the service itself."""

    actor: str
    correlation_id: str
    causation_id: str | None


class ClockError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
