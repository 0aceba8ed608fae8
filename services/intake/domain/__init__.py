"""Intake's domain (docs/DOMAIN.md §2, §3, §6), no I/O: the ticket (`ticket`), what it records
(`ticket_events`), how its classification may change (`classification`), the checks that end it
(`closure`), and intake's own records, never published: the ticket-number counters
(`ticket_counter`, a `month_counter` like the incidents'), each ticket's open work orders as
dispatch publishes them (`work_orders`), the site manager's monthly analysis (`month_review`),
emergency events and their numbers (`incident`), the log of refused looks at contact details
(`access_log`); violation cases (`violation_case`) and the list of a site's cases
(`violation_register`); the desk's promises (`promise`); maintenance and outage notices
(`maintenance_notice`), a site's board of them (`notice_board`) and the repair calls an outage
answers alone (`outage_calls`); the resident and unit file (`resident`), the site's
special-care residents (`care_roll`) and the log of looks at the file (`caller_log`),
docs/RESIDENTS.md."""

from services.intake.domain.access_log import AccessLog, refused_reveals
from services.intake.domain.incident import Incident, IncidentCounter
from services.intake.domain.maintenance_notice import MaintenanceNotice
from services.intake.domain.month_review import MonthReview
from services.intake.domain.notice_board import NoticeBoard
from services.intake.domain.promise import Promise, promise_id_for
from services.intake.domain.ticket import Ticket, ticket_id_for
from services.intake.domain.ticket_counter import TicketCounter
from services.intake.domain.violation_case import ViolationCase, case_id_for
from services.intake.domain.violation_register import ViolationRegister
from services.intake.domain.work_orders import OrderOfTicket, TicketOrders
from shared.kernel.refusals import RuleError, TransitionError

__all__ = [
    "AccessLog",
    "Incident",
    "IncidentCounter",
    "MaintenanceNotice",
    "MonthReview",
    "NoticeBoard",
    "OrderOfTicket",
    "Promise",
    "RuleError",
    "Ticket",
    "TicketCounter",
    "TicketOrders",
    "TransitionError",
    "ViolationCase",
    "ViolationRegister",
    "case_id_for",
    "promise_id_for",
    "refused_reveals",
    "ticket_id_for",
]
