"""Dispatch's domain (docs/DOMAIN.md §4, R7.1–R8.16), no I/O: the work order and its lifecycle
table (`work_order`), the rules its steps check (`rules`), dispatch's file of each ticket and the
numbering of its orders (`ticket_file`), and the routing and leak policies (`policy`)."""

from services.dispatch.domain.rules import REFERRAL_DEPARTMENT, RuleError, TransitionError
from services.dispatch.domain.ticket_file import TicketFile, order_id_for
from services.dispatch.domain.work_order import FINISHED, LIFECYCLE, Step, WorkOrder

__all__ = [
    "FINISHED",
    "LIFECYCLE",
    "REFERRAL_DEPARTMENT",
    "RuleError",
    "Step",
    "TicketFile",
    "TransitionError",
    "WorkOrder",
    "order_id_for",
]
